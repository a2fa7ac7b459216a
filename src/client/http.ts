/**
 * The HTTP layer: one axios instance per client with keep-alive agents (2 sockets), authentication with a cached
 * challenge and one stale retry, timeouts, response size limits and the mapping of every failure to PrusaLinkError.
 * Upload bodies bypass axios (body-request.ts says why) but share the agents, authentication and error mapping.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { Authenticator } from './auth';
import { BodyRequestError, sendBodyRequest, type BodyOut } from './body-request';
import { PrusaLinkError, extractPrinterMessage, httpError, networkError } from './errors';
import type { PrinterAddress } from './address';

export interface RequestSpec {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  /** Encoded request-target: path plus query, starting with `/`. */
  target: string;
  headers?: Record<string, string>;
  /** A JSON command body. */
  json?: unknown;
  /**
   * An upload body of `bodyLength` bytes, written by us on node:http (called again for an auth retry when
   * `replayable`). The answer comes back read (`maxResponseBytes`), even one that arrived while the body was written.
   */
  write?: (out: BodyOut) => Promise<void>;
  bodyLength?: number;
  replayable?: boolean;
  /** Statuses returned to the caller instead of thrown (2xx are always returned). */
  accept?: number[];
  /** `stream`: the body is handed over unread (downloads, uploads whose answer may come early). */
  responseType?: 'buffer' | 'stream';
  /** Total time for the request, ms; 0 = none (uploads use their own stall timer through `signal`). */
  timeout?: number;
  /** Aborting it ends the request; a PrusaLinkError given as the reason is thrown as is, anything else is ABORTED. */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  stream?: Readable;
}

export interface TransportOptions {
  address: PrinterAddress;
  allowSelfSigned: boolean;
  timeout: number;
  maxResponseBytes: number;
  userAgent: string;
  auth: Authenticator;
  /** Called when the printer could not be reached (the profile is then detected again). */
  onUnreachable: () => void;
}

