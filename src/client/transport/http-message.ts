/**
 * What goes over the wire and how an answer is read, for both paths of the transport (axios and the upload wire): a
 * request's spec, its answer, the rules read from them (which request may be sent again) and reading a body.
 */
import type { Readable } from 'node:stream';
import type { BodyOut } from './upload-body';

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
  /** The answer, read; empty when it is handed over as `stream`. */
  body: Buffer;
  stream?: Readable;
}

/** The answer of a `responseType: 'stream'` request: its body unread, for the caller to read or destroy. */
export interface StreamedResponse extends HttpResponse {
  stream: Readable;
}

/** Only a request without a body that changes nothing may be sent again after a failure: GET and HEAD. */
export function isRetryable(spec: RequestSpec): boolean {
  return (spec.method === 'GET' || spec.method === 'HEAD') && spec.write === undefined && spec.json === undefined;
}

/**
 * The failure Node reports when a reused keep-alive connection turns out to be closed: reset (or the write refused)
 * before any byte of an answer. The request cannot have been served, so it is safe to send an idempotent one again.
 */
export function isIdleConnectionReset(err: unknown): boolean {
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

/** Header names in lower case, repeated headers joined: one string per header. */
export function flatHeaders(h: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

/**
 * The request-target as it may go on the request line: every byte outside printable ASCII (space, controls, DEL,
 * non-ASCII as its UTF-8 bytes) percent-encoded, existing `%XX` left alone. This is what axios's `new URL` did for
 * these bytes; node:http sends a raw Latin-1 byte or refuses a space (ERR_UNESCAPED_CHARACTERS). Printer refs (Pi
 * thumbnail queries) may hold such bytes. Digest hashes this same string (docs: the uri is the target as sent).
 */
export function wireTarget(target: string): string {
  // Buffer's UTF-8 turns a lone surrogate into U+FFFD, as `new URL` does (encodeURIComponent would throw).
  const encode = (run: string): string => Array.from(Buffer.from(run, 'utf8'), (b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join('');
  // eslint-disable-next-line no-control-regex
  return /[^\x21-\x7e]/.test(target) ? target.replace(/[^\x21-\x7e]+/g, encode) : target;
}
