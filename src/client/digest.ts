/**
 * HTTP Digest for both PrusaLink dialects (docs §2): Buddy (RFC 2069: plain MD5, no qop, quoted params only) and
 * Pi PrusaLink (RFC 2617: MD5-sess, qop=auth, opaque, nc, cnonce).
 */
import { createHash, randomBytes } from 'node:crypto';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  qop?: string;
  algorithm?: string;
  opaque?: string;
  stale: boolean;
}

export function md5(text: string): string {
  // A string is hashed as its UTF-8 bytes (Node's default encoding for strings).
  return createHash('md5').update(text).digest('hex');
}

/** Parses `key=value, key="quoted, value"` auth-params. */
function parseParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    out[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
  }
  return out;
}

/** The scheme of a WWW-Authenticate header (`digest`, `apikey`, …), lower case. */
export function authScheme(header: string | undefined): string | undefined {
  const m = /^\s*([A-Za-z][A-Za-z0-9_-]*)/.exec(header ?? '');
  return m ? m[1].toLowerCase() : undefined;
}

/** Reads a Digest challenge; undefined when the header is not one. */
export function parseDigestChallenge(header: string | undefined): DigestChallenge | undefined {
  if (authScheme(header) !== 'digest') return undefined;
  // The scheme word is no key=value pair, so the parser passes over it.
  const params = parseParams(header as string);
  if (!params.nonce) return undefined;
  const ch: DigestChallenge = {
    realm: params.realm ?? '',
    nonce: params.nonce,
    stale: params.stale?.toLowerCase() === 'true',
  };
  if (params.qop) ch.qop = params.qop;
  if (params.algorithm) ch.algorithm = params.algorithm;
  if (params.opaque) ch.opaque = params.opaque;
  return ch;
}

export interface DigestInput {
  user: string;
  password: string;
  method: string;
  /** Exact request-target as sent: encoded path plus query. */
  uri: string;
  /** Pi dialect only; generated when absent. */
  cnonce?: string;
  /** Pi dialect only: the 1-based use count of this nonce. */
  nc?: number;
}

/** Buddy dialect: response = MD5(HA1:nonce:HA2) with HA1 = MD5(user:realm:pw), HA2 = MD5(method:uri). */
export function buddyResponse(user: string, realm: string, password: string, nonce: string, method: string, uri: string): string {
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  return md5(`${ha1}:${nonce}:${ha2}`);
}

/** Pi dialect: MD5-sess HA1 and qop=auth response. */
export function piResponse(
  user: string,
  realm: string,
  password: string,
  nonce: string,
  cnonce: string,
  nc: string,
  qop: string,
  method: string,
  uri: string,
): string {
  const ha1 = md5(`${md5(`${user}:${realm}:${password}`)}:${nonce}:${cnonce}`);
  const ha2 = md5(`${method}:${uri}`);
  return md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
}

function quote(v: string): string {
  return `"${v.replace(/(["\\])/g, '\\$1')}"`;
}

/** Builds the Authorization header for a challenge, in the dialect the challenge asks for. */
export function digestAuthorization(ch: DigestChallenge, input: DigestInput): string {
  const { user, password, method, uri } = input;
  if (!ch.qop) {
    // Buddy ≤ 5.1 answers 400 to any unquoted parameter, so send exactly these five, all quoted.
    const response = buddyResponse(user, ch.realm, password, ch.nonce, method, uri);
    return `Digest username=${quote(user)}, realm=${quote(ch.realm)}, nonce=${quote(ch.nonce)}, uri=${quote(uri)}, response=${quote(response)}`;
  }
  const qop = ch.qop.split(',').map((q) => q.trim()).includes('auth') ? 'auth' : ch.qop.split(',')[0].trim();
  const cnonce = input.cnonce ?? randomBytes(8).toString('hex');
  const nc = (input.nc ?? 1).toString(16).padStart(8, '0');
  const algorithm = ch.algorithm ?? 'MD5';
  const response = /-sess$/i.test(algorithm)
    ? piResponse(user, ch.realm, password, ch.nonce, cnonce, nc, qop, method, uri)
    : md5(`${md5(`${user}:${ch.realm}:${password}`)}:${ch.nonce}:${nc}:${cnonce}:${qop}:${md5(`${method}:${uri}`)}`);
  const parts = [
    `username=${quote(user)}`,
    `realm=${quote(ch.realm)}`,
    `nonce=${quote(ch.nonce)}`,
    `uri=${quote(uri)}`,
    `algorithm=${algorithm}`,
    `response=${quote(response)}`,
    `qop=${qop}`,
    `nc=${nc}`,
    `cnonce=${quote(cnonce)}`,
  ];
  if (ch.opaque !== undefined) parts.push(`opaque=${quote(ch.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}
