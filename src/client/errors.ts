/** The one error type of the client, and the mapping of HTTP answers and network failures onto stable codes (docs §7). */
import type { ErrorCode } from './types';

export interface ErrorDetails {
  status?: number;
  printerMessage?: string;
  method?: string;
  path?: string;
  printer?: string;
  /** The underlying failure; only its `code` and `message` are kept (see safeCause). */
  cause?: unknown;
}

export class PrusaLinkError extends Error {
  readonly code: ErrorCode;
  readonly status?: number;
  /** The printer's own words (JSON `message`, plain text or HTML text), when it sent any. */
  readonly printerMessage?: string;
  readonly method?: string;
  readonly path?: string;
  /** The printer's label (`host:port`). */
  readonly printer?: string;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(details.printer ? `PrusaLink ${details.printer}: ${message}` : message);
    this.name = 'PrusaLinkError';
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.printerMessage) this.printerMessage = details.printerMessage;
    if (details.method) this.method = details.method;
    if (details.path) this.path = details.path;
    if (details.printer) this.printer = details.printer;
    if (details.cause !== undefined) Object.defineProperty(this, 'cause', { value: safeCause(details.cause), enumerable: false });
  }
}

/**
 * A transport error keeps the request it failed on: an axios error's `config` and `request` hold the headers,
 * X-Api-Key and Authorization included, and util.inspect (so console.log and every log handler) prints a cause in
 * depth. The client therefore keeps only the cause's words and code, in a plain Error with nothing else attached.
 */
function safeCause(cause: unknown): Error {
  const c = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown; message?: unknown; name?: unknown }) : {};
  const safe = new Error(typeof c.message === 'string' ? c.message : String(cause));
  if (typeof c.name === 'string') safe.name = c.name;
  if (typeof c.code === 'string') (safe as Error & { code?: string }).code = c.code;
  return safe;
}

/** What ended a call on our side: the client was closed, or the caller aborted a request or an upload. */
export type AbortCause = 'closed' | 'request' | 'upload' | 'upload-not-started';

const ABORTED_BECAUSE: Readonly<Record<AbortCause, string>> = {
  closed: 'the client was closed',
  request: 'the request was aborted',
  upload: 'the upload was aborted',
  'upload-not-started': 'the upload was aborted before it started',
};

/** ABORTED, built here only: the scheduler, the transport and the upload all say it in the same words. */
export function abortedError(cause: AbortCause, details: ErrorDetails = {}): PrusaLinkError {
  return new PrusaLinkError('ABORTED', ABORTED_BECAUSE[cause], details);
}

export function isPrusaLinkError(err: unknown, code?: ErrorCode): err is PrusaLinkError {
  return err instanceof PrusaLinkError && (code === undefined || err.code === code);
}

/** `work`'s result, or `fallback` where NOT_FOUND is an answer rather than a failure (a file or folder that is gone). */
export async function ifNotFound<T, F>(work: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await work;
  } catch (e) {
    if (isPrusaLinkError(e, 'NOT_FOUND')) return fallback;
    throw e;
  }
}

/** Pulls the human message out of an error body: JSON {title,message}, text/plain `409: Conflict\n\nmsg`, or HTML. */
export function extractPrinterMessage(body: Buffer | undefined, contentType: string | undefined): string | undefined {
  if (!body || body.length === 0) return undefined;
  const text = body.subarray(0, 4096).toString('utf8').trim();
  if (!text) return undefined;
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      const msg = json.message ?? json.text ?? json.title;
      if (typeof msg === 'string' && msg.trim()) return msg.trim();
    } catch {
      // not JSON after all: fall through to the text forms
    }
  }
  if ((contentType ?? '').includes('html') || /^<(!doctype|html)/i.test(text)) {
    const stripped = text
      .replace(/<(script|style|title|head)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return stripped.slice(0, 300) || undefined;
  }
  // Buddy text/plain: "409: Conflict\n\nFile already exists\n"; Pi: "Title\nText\n\nSee: url"
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !/^See:/i.test(l));
  if (lines.length > 1 && /^\d{3}(:|\s)/.test(lines[0])) lines.shift();
  return lines.join(' ').slice(0, 300) || undefined;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'the printer rejected the request as malformed',
  401: 'wrong password or API key',
  403: 'access forbidden',
  404: 'not found',
  405: 'method not allowed by this printer',
  408: 'the printer timed out waiting for data',
  409: 'the printer refused the request in its current state',
  410: 'not supported by this printer firmware',
  411: 'the printer needs a Content-Length',
  413: 'request too large for the printer',
  414: 'the request URL is too long for the printer',
  415: 'not a printable file type for this printer',
  422: 'the file name contains characters the printer does not accept',
  431: 'the file name is too long for the printer',
  500: 'the printer reported an internal error',
  501: 'the printer does not implement this (an empty upload?)',
  503: 'the printer is not ready (starting up or its serial link is down)',
  507: 'the printer storage is full or could not be written',
};

