/**
 * Buddy's Digest dialect (RFC 2069): realm "Printer API", user `maker`, no qop; the nonce is `random32<<32 | uptime_s`
 * as 16 hex digits. Only `nonce` and `response` are read; HA2 comes from the actual request line.
 */
import { md5 } from './md5';

export const BUDDY_REALM = 'Printer API';
export const BUDDY_USER = 'maker';

export interface BuddyNonceState {
  /** The random half of the nonces this boot hands out. */
  random: number;
  /** Current uptime in seconds. */
  uptime: number;
  /** Seconds a nonce stays valid. */
  lifetime: number;
}

export function makeBuddyNonce(random: number, uptime: number): string {
  return (random >>> 0).toString(16).padStart(8, '0') + (uptime >>> 0).toString(16).padStart(8, '0');
}

export function buddyResponse(password: string, nonce: string, method: string, target: string): string {
  const ha1 = md5(`${BUDDY_USER}:${BUDDY_REALM}:${password}`);
  const ha2 = md5(`${method}:${target}`);
  return md5(`${ha1}:${nonce}:${ha2}`);
}

export type DigestVerdict = 'ok' | 'stale' | 'bad';

/** `stale` means the response is right but the nonce is from before a reboot or older than its lifetime. */
export function verifyBuddyDigest(
  params: Record<string, string>,
  method: string,
  target: string,
  password: string,
  state: BuddyNonceState,
): DigestVerdict {
  const nonce = params['nonce'];
  const response = params['response'];
  if (!nonce || !response || !/^[0-9a-fA-F]{16}$/.test(nonce)) return 'bad';
  if (buddyResponse(password, nonce, method, target) !== response.toLowerCase()) return 'bad';
  const random = parseInt(nonce.slice(0, 8), 16);
  const issued = parseInt(nonce.slice(8), 16);
  if (random !== state.random >>> 0) return 'stale';
  const age = state.uptime - issued;
  if (age < 0 || age > state.lifetime) return 'stale';
  return 'ok';
}

export function buddyChallenge(nonce: string, stale: boolean): string {
  return `Digest realm="${BUDDY_REALM}", nonce="${nonce}", stale=${stale ? 'true' : 'false'}`;
}
