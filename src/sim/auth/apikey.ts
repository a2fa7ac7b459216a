import { timingSafeEqual } from 'node:crypto';

/** Constant-time comparison, so the simulator does not teach clients to rely on timing. */
export function keyMatches(given: string, expected: string | undefined): boolean {
  if (expected === undefined || expected.length === 0) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
