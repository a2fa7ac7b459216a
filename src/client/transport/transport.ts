/**
 * The one place every request is sent: one axios instance per client with keep-alive agents (2 sockets), the auth
 * retry loop (auth.ts decides), timeouts, response size limits and the mapping of every failure to PrusaLinkError.
 * Upload bodies and buffered GETs bypass axios (upload-wire.ts and get-wire.ts say why) but share the agents, the
 * auth loop and the error mapping.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Authenticator } from '../auth';
import { PrusaLinkError, abortedError, extractPrinterMessage, httpError, networkError } from '../errors';
import type { PrinterAddress } from '../options';
import { GetAnswerError, sendGet } from './get-wire';
import { drain, flatHeaders, isIdleConnectionReset, isRetryable, wireTarget, type HttpResponse, type RequestSpec, type StreamedResponse } from './http-message';
import type { BodyOut } from './upload-body';
import { BodyRequestError, sendBodyRequest } from './upload-wire';

export type { HttpResponse, RequestSpec, StreamedResponse } from './http-message';

export interface TransportOptions {
  address: PrinterAddress;
  allowSelfSigned: boolean;
  timeout: number;
  maxResponseBytes: number;
  userAgent: string;
  auth: Authenticator;
  /** An upload fails when no byte moved for this long, ms (upload-wire.ts). */
  uploadStallTimeout: number;
}

export class Transport {
  readonly label: string;
  /** Longest request-target the printer accepts (Buddy 168), set after detection. */
  maxTargetChars?: number;
  private readonly axios: AxiosInstance;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly inFlight = new Set<AbortController>();
  private readonly unreachableListeners: (() => void)[] = [];
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

  get uploadStallTimeout(): number {
    return this.opts.uploadStallTimeout;
  }

  /** `listener` is told when the printer could not be reached (the profile module then forgets what it knew). */
  whenUnreachable(listener: () => void): void {
    this.unreachableListeners.push(listener);
  }

  /** Before an upload body: one GET of /api/version when the authentication wants a fresh nonce for it (auth.ts). */
  async prepareForBody(signal?: AbortSignal): Promise<void> {
    if (this.opts.auth.wantsFreshChallengeBeforeBody) await this.send({ method: 'GET', target: '/api/version', signal });
  }

  /** Sends one request, following a Digest challenge (once) and a stale nonce (once). */
  send(spec: RequestSpec & { responseType: 'stream' }): Promise<StreamedResponse>;
  send(spec: RequestSpec): Promise<HttpResponse>;
  async send(specIn: RequestSpec): Promise<HttpResponse> {
    // One place for the target as it goes out: both wires, axios and the Digest hash all see the same string.
    const target = wireTarget(specIn.target);
    const spec = target === specIn.target ? specIn : { ...specIn, target };
    const ctx = { method: spec.method, path: spec.target, printer: this.label };
    if (this.closed) throw abortedError('closed', ctx);
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
      const credentials403 = res.status === 403 && this.opts.auth.isCredentials403(res.body.subarray(0, 200).toString('utf8'), res.body.length === 0 && !res.stream);
      if (res.status === 401 || credentials403) {
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
    const { address } = this.opts;
    if (spec.method === 'GET' && !streamed && data === undefined) {
      const agent = address.protocol === 'https' ? this.httpsAgent : this.httpAgent;
      const wire = { protocol: address.protocol, hostname: address.hostname, port: address.port, agent, target: spec.target, headers };
      try {
        return await sendGet({ ...wire, signal: controller.signal, maxResponseBytes: this.opts.maxResponseBytes });
      } catch (err) {
        throw this.failure(err, controller.signal, ctx, retryable && mayRetryReset);
      } finally {
        finish();
      }
    }
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
      throw this.failure(err, controller.signal, ctx, retryable && mayRetryReset);
    }
    const headersOut = flatHeaders(res.headers ?? {});
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

  /** What a failed exchange throws: a repeat on a fresh connection, or the mapped error. */
  private failure(err: unknown, signal: AbortSignal, ctx: { method: string; path: string; printer: string }, mayRetryReset: boolean): Error {
    if (mayRetryReset && !signal.aborted && isIdleConnectionReset(err)) {
      // The printer closed this kept-alive connection while idle (after 60 s); its other idle ones went with it.
      this.dropIdleConnections();
      return new IdleConnectionReset();
    }
    if (err instanceof GetAnswerError && !signal.aborted) return new PrusaLinkError('PROTOCOL', err.message, { ...ctx, cause: err });
    return this.mapFailure(err, signal, ctx);
  }

  private mapFailure(err: unknown, signal: AbortSignal, ctx: { method: string; path: string; printer: string }): PrusaLinkError {
    if (signal.aborted) {
      const reason = signal.reason;
      if (reason instanceof PrusaLinkError) return reason;
      return abortedError(this.closed ? 'closed' : 'request', { ...ctx, cause: err });
    }
    const e = err as { code?: string; message?: string };
    const msg = e?.message ?? '';
    if (/maxContentLength/.test(msg))
      return new PrusaLinkError('PROTOCOL', `the answer is larger than ${this.opts.maxResponseBytes} bytes`, { ...ctx, cause: err });
    if (/stream has been aborted|aborted/i.test(msg) && e.code === 'ERR_BAD_RESPONSE')
      return new PrusaLinkError('PROTOCOL', 'the answer was cut off', { ...ctx, cause: err });
    const mapped = networkError(err, ctx);
    if (mapped.code === 'UNREACHABLE') for (const listener of this.unreachableListeners) listener();
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
