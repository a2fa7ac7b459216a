/**
 * Fault `staleNonceAlways`: the nonces handed out with stale=true. Each refusal hands out a nonce of its own, which
 * is accepted once, from the refused request (same method and target), for a few seconds. A request carrying any
 * other nonce, even one issued to a concurrent request, is refused once more, so every request needs exactly one
 * retry however many run at the same time, and nothing of a refusal whose retry never came (a stream upload) stays.
 */
import { randomBytes } from 'node:crypto';

/** Long enough for a retry over a slow link, short enough that an unused nonce is soon forgotten. */
const LIFETIME_MS = 10_000;

export class StaleNonces {
  private readonly issued = new Map<string, { request: string; until: number }>();

  /** Records `nonce` as handed out in a stale answer to `request` (`METHOD target`). */
  issue(nonce: string, request: string): void {
    const now = Date.now();
    for (const [n, v] of this.issued) if (v.until <= now) this.issued.delete(n);
    this.issued.set(nonce, { request, until: now + LIFETIME_MS });
  }

  /** True, once, when `nonce` was handed out to this same request within its lifetime. */
  redeem(nonce: string, request: string): boolean {
    const v = this.issued.get(nonce);
    if (!v || v.request !== request || v.until <= Date.now()) return false;
    this.issued.delete(nonce);
    return true;
  }

  clear(): void {
    this.issued.clear();
  }
}

/** 32 random bits, so that two refusals in the same second never hand out the same nonce. */
export function randomNonceHalf(): number {
  return randomBytes(4).readUInt32BE(0);
}
