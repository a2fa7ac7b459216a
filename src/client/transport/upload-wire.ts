/**
 * The upload wire: one request whose body we write ourselves, on node:http/https `request()` directly (uploads only),
 * with its stall timer and progress. Not through axios: axios pipes a body through a stream, which cannot reuse
 * buffers (a buffer may only be refilled once `req.write` has called it back), so a file upload ran at a fraction of
 * curl's throughput and with tens of MB more memory; writing a ring of reused buffers straight to the request
 * (upload-body.ts) keeps up with curl at a few MB. The measured figures: bench/RESULTS.md, "Uploads on node:http
 * (from body-request.ts)". Buffered GETs have a wire of their own (get-wire.ts); JSON commands and downloads stay on
 * axios.
 */
import http from 'node:http';
import https from 'node:https';
import { PrusaLinkError, abortedError } from '../errors';
import type { UploadProgress } from '../types';
import { flatHeaders, type HttpResponse } from './http-message';
import { SourceError, writeParts, type BodyOut, type BodyPart } from './upload-body';
import type { ClientContext } from '../context';

export interface BodyRequestOptions {
  protocol: 'http' | 'https';
  hostname: string;
  port: number;
  agent: http.Agent;
  method: string;
  target: string;
  /** Complete headers, Content-Length included (never chunked). */
  headers: Record<string, string>;
  /** Writes the whole body; the request is ended after it resolves. */
  write: (out: BodyOut) => Promise<void>;
  signal: AbortSignal;
  /** The answer's body is read up to this size; more is a ResponseTooLargeError. */
  maxResponseBytes: number;
}

export interface BodyResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A body request's own failure, mapped by the transport to a PrusaLinkError of `code` (no "unreachable" effects). */
export class BodyRequestError extends Error {
  constructor(
    readonly code: 'PROTOCOL' | 'UNREACHABLE',
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export class ResponseTooLargeError extends BodyRequestError {
  constructor(message: string) {
    super('PROTOCOL', message);
  }
}

/**
 * The printer took the connection, then closed it before the body was complete and without an answer we could read
 * (Pi PrusaLink refuses before reading the body and closes at once; the write fails first). It was reachable: this is
 * not a reason to forget what the printer is.
 */
function closedDuringBody(err: unknown): BodyRequestError {
  const code = (err as { code?: string })?.code;
  const how = code === 'ECONNRESET' ? 'reset the connection' : 'closed the connection';
  return new BodyRequestError('UNREACHABLE', `printer unreachable: it ${how} during the upload, before any answer`, err);
}

/**
 * Sends the request and resolves with the answer, read. An answer that arrives while the body is still being written
 * (Buddy decides 409/415/… from the first bytes, then resets the connection) stops the writing and is returned as
 * is: the write errors that follow it (EPIPE, ECONNRESET) are the consequence, not the news.
 */
export function sendBodyRequest(o: BodyRequestOptions): Promise<BodyResponse> {
  return new Promise<BodyResponse>((resolve, reject) => {
    const stop = new AbortController();
    let settled = false;
    let answered = false;
    const req = (o.protocol === 'https' ? https : http).request({
      protocol: `${o.protocol}:`,
      hostname: o.hostname,
      port: o.port,
      agent: o.agent,
      method: o.method,
      path: o.target,
      headers: o.headers,
    });
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      o.signal.removeEventListener('abort', onAbort);
      return true;
    };
    const fail = (err: unknown): void => {
      if (!settle()) return;
      stop.abort(err);
      req.destroy();
      reject(err);
    };
    let connected = false;
    req.on('socket', (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    req.on('error', (err) => {
      if (answered) return;
      const code = (err as { code?: string }).code;
      fail(connected && (code === 'EPIPE' || code === 'ECONNRESET') ? closedDuringBody(err) : err);
    });
    const onAbort = (): void => fail(o.signal.reason);
    if (o.signal.aborted) return fail(o.signal.reason);
    o.signal.addEventListener('abort', onAbort, { once: true });

    req.on('response', (res) => {
      answered = true;
      const early = !req.writableEnded;
      if (early) stop.abort(new Error('the printer answered before the body was complete'));
      readAnswer(res, o.maxResponseBytes).then(
        (body) => {
          // A connection with an unfinished body cannot carry another request.
          if (early) req.destroy();
          if (!settle()) return;
          resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body });
        },
        (err) => fail(err),
      );
    });

    o.write(new RequestBodyOut(req, stop.signal)).then(
      () => {
        if (!stop.signal.aborted) req.end();
      },
      (err) => {
        if (answered) return;
        const code = (err as { code?: string })?.code;
        fail(connected && (code === 'EPIPE' || code === 'ECONNRESET') ? closedDuringBody(err) : err);
      },
    );
  });
}

class RequestBodyOut implements BodyOut {
  /** Writes not yet called back: a request destroyed before its socket connected may never call them back. */
  private readonly pending = new Set<(err: unknown) => void>();

