/**
 * One request whose body we write ourselves, on node:http/https `request()` directly: used for uploads only.
 *
 * WHY not axios here: axios takes a body as a Readable and pipes it (through its own counting Transform) into the
 * request, so a file upload is fs.createReadStream → Transform(s) → socket. Measured on the 2-core bench machine
 * (bench/upload.js, 100 MiB and 1 GiB into the discarding simulator): 0.29–0.41 × curl's throughput and +36 MB of
 * RSS, because the read stream allocates a fresh Buffer per read (dead chunks pile up until the next GC) and the
 * pipeline moves about one chunk at a time. A 1 MiB highWaterMark and dropping axios's Transform (maxBodyLength -1)
 * reached only 0.65–0.75 × curl and the memory stayed at +34 to +37 MB: reused buffers cannot go through a stream
 * pipe, since a buffer may only be refilled after the socket has taken it, which only `req.write`'s callback tells.
 * Writing a ring of reused 1 MiB buffers straight to the request (body-writer.ts) measured 0.78–1.24 × curl with
 * +4 to +11 MB in the same benchmark (PUT and multipart, 100 MiB and 1 GiB).
 * Everything else (JSON, downloads, listings) stays on axios.
 */
import http from 'node:http';
import https from 'node:https';

/** Where an upload body goes. Chunks are written in order; a chunk's buffer may be refilled once its write resolved. */
export interface BodyOut {
  /** Queues a chunk; resolves once the socket has taken it; rejects when the request ended before the body did. */
  write(chunk: Buffer): Promise<void>;
  /** Resolves when the request wants more (at once, or after 'drain'); rejects when the request ended. */
  ready(): Promise<void>;
  /** Aborted when the request ends before the body (an early answer, an error, an abort): stop producing. */
  readonly stopped: AbortSignal;
}

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

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
