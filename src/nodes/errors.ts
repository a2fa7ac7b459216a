/**
 * Errors as flow nodes hand them to Node-RED. The runtime copies an Error's OWN `code` property into
 * `msg.error.code` for Catch nodes (Flow.handleError), so every error we pass to done() carries one.
 */
import type { NodeAPI, NodeStatus } from 'node-red';
import type { CodedError } from './types';
import { sharedText } from './i18n';
import { statusOf } from './node-status';

/** An Error with a code, built by the nodes themselves (e.g. a refused delete of the storage root). */
export function codedError(code: string, message: string): CodedError {
  const err = new Error(message) as CodedError;
  err.code = code;
  return err;
}

/** Anything thrown below us, as an Error whose own `code` Node-RED passes on to Catch nodes. */
export function asCodedError(thrown: unknown): CodedError {
  if (thrown instanceof Error) {
    const err = thrown as Partial<CodedError> & Error;
    // Re-assigning makes `code` an own, enumerable property even if a class put it elsewhere.
    const code = typeof err.code === 'string' && err.code ? err.code : 'ERROR';
    (err as CodedError).code = code;
    return withoutSecretsInCause(err as CodedError);
  }
  return codedError('ERROR', String(thrown));
}

/**
 * The client keeps the transport's own error as `cause`; an axios error there carries the request
 * config, API key header included, and util.inspect (so any log handler) prints a cause. What leaves
 * the node is a copy whose cause holds only the original cause's code and words.
 */
function withoutSecretsInCause(err: CodedError): CodedError {
  const cause = (err as { cause?: unknown }).cause;
  if (cause === undefined) return err;
  const c = cause as { code?: unknown; message?: unknown };
  const safeCause = new Error(typeof c.message === 'string' ? c.message : String(cause));
  if (typeof c.code === 'string') (safeCause as Partial<CodedError>).code = c.code;
  const copy = new Error(err.message, { cause: safeCause }) as CodedError;
  copy.name = err.name;
  if (err.stack) copy.stack = err.stack;
  Object.assign(copy, err); // own enumerable fields: code, status, printerMessage, method, path, printer
  return copy;
}

/** Short reason shown in a red ring: a few codes people meet often get their own word. */
const REASONS: Record<string, string> = {
  AUTH_FAILED: 'unauthorized',
  FORBIDDEN: 'unauthorized',
  UNREACHABLE: 'offline',
  TIMEOUT: 'timeout',
  NOT_FOUND: 'notFound',
  PRINTER_BUSY: 'busy',
  NOT_READY: 'notReady',
  FILE_EXISTS: 'exists',
  FILE_BUSY: 'fileBusy',
  FOLDER_NOT_EMPTY: 'notEmpty',
  TRANSFER_IN_PROGRESS: 'busy',
  NO_JOB: 'noJob',
  ABORTED: 'aborted',
  INVALID_ARGUMENT: 'invalid',
  INVALID_PATH: 'invalid',
  NAME_TOO_LONG: 'invalid',
  INCOMPATIBLE: 'incompatible',
  UNSUPPORTED: 'unsupported',
  UNSUPPORTED_FILE: 'fileType',
  CONFIG: 'noPrinter',
  // the print queue's refusals (src/queue)
  BAD_INPUT: 'invalid',
  BAD_ACTION: 'invalid',
  BAD_TIME: 'invalid',
  NO_SUCH_JOB: 'notFound',
  FILE_NOT_FOUND: 'notFound',
};

export function errorStatus(RED: NodeAPI, err: CodedError): NodeStatus {
  return statusOf.failed(sharedText(RED, 'reason.' + (REASONS[err.code] || 'error')));
}
