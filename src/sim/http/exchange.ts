/** One request/response pair with the family's answer conventions (error bodies, connection closing, faults). */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { renderJson } from '../faults';
import type { SimRuntime } from '../runtime';
import type { RecordedRequest } from '../types';

export type Headers = Record<string, string | number>;

export class Exchange {
  readonly method: string;
  /** Raw request-target, as on the request line. */
  readonly rawUrl: string;
  /** Raw (still encoded) path without the query. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  /** Decoded path segments; empty segments (duplicate slashes) dropped. */
  readonly segments: string[];
  /** A segment could not be decoded, or was `..`. */
  readonly badPath: boolean;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly rt: SimRuntime,
    readonly record: RecordedRequest,
  ) {
    this.method = req.method ?? 'GET';
    this.rawUrl = req.url ?? '/';
    const q = this.rawUrl.indexOf('?');
    this.rawPath = q < 0 ? this.rawUrl : this.rawUrl.slice(0, q);
    this.query = new URLSearchParams(q < 0 ? '' : this.rawUrl.slice(q + 1));
    const decoded = decodeSegments(this.rawPath, rt.family !== 'pi');
    this.segments = decoded ?? [];
    this.badPath = decoded === undefined || this.segments.includes('..');
  }

  header(name: string): string | undefined {
    const v = this.req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  get wantsJson(): boolean {
    const accept = this.header('accept') ?? '';
    return this.rt.family === 'pi' ? accept.includes('application/json') : accept.startsWith('application/json');
  }

  json(status: number, value: unknown, headers: Headers = {}): void {
    this.send(status, renderJson(value, this.rt.faults), { 'Content-Type': 'application/json', ...headers });
  }

  empty(status: number, headers: Headers = {}): void {
    this.send(status, undefined, headers);
  }

  /** An error in the family's own format. */
  error(status: number, message: string, headers: Headers = {}): void {
    const title = `${status}: ${STATUS_CODES[status] ?? 'Error'}`;
    if (this.rt.family === 'pi') {
      const piTitle = STATUS_CODES[status] ?? 'Error';
      const url = `https://help.prusa3d.com/article/prusalink-error-${status}`;
      const h = { 'Content-Location': `/error/${status}`, ...headers };
      if (this.method === 'HEAD') return headErrorAsPi(this, status, Buffer.from(`${piTitle}\n${message}\n\nSee: ${url}\n`));
      if (this.wantsJson) {
        this.send(status, Buffer.from(JSON.stringify({ title: piTitle, message, url })), { 'Content-Type': 'application/json', ...h });
      } else {
        this.send(status, Buffer.from(`${piTitle}\n${message}\n\nSee: ${url}\n`), { 'Content-Type': 'text/plain', ...h });
      }
      return;
    }
    if (this.wantsJson) {
      this.send(status, Buffer.from(JSON.stringify({ title, message })), { 'Content-Type': 'application/json', ...headers });
    } else {
      this.send(status, Buffer.from(`${title}\n\n${message}\n`), { 'Content-Type': 'text/plain', ...headers });
    }
  }

  /** Sends a complete answer. Buddy-based printers close the connection after any answer ≥ 300 to PUT/POST. */
  send(status: number, body: Buffer | undefined, headers: Headers = {}): void {
    const res = this.res;
    if (res.headersSent || res.destroyed) return;
    this.record.status = status;
    const closing =
      this.rt.family !== 'pi' && status >= 300 && (this.method === 'PUT' || this.method === 'POST');
    const h: Headers = { ...headers };
    if (closing) h['Connection'] = 'close';
    if (h['Connection'] === 'close' && !this.req.complete) {
      // Pi PrusaLink answers and closes at once, the body unread: the client's writes then fail (EPIPE/reset), often
      // before it has read the answer. Buddy lingers.
      if (this.rt.family === 'pi') closeAtOnce(this);
      else lingerBeforeClose(this);
    }
    const bodyless = status === 204 || status === 304 || this.method === 'HEAD';
    if (!bodyless) h['Content-Length'] = body ? body.length : 0;
    else if (this.method === 'HEAD' && body && h['Content-Length'] === undefined) h['Content-Length'] = body.length;
    res.writeHead(status, h);
    if (bodyless || !body || body.length === 0) {
      res.end();
      return;
    }
    const slow = this.rt.faults.slowBodyMs;
    if (!slow) {
      res.end(body);
      return;
    }
    writeSlowly(res, body, slow);
  }
}

/**
 * Closes the connection after the answer while still reading (and discarding) what the client keeps sending for a
 * moment: closing with unread data would reset the connection, and the reset can destroy the answer in the client's
 * receive buffer before it is read (the "lingering close" every HTTP server needs for early answers).
 */
function lingerBeforeClose(ex: Exchange): void {
  const socket = ex.req.socket as Socket & { destroySoon?: () => void };
  socket.destroySoon = () => {
    socket.end();
    const t = setTimeout(() => socket.destroy(), LINGER_MS);
    t.unref();
    socket.once('close', () => clearTimeout(t));
  };
  ex.req.on('data', (c: Buffer) => (ex.record.bodyBytes += c.length));
  ex.req.resume();
}

const LINGER_MS = 2_000;

function closeAtOnce(ex: Exchange): void {
  const socket = ex.req.socket as Socket & { destroySoon?: () => void };
  socket.destroySoon = () => socket.destroy();
}

/**
 * Pi PrusaLink answers an error to HEAD as HTTP/1.0 with the error text after the headers (observed: a HEAD 404
 * `Content-Length: 75` and the 75 bytes), then closes. Node's server never sends a body to HEAD, so it is written raw.
 */
function headErrorAsPi(ex: Exchange, status: number, body: Buffer): void {
  if (ex.res.headersSent || ex.res.destroyed) return;
  ex.record.status = status;
  const head =
    `HTTP/1.0 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nDate: ${new Date().toUTCString()}\r\nServer: PrusaLink\r\n` +
    `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n`;
  const socket = ex.req.socket;
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  ex.res.destroy();
}

function writeSlowly(res: ServerResponse, body: Buffer, intervalMs: number): void {
  const CHUNK = 16;
  let offset = 0;
  let timer: NodeJS.Timeout | undefined;
  res.once('close', () => clearTimeout(timer));
  const step = () => {
    if (res.destroyed) return;
    const chunk = body.subarray(offset, offset + CHUNK);
    offset += chunk.length;
    if (offset >= body.length) {
      res.end(chunk);
      return;
    }
    res.write(chunk);
    timer = setTimeout(step, intervalMs);
  };
  step();
}

/**
 * Splits a raw path on `/` and percent-decodes each segment. Buddy's decoder also turns `+` into a space.
 * Returns undefined when a segment is not valid percent-encoding.
 */
export function decodeSegments(rawPath: string, plusIsSpace: boolean): string[] | undefined {
  const out: string[] = [];
  for (const raw of rawPath.split('/')) {
    if (raw.length === 0) continue;
    try {
      out.push(decodeURIComponent(plusIsSpace ? raw.replace(/\+/g, ' ') : raw));
    } catch {
      return undefined;
    }
  }
  return out;
}
