/**
 * The HTTP(S) server of one simulated printer: socket bookkeeping (so stop() can end hung connections), Buddy's
 * limit of three requests served at once, request recording, the global faults, and dispatch to the family router
 * or the `/_sim/` control endpoints.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { delay } from './faults';
import { Exchange } from './http/exchange';
import type { FamilyHandler } from './families/family';
import type { SimRuntime } from './runtime';
import type { RecordedRequest } from './types';

/** Buddy's ACTIVE_CONNS: requests beyond this wait until one finishes. */
const BUDDY_ACTIVE_REQUESTS = 3;

export type ControlHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export class SimServer {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;
  private readonly limit: number;
  private listening = false;

  constructor(
    private readonly rt: SimRuntime,
    private readonly family: FamilyHandler,
    private readonly control: ControlHandler,
  ) {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.onRequest(req, res);
    this.server = rt.opts.tls
      ? https.createServer({ key: rt.opts.tls.key, cert: rt.opts.tls.cert }, handler)
      : http.createServer(handler);
    // Uploads at a printer's real speed can take many minutes; Node's default 5-minute request timeout would cut them.
    this.server.requestTimeout = 0;
    this.server.keepAliveTimeout = rt.family === 'pi' ? 5_000 : 60_000;
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    this.limit = rt.family === 'pi' ? Infinity : BUDDY_ACTIVE_REQUESTS;
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        this.listening = true;
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /** Stops listening and drops every open connection (including hung ones). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      for (const s of this.sockets) s.destroy();
      if (!this.listening) return resolve();
      this.listening = false;
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    if (url.startsWith('/_sim/') || url === '/_sim') {
      this.control(req, res);
      return;
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      url,
      path: safeDecodePath(url),
      auth: 'none',
      authOk: false,
      status: 0,
      bodyBytes: 0,
      headers: { ...req.headers },
      time: Date.now(),
    };
    this.rt.recorder.add(record);
    res.once('finish', () => {
      if (record.status === 0) record.status = res.statusCode;
      record.endTime = Date.now();
    });
    const ex = new Exchange(req, res, this.rt, record);
    if (!(await this.acquireSlot(res))) return;
    try {
      await this.serve(ex);
    } catch (e) {
      if (!res.headersSent && !res.destroyed) ex.error(500, 'Internal error');
      else res.destroy();
    }
  }

  private async serve(ex: Exchange): Promise<void> {
    const faults = this.rt.faults;
    if (faults.latencyMs) await delay(faults.latencyMs);
    if (ex.res.destroyed) return;
    // A hung printer accepts the request and never answers; stop() destroys the socket.
    if (this.rt.faults.hang) return;
    if (this.rt.faults.status) {
      ex.error(this.rt.faults.status, this.rt.faults.status === 503 ? 'Service unavailable' : 'Internal error');
      return;
    }
    await this.family(ex);
  }

  /** Waits for one of Buddy's three request slots; the slot is freed when the response ends or the socket dies. */
  private acquireSlot(res: http.ServerResponse): Promise<boolean> {
    let closed = false;
    res.once('close', () => (closed = true));
    const take = () => {
      this.active++;
      res.once('close', () => {
        this.active--;
        this.waiting.shift()?.();
      });
    };
    if (this.active < this.limit) {
      take();
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      this.waiting.push(() => {
        // The client gave up while waiting: pass the slot on.
        if (closed) {
          this.waiting.shift()?.();
          return resolve(false);
        }
        take();
        resolve(true);
      });
    });
  }
}

function safeDecodePath(url: string): string {
  const q = url.indexOf('?');
  const raw = q < 0 ? url : url.slice(0, q);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
