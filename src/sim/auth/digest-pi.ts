/**
 * Pi PrusaLink's Digest (PoorWSGI): realm "Administrator", qop=auth, algorithm=MD5-sess, opaque = sha256(host name),
 * nonce = sha256(secret + time bucket + User-Agent). `nc` is not checked, so a nonce can be reused.
 */
import { md5, sha256 } from './md5';

export const PI_REALM = 'Administrator';
/** Seconds per nonce time bucket; a nonce is valid in its bucket and the next. */
export const PI_NONCE_BUCKET_S = 60;

export function piOpaque(hostname: string): string {
  return sha256(hostname);
}

export function piNonce(secret: string, bucket: number, userAgent: string): string {
  return sha256(`${secret}${bucket}${userAgent}`);
}

export function piBucket(nowMs: number): number {
  return Math.floor(nowMs / 1000 / PI_NONCE_BUCKET_S);
}

export function piResponse(p: {
  user: string;
  password: string;
  nonce: string;
  cnonce: string;
  nc: string;
  qop: string;
  method: string;
  uri: string;
}): string {
  const ha1 = md5(`${md5(`${p.user}:${PI_REALM}:${p.password}`)}:${p.nonce}:${p.cnonce}`);
  const ha2 = md5(`${p.method}:${p.uri}`);
  return md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
}

export interface PiAuthState {
  user: string;
  password: string;
  secret: string;
  opaque: string;
  nowMs: number;
}

/** `stale` means the response is right for an expired nonce, or for one issued to another User-Agent. */
export function verifyPiDigest(
  params: Record<string, string>,
  method: string,
  requestTarget: string,
  userAgent: string,
  s: PiAuthState,
): 'ok' | 'stale' | 'bad' {
  const { nonce, cnonce, nc, qop, uri, response, algorithm, opaque, realm, username } = params;
  if (!nonce || !cnonce || !nc || !uri || !response) return 'bad';
  if (algorithm !== 'MD5-sess' || qop !== 'auth' || realm !== PI_REALM || opaque !== s.opaque) return 'bad';
  if (username !== s.user) return 'bad';
  if (!safeDecode(uri).endsWith(safeDecode(requestTarget))) return 'bad';
  const expected = piResponse({ user: s.user, password: s.password, nonce, cnonce, nc, qop, method, uri });
  if (expected !== response.toLowerCase()) return 'bad';
  const bucket = piBucket(s.nowMs);
  if (nonce !== piNonce(s.secret, bucket, userAgent) && nonce !== piNonce(s.secret, bucket - 1, userAgent)) return 'stale';
  return 'ok';
}

export function piChallenge(nonce: string, opaque: string, stale: boolean): string {
  return (
    `Digest realm="${PI_REALM}",qop="auth",algorithm="MD5-sess",nonce="${nonce}",opaque="${opaque}"` +
    (stale ? ',stale=true' : '')
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
