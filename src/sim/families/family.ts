import type { Exchange } from '../http/exchange';

/** A printer family's request router: authenticates and answers every non-control request. */
export type FamilyHandler = (ex: Exchange) => Promise<void> | void;

/** True for the boolean request headers as Buddy reads them (`?1`, and for some headers `1`/`true`). */
export function headerTrue(value: string | undefined, lenient: boolean): boolean {
  if (value === undefined) return false;
  const v = value.trim();
  return v === '?1' || (lenient && (v === '1' || v.toLowerCase() === 'true'));
}
