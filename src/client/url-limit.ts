/**
 * The longest request URL a printer takes (facts document §9, `MAX_URL_LEN`): 100 characters on Buddy ≤ 5.0.x and
 * MINI 4.4, 168 from 5.1.0; Pi PrusaLink has no such limit. A longer URL gets 414, so the client refuses it first.
 */
import { isPrusaLinkError } from './errors';
import type { Transport } from './http';
import type { PrinterProfile } from './types';

const OLD_BUDDY_MAX_URL = 100;
const BUDDY_MAX_URL = 168;
/** A probe longer than the old limit and within the new one. */
const PROBE_CHARS = 120;

/**
 * From what detection learnt; when that cannot tell (Buddy 4.7 to 6.4 do not send their version), one GET of
 * /api/version with an ignored query of {@link PROBE_CHARS} characters: 414 means the old limit.
 */
export async function urlLimitOf(t: Transport, p: PrinterProfile): Promise<number | undefined> {
  if (p.family === 'pi') return undefined;
  if (p.family === 'mini-legacy') return OLD_BUDDY_MAX_URL;
  // 4.6.x is the only Buddy with PUT and without v1 status, and it is older than 5.1.
  if (!p.capabilities.v1) return OLD_BUDDY_MAX_URL;
  const version = /^(\d+)\.(\d+)/.exec(p.firmware ?? '');
  if (version) return Number(version[1]) > 5 || (Number(version[1]) === 5 && Number(version[2]) >= 1) ? BUDDY_MAX_URL : OLD_BUDDY_MAX_URL;
  const base = '/api/version?url-limit-probe=';
  try {
    const res = await t.send({ method: 'GET', target: base + 'x'.repeat(PROBE_CHARS - base.length), accept: [414] });
    return res.status === 414 ? OLD_BUDDY_MAX_URL : BUDDY_MAX_URL;
  } catch (err) {
    // Another HTTP answer to the probe says nothing about the limit: keep the usual one rather than fail detection.
    if (isPrusaLinkError(err) && err.status !== undefined) return BUDDY_MAX_URL;
    throw err;
  }
}