  constructor(
    private readonly req: http.ClientRequest,
    readonly stopped: AbortSignal,
  ) {
    stopped.addEventListener('abort', () => {
      for (const reject of this.pending) reject(stopped.reason);
      this.pending.clear();
    }, { once: true });
  }

  write(chunk: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.stopped.aborted) return reject(this.stopped.reason);
      this.pending.add(reject);
      this.req.write(chunk, (err) => {
        this.pending.delete(reject);
        if (err) reject(err);
        else resolve();
      });
    });
  }

  ready(): Promise<void> {
    if (this.stopped.aborted) return Promise.reject(this.stopped.reason);
    if (!this.req.writableNeedDrain) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        this.stopped.removeEventListener('abort', onStop);
        resolve();
      };
      const onStop = (): void => {
        this.req.off('drain', onDrain);
        reject(this.stopped.reason);
      };
      this.req.once('drain', onDrain);
      this.stopped.addEventListener('abort', onStop, { once: true });
    });
  }
}

/** Reads the answer up to `limit` bytes; an answer cut off by a reset (after an early answer) keeps what arrived. */
function readAnswer(res: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      res.removeListener('data', onData);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) {
        res.destroy();
        return finish(new ResponseTooLargeError(`the answer is larger than ${limit} bytes`));
      }
      chunks.push(c);
    };
    res.on('data', onData);
    res.once('end', () => finish());
    res.once('error', () => finish());
    res.once('close', () => finish());
  });
}

export interface StreamUploadArgs {
  method: 'PUT' | 'POST';
  target: string;
  headers: Record<string, string>;
  parts: () => BodyPart[];
  size: number;
  replayable: boolean;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
  /** Size of the file itself when the body is larger (multipart): progress is reported in file bytes. */
  fileSize?: number;
}

/** Sends one upload request; resolves with the (success) answer, its body read. */
export async function streamUpload(ctx: ClientContext, a: StreamUploadArgs): Promise<HttpResponse> {
  const t = ctx.transport;
  const stallTimeout = t.uploadStallTimeout;
  const where = { method: a.method, path: a.target, printer: ctx.label };
  const controller = new AbortController();
  const onUserAbort = (): void => controller.abort(abortedError('upload', where));
  if (a.signal?.aborted) throw abortedError('upload-not-started', where);
  a.signal?.addEventListener('abort', onUserAbort, { once: true });
  let stallTimer: NodeJS.Timeout | undefined;
  const armStall = (): void => {
    if (stallTimer) {
      stallTimer.refresh();
      return;
    }
    stallTimer = setTimeout(
      () => controller.abort(new PrusaLinkError('TIMEOUT', `the upload stalled: no data moved for ${stallTimeout} ms`, where)),
      stallTimeout,
    );
  };
  const total = a.fileSize ?? a.size;
  let lastPercent = -1;
  const write = async (out: BodyOut): Promise<void> => {
    let sent = 0;
    // Called once per write the socket took (64 KiB, or 1 MiB on a fast link): cheap enough for a timer and a callback.
    const onWritten = (bytes: number, payload: boolean): void => {
      armStall();
      if (!payload) return;
      sent += bytes;
      const percent = total ? Math.floor((sent / total) * 100) : 100;
      if (a.onProgress && percent !== lastPercent) {
        lastPercent = percent;
        a.onProgress({ bytes: Math.min(total, sent), total, percent });
      }
    };
    try {
      await writeParts(a.parts(), out, onWritten);
    } catch (err) {
      if (err instanceof SourceError) throw new PrusaLinkError('INVALID_ARGUMENT', err.message, { ...where, cause: err });
      throw err;
    }
  };
  armStall();
  try {
    const res = await t.send({
      method: a.method,
      target: a.target,
      headers: a.headers,
      write,
      bodyLength: a.size,
      replayable: a.replayable,
      signal: controller.signal,
    });
    if (controller.signal.aborted && controller.signal.reason instanceof PrusaLinkError) throw controller.signal.reason;
    return res;
  } finally {
    if (stallTimer) clearTimeout(stallTimer);
    a.signal?.removeEventListener('abort', onUserAbort);
  }
}