/** Maps a non-2xx HTTP answer to a code (docs §7); 409 is told apart by the printer's message. */
export function codeForStatus(status: number, msg: string | undefined): ErrorCode {
  const m = (msg ?? '').toLowerCase();
  switch (status) {
    case 401:
      return 'AUTH_FAILED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 408:
      return 'TIMEOUT';
    case 409:
      if (m.includes('another transfer') || m.includes('ongoing transfer') || m.includes('only one file'))
        return 'TRANSFER_IN_PROGRESS';
      if (m.includes('already exists') || m.includes('alreadyexists')) return 'FILE_EXISTS';
      // Pi: "Directory can't be deleted, because it's not empty." says what to do (delete recursively), not "wait".
      if (m.includes('not empty')) return 'FOLDER_NOT_EMPTY';
      if (m.includes('busy') || m.includes('being printed') || m.includes('currently printed') || m.includes('being transferred'))
        return 'FILE_BUSY';
      if (m.includes("can't print") || m.includes("can't start") || m.includes('cannot print') || m.includes('not ready') || m.includes('notstatetoprint'))
        return 'NOT_READY';
      return 'PRINTER_BUSY';
    case 410:
    case 405:
    case 501:
      return 'UNSUPPORTED';
    case 413:
    case 414:
    case 431:
      return 'NAME_TOO_LONG';
    case 415:
      return 'UNSUPPORTED_FILE';
    case 422:
      return 'INVALID_PATH';
    case 400:
      if (m.includes('too long')) return 'NAME_TOO_LONG';
      if (m.includes('forbidden char') || m.includes('invalid char')) return 'INVALID_PATH';
      return 'PROTOCOL';
    default:
      if (status >= 500) return 'SERVER_ERROR';
      return 'PROTOCOL';
  }
}

export function httpError(
  status: number,
  body: Buffer | undefined,
  contentType: string | undefined,
  ctx: { method: string; path: string; printer: string },
): PrusaLinkError {
  const printerMessage = extractPrinterMessage(body, contentType);
  const code = codeForStatus(status, printerMessage);
  const base = STATUS_TEXT[status] ?? `unexpected answer`;
  const message = printerMessage ? `${base}: ${printerMessage} (HTTP ${status})` : `${base} (HTTP ${status})`;
  return new PrusaLinkError(code, message, { ...ctx, status, printerMessage });
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'ECONNABORTED_SOCKET']);
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_SSL/i;

/** Maps a transport failure (no HTTP answer) to a code. */
export function networkError(err: unknown, ctx: { method: string; path: string; printer: string }): PrusaLinkError {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code ?? '';
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ESOCKETTIMEDOUT')
    return new PrusaLinkError('TIMEOUT', 'the printer did not answer in time', { ...ctx, cause: err });
  if (TLS_CODE.test(code))
    return new PrusaLinkError(
      'TLS',
      `TLS certificate not accepted (${code}); if the printer uses a self-signed certificate, enable the allowSelfSigned option`,
      { ...ctx, cause: err },
    );
  if (UNREACHABLE_CODES.has(code)) {
    const why: Record<string, string> = {
      ECONNREFUSED: 'connection refused (is the printer on and PrusaLink enabled?)',
      EHOSTUNREACH: 'host unreachable',
      ENETUNREACH: 'network unreachable',
      ENOTFOUND: 'host name not found',
      EAI_AGAIN: 'host name could not be resolved',
      ECONNRESET: 'connection reset by the printer',
      EPIPE: 'connection closed by the printer',
    };
    return new PrusaLinkError('UNREACHABLE', `printer unreachable: ${why[code] ?? code}`, { ...ctx, cause: err });
  }
  const detail = code || (e?.message ?? 'unknown error');
  return new PrusaLinkError('UNREACHABLE', `request failed: ${detail}`, { ...ctx, cause: err });
}
