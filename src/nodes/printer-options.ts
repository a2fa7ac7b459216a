/** Turns the config node's settings (or the edit dialog's values) into PrusaLink client options. */
import type { ClientOptions } from '../client/types';
import type { PrinterCredentials } from './types';

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

export function clientOptions(settings: PrinterSettings, creds: PrinterCredentials): ClientOptions {
  const port = String(settings.port ?? '').trim();
  const options: ClientOptions = {
    host: String(settings.host ?? '').trim(),
    protocol: settings.protocol === 'https' ? 'https' : 'http',
    allowSelfSigned: settings.allowSelfSigned === true || settings.allowSelfSigned === 'true',
    timeout: Math.round(seconds(settings.timeout, DEFAULT_TIMEOUT_S) * 1000) || DEFAULT_TIMEOUT_S * 1000,
    userAgent: 'node-red-prusalink',
  };
  if (port) options.port = Number(port);
  if (settings.auth === 'digest') {
    options.user = creds.user || 'maker';
    options.password = creds.password || '';
  } else {
    options.apiKey = creds.apiKey || '';
  }
  return options;
}
