/** Turns the config node's settings (or the edit dialog's values) into PrusaLink client options. */
import type { ClientOptions } from '../client/types';
import type { PrinterCredentials } from './types';
import { codedError } from './errors';

export interface PrinterSettings {
  host?: unknown;
  port?: unknown;
  protocol?: unknown;
  allowSelfSigned?: unknown;
  auth?: unknown;
  timeout?: unknown;
}

export const DEFAULT_TIMEOUT_S = 10;
export const DEFAULT_POLL_S = 10;
/** Polls faster than this would load the printer's small web server for nothing. */
export const MIN_POLL_S = 0.5;

/** A number of seconds from a field that may be empty or a string. */
export function seconds(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : Number(String(value ?? '').trim() || NaN);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/**
 * An upload has no total timeout, only a stall timer. It follows the node's timeout, with slack for a
 * printer that pauses to write its USB stick: without this, a printer that hangs mid-upload held the
 * node for the client's fixed 30 s whatever timeout the user set.
 */
const UPLOAD_STALL_FACTOR = 3;

export function clientOptions(settings: PrinterSettings, creds: PrinterCredentials): ClientOptions {
  const port = String(settings.port ?? '').trim();
  const timeout = Math.round(seconds(settings.timeout, DEFAULT_TIMEOUT_S) * 1000) || DEFAULT_TIMEOUT_S * 1000;
  const options: ClientOptions = {
    host: String(settings.host ?? '').trim(),
    protocol: settings.protocol === 'https' ? 'https' : 'http',
    allowSelfSigned: settings.allowSelfSigned === true || settings.allowSelfSigned === 'true',
    timeout,
    uploadStallTimeout: timeout * UPLOAD_STALL_FACTOR,
    userAgent: 'node-red-prusalink',
  };
  if (port) options.port = Number(port);
  // An empty secret would send requests without credentials, only for the printer to answer 401.
  if (settings.auth === 'digest') {
    if (!creds.password) throw codedError('INVALID_ARGUMENT', 'the password is empty: set the printer password');
    options.user = creds.user || 'maker';
    options.password = creds.password;
  } else {
    if (!creds.apiKey) throw codedError('INVALID_ARGUMENT', 'the API key is empty: set the API key shown in the printer menu');
    options.apiKey = creds.apiKey;
  }
  return options;
}
