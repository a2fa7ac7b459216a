/**
 * Checks a request's credentials the way its family does. On failure the family's own 401/403 answer is sent
 * and false is returned.
 */
import type { Exchange } from '../http/exchange';
import { keyMatches } from './apikey';
import { parseDigestHeader } from './digest-params';
import { buddyChallenge, makeBuddyNonce, verifyBuddyDigest, type DigestVerdict } from './digest-buddy';
import { piBucket, piChallenge, piNonce, piOpaque, verifyPiDigest } from './digest-pi';
import { randomNonceHalf } from './stale-nonces';

export function authenticate(ex: Exchange): boolean {
  switch (ex.rt.family) {
    case 'mini-legacy':
      return authMini(ex);
    case 'pi':
      return authPi(ex);
    default:
      return authBuddy(ex);
  }
}

function authMini(ex: Exchange): boolean {
  const key = ex.header('x-api-key');
  ex.record.auth = key !== undefined ? 'apikey' : 'none';
  if (key !== undefined && keyMatches(key, ex.rt.opts.apiKey)) return (ex.record.authOk = true);
  ex.error(401, 'Unauthorized');
  return false;
}

function authBuddy(ex: Exchange): boolean {
  const rt = ex.rt;
  const key = ex.header('x-api-key');
  if (key !== undefined && key !== '') {
    ex.record.auth = 'apikey';
    if (keyMatches(key, rt.opts.password)) return (ex.record.authOk = true);
    ex.error(401, 'Unauthorized', { 'WWW-Authenticate': 'ApiKey realm="Printer API"' });
    return false;
  }
  const params = parseDigestHeader(ex.header('authorization'));
  let verdict: DigestVerdict = 'bad';
  if (params) {
    ex.record.auth = 'digest';
    // An empty password means "login disabled": nothing authenticates.
    if (rt.opts.password !== '') {
      verdict = verifyBuddyDigest(params, ex.method, ex.rawUrl, rt.opts.password, {
        random: rt.nonceRandom,
        uptime: rt.uptimeSeconds(),
        lifetime: rt.opts.nonceLifetime,
      });
    }
    verdict = applyStaleFault(ex, params['nonce'], verdict);
  }
  if (verdict === 'ok') return (ex.record.authOk = true);
  const forced = verdict === 'stale' && rt.faults.staleNonceAlways === true;
  // A fault-forced refusal hands out a nonce no other refusal shares (a real one is the same for a whole second).
  const nonce = makeBuddyNonce(forced ? randomNonceHalf() : rt.nonceRandom, rt.uptimeSeconds());
  if (forced) rt.staleNonces.issue(nonce, requestOf(ex));
  ex.error(401, 'Unauthorized', { 'WWW-Authenticate': buddyChallenge(nonce, verdict === 'stale') });
  return false;
}

function authPi(ex: Exchange): boolean {
  const rt = ex.rt;
  const key = ex.header('x-api-key');
  if (key !== undefined) {
    ex.record.auth = 'apikey';
    if (keyMatches(key, rt.opts.apiKey)) return (ex.record.authOk = true);
    ex.send(403, Buffer.from('Bad X-Api-Key.'), { 'Content-Type': 'text/plain' });
    return false;
  }
  const ua = ex.header('user-agent') ?? '';
  const opaque = piOpaque(rt.opts.hostname);
  const params = parseDigestHeader(ex.header('authorization'));
  let verdict: DigestVerdict = 'bad';
  if (params) {
    ex.record.auth = 'digest';
    verdict = verifyPiDigest(params, ex.method, ex.rawUrl, ua, {
      user: rt.opts.user,
      password: rt.opts.password,
      secret: rt.piSecret,
      opaque,
      nowMs: Date.now(),
    });
    verdict = applyStaleFault(ex, params['nonce'], verdict);
  }
  if (verdict === 'ok') return (ex.record.authOk = true);
  const forced = verdict === 'stale' && rt.faults.staleNonceAlways === true;
  // A fault-forced refusal hands out a nonce no other refusal shares (a real one is the same for a whole minute).
  const nonce = piNonce(rt.piSecret, piBucket(Date.now()), forced ? `${ua}/${randomNonceHalf()}` : ua);
  if (forced) rt.staleNonces.issue(nonce, requestOf(ex));
  const html = '<html><head><title>401 - Unauthorized</title></head><body><h1>401 - Unauthorized</h1></body></html>';
  ex.send(401, Buffer.from(html), {
    'Content-Type': 'text/html; charset=utf-8',
    'WWW-Authenticate': piChallenge(nonce, opaque, verdict === 'stale'),
  });
  return false;
}

/**
 * Fault `staleNonceAlways`: a correct answer is refused with stale=true unless it carries the nonce handed out in the
 * refusal of this same request (stale-nonces.ts), which is accepted once.
 */
function applyStaleFault(ex: Exchange, nonce: string | undefined, verdict: DigestVerdict): DigestVerdict {
  const rt = ex.rt;
  if (!rt.faults.staleNonceAlways || verdict === 'bad') return verdict;
  if (nonce !== undefined && rt.staleNonces.redeem(nonce, requestOf(ex))) return 'ok';
  return 'stale';
}

/** What makes a retry the same request: its method and request-target. */
function requestOf(ex: Exchange): string {
  return `${ex.method} ${ex.rawUrl}`;
}
