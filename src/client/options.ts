/**
 * The constructor's options checked and completed, so that a mistake fails at once rather than at the first request;
 * among them the user's host/port/protocol turned into one base URL, refusing anything ambiguous.
 */
import { isIP } from 'node:net';
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

// ---- the printer's address ----------------------------------------------------------------------------------

export interface PrinterAddress {
  protocol: 'http' | 'https';
  /** Host name or IP, IPv6 without brackets. */
  hostname: string;
  port: number;
  /** `http://host:port` with IPv6 in brackets, no trailing slash. */
  baseUrl: string;
  /** `host:port` for messages. */
  label: string;
}

function invalid(msg: string): PrusaLinkError {
  return new PrusaLinkError('INVALID_ARGUMENT', msg);
}

function checkPort(port: number, what: string): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(`${what} must be an integer from 1 to 65535`);
  return port;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$/;

export function parseAddress(host: string, port?: number, protocol?: 'http' | 'https'): PrinterAddress {
  if (typeof host !== 'string' || host.trim() === '') throw invalid('the printer host is empty');
  if (protocol !== undefined && protocol !== 'http' && protocol !== 'https')
    throw invalid(`protocol must be "http" or "https", not "${String(protocol)}"`);
  let rest = host.trim();
  let scheme: 'http' | 'https' | undefined;
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (schemeMatch) {
    const s = schemeMatch[1].toLowerCase();
    if (s !== 'http' && s !== 'https') throw invalid(`unsupported scheme "${s}" in host (use http or https)`);
    scheme = s;
    rest = rest.slice(schemeMatch[0].length);
    if (rest.endsWith('/')) rest = rest.slice(0, -1);
  }
  if (/[/?#]/.test(rest)) throw invalid(`the host "${host}" must not contain a path, query or fragment`);
  if (rest.includes('@')) throw invalid('the host must not contain user information; use the user/password options');
  if (scheme && protocol && scheme !== protocol) throw invalid(`the host says ${scheme} but the protocol option says ${protocol}`);

  let hostname: string;
  let hostPort: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (bracketed) {
    hostname = bracketed[1];
    if (isIP(hostname) !== 6) throw invalid(`"${hostname}" in brackets is not an IPv6 address`);
    if (bracketed[2] !== undefined) hostPort = parsePortText(bracketed[2]);
  } else if (isIP(rest) === 6) {
    hostname = rest; // bare IPv6 such as ::1 cannot carry a port
  } else {
    const idx = rest.lastIndexOf(':');
    if (idx >= 0) {
      hostname = rest.slice(0, idx);
      hostPort = parsePortText(rest.slice(idx + 1));
    } else {
      hostname = rest;
    }
    if (!hostname) throw invalid('the printer host is empty');
    if (isIP(hostname) !== 4 && !HOSTNAME.test(hostname)) throw invalid(`"${hostname}" is not a valid host name or IP address`);
  }
  const proto = scheme ?? protocol ?? 'http';
  const finalPort =
    port !== undefined && port !== null ? checkPort(port, 'port') : (hostPort ?? (proto === 'https' ? 443 : 80));
  const hostPart = isIP(hostname) === 6 ? `[${hostname}]` : hostname;
  return {
    protocol: proto,
    hostname,
    port: finalPort,
    baseUrl: `${proto}://${hostPart}:${finalPort}`,
    label: `${hostPart}:${finalPort}`,
  };
}

function parsePortText(text: string): number {
  if (!/^\d{1,5}$/.test(text)) throw invalid(`"${text}" is not a valid port`);
  return checkPort(Number(text), 'the port');
}
