/** The constructor's options checked and completed, so that a mistake fails at once rather than at the first request. */
import { parseAddress, type PrinterAddress } from './address';
import { PrusaLinkError } from './errors';
import type { ClientOptions } from './types';

const DEFAULTS = { timeout: 10_000, uploadStallTimeout: 30_000, maxResponseBytes: 8 * 1024 * 1024 };
const DEFAULT_USER_AGENT = 'node-red-prusalink/0.1 (PrusaLinkClient)';

export interface ResolvedOptions {
  address: PrinterAddress;
  timeout: number;
  uploadStallTimeout: number;
  maxResponseBytes: number;
  userAgent: string;
}

export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (!options || typeof options !== 'object') throw new PrusaLinkError('INVALID_ARGUMENT', 'options are required');
  const address = parseAddress(options.host, options.port, options.protocol);
  const positive = (v: number | undefined, name: string, def: number): number => {
    if (v === undefined) return def;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
      throw new PrusaLinkError('INVALID_ARGUMENT', `${name} must be a positive number of ${name === 'maxResponseBytes' ? 'bytes' : 'milliseconds'}`);
    return v;
  };
  const timeout = positive(options.timeout, 'timeout', DEFAULTS.timeout);
  const uploadStallTimeout = positive(options.uploadStallTimeout, 'uploadStallTimeout', DEFAULTS.uploadStallTimeout);
  const maxResponseBytes = positive(options.maxResponseBytes, 'maxResponseBytes', DEFAULTS.maxResponseBytes);
  for (const k of ['apiKey', 'user', 'password', 'userAgent'] as const) {
    if (options[k] !== undefined && typeof options[k] !== 'string') throw new PrusaLinkError('INVALID_ARGUMENT', `${k} must be a string`);
  }
  if (options.allowSelfSigned && address.protocol !== 'https') throw new PrusaLinkError('INVALID_ARGUMENT', 'allowSelfSigned applies to https only');
  return { address, timeout, uploadStallTimeout, maxResponseBytes, userAgent: options.userAgent || DEFAULT_USER_AGENT };
}
