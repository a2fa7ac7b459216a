/**
 * Authentication, all of it: the API key, or HTTP Digest in both PrusaLink dialects (docs §2) with the challenge
 * cached so that every request carries Authorization pre-emptively (one round trip per call, docs §2.3), a stale
 * nonce retried once, what a 401/403 means, and whether a body that should not be sent twice needs a fresh nonce.
 */
import { createHash, randomBytes } from 'node:crypto';

export type AuthVerdict =
  | { retry: true }
  | { retry: false; message: string };

export class Authenticator {
  readonly mode: 'apikey' | 'digest' | 'none';
  private challenge?: DigestChallenge;
  private nc = 0;
  private readonly user: string;
  private readonly password: string;
  private readonly apiKey: string;

  constructor(opts: { apiKey?: string; user?: string; password?: string }) {
    this.apiKey = opts.apiKey ?? '';
    this.user = opts.user || 'maker';
    this.password = opts.password ?? '';
    this.mode = this.apiKey ? 'apikey' : opts.password !== undefined && opts.password !== '' ? 'digest' : 'none';
  }

  /** Realm of the last challenge (tells Buddy `Printer API` from Pi `Administrator`). */
  get realm(): string | undefined {
    return this.challenge?.realm;
  }

  /**
   * Whether an upload body should be preceded by one cheap request: with Digest, a fresh and verified nonce right
   * before the body, so that no upload is streamed only to collect a 401 for a nonce that went stale meanwhile.
   */
  get wantsFreshChallengeBeforeBody(): boolean {
    return this.mode === 'digest';
  }

  /** A 403 about the credentials rather than a path: a text naming the API key, or an empty 403 to our API key. */
  isCredentials403(bodyStart: string, emptyBody: boolean): boolean {
    return /api.?key/i.test(bodyStart) || (this.mode === 'apikey' && emptyBody);
  }

  /** Forget the nonce, e.g. to have the next request fetch a fresh one. */
  reset(): void {
    this.challenge = undefined;
    this.nc = 0;
  }

  /** Headers to send for this request; Digest only once a challenge is known. */
  headers(method: string, uri: string): Record<string, string> {
    if (this.mode === 'apikey') return { 'X-Api-Key': this.apiKey };
    if (this.mode === 'digest' && this.challenge) {
      this.nc += 1;
      return {
        Authorization: digestAuthorization(this.challenge, { user: this.user, password: this.password, method, uri, nc: this.nc }),
      };
    }
    return {};
  }

  /**
   * Decides what a 401/403 means. `sentDigest` says whether the failed request carried an Authorization header;
   * `retried` whether it already was a retry (then a second 401 is final).
   */
  onRejected(status: number, wwwAuthenticate: string | undefined, sentDigest: boolean, retried: boolean, printerMessage?: string): AuthVerdict {
    const scheme = authScheme(wwwAuthenticate);
    if (status === 403) {
      // Pi PrusaLink answers 403 "Bad X-Api-Key." to a wrong or unconfigured key; Buddy uses 403 for paths outside /usb.
      if (/api.?key/i.test(printerMessage ?? '') || (this.mode === 'apikey' && !printerMessage))
        return { retry: false, message: 'wrong API key, or the printer has no API key configured (use the Digest user and password instead)' };
      return { retry: false, message: 'access forbidden' };
    }
    if (this.mode === 'apikey') {
      if (!wwwAuthenticate || scheme === 'apikey') return { retry: false, message: 'wrong API key' };
      return { retry: false, message: 'wrong API key (on this printer the API key is the PrusaLink password from the printer menu)' };
    }
    if (!wwwAuthenticate)
      return {
        retry: false,
        message:
          'this printer accepts only an API key (X-Api-Key), not a user and password; it is probably a MINI on firmware 4.4: set the API key shown in the printer menu',
      };
    const ch = parseDigestChallenge(wwwAuthenticate);
    if (!ch) return { retry: false, message: `the printer asks for an unsupported authentication scheme (${scheme ?? 'unknown'})` };
    if (this.mode === 'none') {
      this.setChallenge(ch);
      return { retry: false, message: 'the printer requires a password or an API key' };
    }
    if (!retried && (!sentDigest || ch.stale)) {
      this.setChallenge(ch);
      return { retry: true };
    }
    if (ch.stale) this.setChallenge(ch);
    return { retry: false, message: 'wrong password or API key' };
  }

  private setChallenge(ch: DigestChallenge): void {
    this.challenge = ch;
    this.nc = 0;
  }
}

// ---- Digest -------------------------------------------------------------------------------------------------

/**
 * HTTP Digest for both PrusaLink dialects (docs §2): Buddy (RFC 2069: plain MD5, no qop, quoted params only) and
 * Pi PrusaLink (RFC 2617: MD5-sess, qop=auth, opaque, nc, cnonce).
 */
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