export class Transport {
  readonly label: string;
  /** Longest request-target the printer accepts (Buddy 168), set after detection. */
  maxTargetChars?: number;
  private readonly axios: AxiosInstance;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  constructor(private readonly opts: TransportOptions) {
    this.label = opts.address.label;
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 2, rejectUnauthorized: !opts.allowSelfSigned });
    this.axios = axios.create({
      baseURL: opts.address.baseUrl,
      adapter: 'http',
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      // Native http transport: streams request bodies instead of follow-redirects buffering them.
      maxRedirects: 0,
      maxBodyLength: Infinity,
      proxy: false,
      validateStatus: () => true,
      decompress: true,
      transformResponse: [(d: unknown) => d],
      transitional: { clarifyTimeoutError: true },
    });
  }

  get auth(): Authenticator {
    return this.opts.auth;
  }

  /** Sends one request, following a Digest challenge (once) and a stale nonce (once). */
  async send(spec: RequestSpec): Promise<HttpResponse> {
    const ctx = { method: spec.method, path: spec.target, printer: this.label };
    if (this.closed) throw new PrusaLinkError('ABORTED', 'the client was closed', ctx);
    if (this.maxTargetChars !== undefined && spec.target.length > this.maxTargetChars)
      throw new PrusaLinkError(
        'NAME_TOO_LONG',
        `the request URL would be ${spec.target.length} characters; this printer accepts at most ${this.maxTargetChars} (use shorter names)`,
        ctx,
      );
    let retried = false;
    let resetRetried = false;
    for (;;) {
      const authHeaders = this.opts.auth.headers(spec.method, spec.target);
      let res: HttpResponse;
      try {
        res = await this.once(spec, authHeaders, ctx, !resetRetried);
      } catch (err) {
        if (!(err instanceof IdleConnectionReset)) throw err;
        resetRetried = true;
        continue;
      }
      if (res.status === 401 || (res.status === 403 && this.looksLikeAuth403(res))) {
        const body = res.stream ? await drain(res.stream, 4096) : res.body;
        const printerMessage = extractPrinterMessage(body, res.headers['content-type']);
        const verdict = this.opts.auth.onRejected(
          res.status,
          res.headers['www-authenticate'],
          'Authorization' in authHeaders,
          retried,
          printerMessage,
        );
        if (verdict.retry && (spec.write === undefined || spec.replayable)) {
          retried = true;
          continue;
        }
        const message = verdict.retry ? 'the Digest nonce expired during the upload; try again' : verdict.message;
        throw new PrusaLinkError('AUTH_FAILED', `${message} (HTTP ${res.status})`, { ...ctx, status: res.status, printerMessage });
      }
      if ((res.status >= 200 && res.status < 300) || spec.accept?.includes(res.status)) return res;
      const body = res.stream ? await drain(res.stream, 64 * 1024) : res.body;
      throw httpError(res.status, body, res.headers['content-type'], ctx);
    }
  }

  /** One request's controller: it follows the caller's `signal` and close() aborts it, until `release`. */
  private abortable(signal: AbortSignal | undefined): { controller: AbortController; release: () => void } {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const onOuterAbort = (): void => controller.abort(signal?.reason);
    if (signal?.aborted) onOuterAbort();
    else signal?.addEventListener('abort', onOuterAbort, { once: true });
    const release = (): void => {
      signal?.removeEventListener('abort', onOuterAbort);
      this.inFlight.delete(controller);
    };
    return { controller, release };
  }

  /** Ours, then the caller's, then authentication last: no caller's header can replace the credentials. */
  private headersFor(spec: RequestSpec, authHeaders: Record<string, string>): Record<string, string> {
    return { Accept: 'application/json', 'User-Agent': this.opts.userAgent, ...spec.headers, ...authHeaders };
  }

  private looksLikeAuth403(res: HttpResponse): boolean {
    const text = res.body.subarray(0, 200).toString('utf8');
    return /api.?key/i.test(text) || (this.opts.auth.mode === 'apikey' && res.body.length === 0 && !res.stream);
  }

  private async once(
    spec: RequestSpec,
    authHeaders: Record<string, string>,
    ctx: { method: string; path: string; printer: string },
    mayRetryReset: boolean,
  ): Promise<HttpResponse> {
    const retryable = isRetryable(spec);
    // A request that must not be sent twice never rides an idle kept-alive connection the printer may have dropped.
    if (!retryable) this.dropIdleConnections();
    if (spec.write) return this.onceWithBody(spec, spec.write, authHeaders, ctx);
    const { controller, release } = this.abortable(spec.signal);
    const timeoutMs = spec.timeout ?? this.opts.timeout;
    const timer =
      timeoutMs > 0
        ? setTimeout(
            () => controller.abort(new PrusaLinkError('TIMEOUT', `the printer did not answer within ${timeoutMs} ms`, ctx)),
            timeoutMs,
          )
        : undefined;
    const finish = (): void => {
      if (timer) clearTimeout(timer);
      release();
    };
    const headers = this.headersFor(spec, authHeaders);
    let data: unknown;
    if (spec.json !== undefined) {
      data = Buffer.from(JSON.stringify(spec.json), 'utf8');
      headers['Content-Type'] = 'application/json';
    }
    const streamed = spec.responseType === 'stream';
    let res: AxiosResponse;
    try {
      res = await this.axios.request({
        method: spec.method,
        url: spec.target,
        headers,
        data,
        signal: controller.signal,
        responseType: streamed ? 'stream' : 'arraybuffer',
        maxContentLength: streamed ? -1 : this.opts.maxResponseBytes,
      });
    } catch (err) {
      finish();
      if (retryable && mayRetryReset && !controller.signal.aborted && isIdleConnectionReset(err)) {
        // The printer closed this kept-alive connection while idle (after 60 s); its other idle ones went with it.
        this.dropIdleConnections();
        throw new IdleConnectionReset();
      }
      throw this.mapFailure(err, controller.signal, ctx);
    }
    const headersOut: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers ?? {})) {
      if (v !== undefined && v !== null) headersOut[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    if (streamed) {
      const stream = res.data as Readable;
      // The request timer covered connect and headers; a streamed body is paced by its reader.
      if (timer) clearTimeout(timer);
      stream.once('close', finish);
      stream.on('error', () => undefined);
      return { status: res.status, headers: headersOut, body: Buffer.alloc(0), stream };
    }
    finish();
    return { status: res.status, headers: headersOut, body: Buffer.isBuffer(res.data) ? res.data : Buffer.from((res.data as ArrayBuffer) ?? []) };
  }

  /** An upload: no total timeout (the caller's stall timer aborts through `signal`), the answer read into `body`. */
  private async onceWithBody(
    spec: RequestSpec,
    write: (out: BodyOut) => Promise<void>,
    authHeaders: Record<string, string>,
    ctx: { method: string; path: string; printer: string },
  ): Promise<HttpResponse> {
    const { controller, release } = this.abortable(spec.signal);
    const { address } = this.opts;
    try {
      return await sendBodyRequest({
        protocol: address.protocol,
        hostname: address.hostname,
        port: address.port,
        agent: address.protocol === 'https' ? this.httpsAgent : this.httpAgent,
        method: spec.method,
        target: spec.target,
        headers: { ...this.headersFor(spec, authHeaders), 'Content-Length': String(spec.bodyLength ?? 0) },
        write,
        signal: controller.signal,
        maxResponseBytes: this.opts.maxResponseBytes,
      });
    } catch (err) {
      if (!controller.signal.aborted && err instanceof PrusaLinkError) throw err;
      if (err instanceof BodyRequestError) throw new PrusaLinkError(err.code, err.message, { ...ctx, cause: err.cause ?? err });
      throw this.mapFailure(err, controller.signal, ctx);
    } finally {
      release();
    }
  }

  private mapFailure(err: unknown, signal: AbortSignal, ctx: { method: string; path: string; printer: string }): PrusaLinkError {
    if (signal.aborted) {
      const reason = signal.reason;
      if (reason instanceof PrusaLinkError) return reason;
      return new PrusaLinkError('ABORTED', this.closed ? 'the client was closed' : 'the request was aborted', { ...ctx, cause: err });
    }
    const e = err as { code?: string; message?: string };
    const msg = e?.message ?? '';
    if (/maxContentLength/.test(msg))
      return new PrusaLinkError('PROTOCOL', `the answer is larger than ${this.opts.maxResponseBytes} bytes`, { ...ctx, cause: err });
    if (/stream has been aborted|aborted/i.test(msg) && e.code === 'ERR_BAD_RESPONSE')
      return new PrusaLinkError('PROTOCOL', 'the answer was cut off', { ...ctx, cause: err });
    const mapped = networkError(err, ctx);
    if (mapped.code === 'UNREACHABLE') this.opts.onUnreachable();
    return mapped;
  }

  /** Ends the kept-alive connections no request is using, so that the next request opens a fresh one. */
  private dropIdleConnections(): void {
    for (const agent of [this.httpAgent, this.httpsAgent])
      for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  }

  close(): void {
    this.closed = true;
    for (const c of this.inFlight) c.abort();
    this.inFlight.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** Thrown by `once` to have `send` repeat a request on a fresh connection; never leaves the Transport. */
class IdleConnectionReset extends Error {}

/** Only a request without a body that changes nothing may be sent again after a failure: GET and HEAD. */
function isRetryable(spec: RequestSpec): boolean {
  return (spec.method === 'GET' || spec.method === 'HEAD') && spec.write === undefined && spec.json === undefined;
}

/**
 * The failure Node reports when a reused keep-alive connection turns out to be closed: reset (or the write refused)
 * before any byte of an answer. The request cannot have been served, so it is safe to send an idempotent one again.
 */
function isIdleConnectionReset(err: unknown): boolean {
  const e = err as { code?: string; response?: unknown; request?: { reusedSocket?: boolean; res?: unknown } };
  return (e?.code === 'ECONNRESET' || e?.code === 'EPIPE') && e.response === undefined && e.request?.reusedSocket === true && !e.request.res;
}

/** Reads up to `limit` bytes of a body, then stops; tolerates a connection reset after the answer (early upload errors). */
export function drain(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      stream.removeAllListeners('data');
      resolve(Buffer.concat(chunks));
    };
    stream.on('data', (c: Buffer) => {
      if (size < limit) chunks.push(c.subarray(0, limit - size));
      size += c.length;
    });
    stream.once('end', done);
    stream.once('error', done);
    stream.once('close', done);
  });
}

/** Parses a JSON answer; malformed or truncated JSON is a PROTOCOL error. */
export function parseJson<T = Record<string, unknown>>(res: HttpResponse, ctx: { method: string; path: string; printer: string }): T {
  const text = res.body.toString('utf8');
  if (text.trim() === '') return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new PrusaLinkError('PROTOCOL', 'the printer sent malformed JSON', { ...ctx, status: res.status, cause: err });
  }
}
