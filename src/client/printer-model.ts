/**
 * The printer model by name, from whatever the printer tells (facts document §1, §8.1). Nothing requires it: Buddy
 * below 6.5.1 does not send `printer`, so a Buddy MK4 on 6.4 has no model here (trap 18).
 */
import type { Family } from './types';

/** `/api/version.printer` (`type.version.subversion`, Buddy ≥ 6.5.1) → the model's name (§8.1). */
const BUDDY_MODEL_CODES: Readonly<Record<string, string>> = {
  '1.4.0': 'MK4',
  '1.4.1': 'MK4S',
  '1.3.5': 'MK3.5',
  '1.3.6': 'MK3.5S',
  '1.3.9': 'MK3.9',
  '1.3.10': 'MK3.9S',
  '2.1.0': 'MINI',
  '3.1.0': 'XL',
  '7.1.0': 'Core One',
  '8.1.0': 'Core One L',
  '7.10.0': 'Core One INDX',
};

/** Pi PrusaLink's `original` names the printer type of the SDK (`PrusaLink I3MK3S`); the Prusa names of those types. */
const PI_PRINTER_TYPES: Readonly<Record<string, string>> = {
  I3MK3S: 'MK3S',
  I3MK3: 'MK3',
  I3MK25S: 'MK2.5S',
  I3MK25: 'MK2.5',
};

export function printerModelOf(family: Family, version: Record<string, unknown>): string | undefined {
  if (family === 'mini-legacy') return typeof version['text'] === 'string' && /\bMINI\b/.test(version['text']) ? 'MINI' : undefined;
  if (family === 'pi') {
    const original = nonEmpty(version['original']);
    if (!original) return undefined;
    const type = original.replace(/^PrusaLink\s+/i, '');
    return PI_PRINTER_TYPES[type.toUpperCase()] ?? type;
  }
  const code = nonEmpty(version['printer']);
  // A code this table does not know yet (a model newer than the facts document) is kept as it came.
  return code === undefined ? undefined : (BUDDY_MODEL_CODES[code] ?? code);
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
