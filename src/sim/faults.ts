/** Switchable faults, and how they change a JSON body on the way out. */
import type { SimFaults } from './types';

const KNOWN: (keyof SimFaults)[] = [
  'latencyMs',
  'hang',
  'resetAfterBytes',
  'status',
  'transferInProgress',
  'staleNonceAlways',
  'badJson',
  'hugeResponseBytes',
  'slowBodyMs',
  'printAfterUploadTrap',
  'piFolderRace',
];

/** Keeps only known keys, so a typo in a control request is an error rather than a silent no-op. */
export function validateFaults(input: unknown): SimFaults {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('faults must be an object');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (!KNOWN.includes(k as keyof SimFaults)) throw new Error(`unknown fault: ${k}`);
    out[k] = v;
  }
  const f = out as SimFaults;
  if (f.status !== undefined && f.status !== 500 && f.status !== 503) throw new Error('fault status must be 500 or 503');
  if (f.badJson !== undefined && f.badJson !== 'malformed' && f.badJson !== 'truncated') {
    throw new Error("badJson must be 'malformed' or 'truncated'");
  }
  return f;
}

/** Serialises a JSON answer, then breaks or pads it as the faults ask. */
export function renderJson(value: unknown, faults: SimFaults): Buffer {
  let text = JSON.stringify(value);
  if (faults.hugeResponseBytes && faults.hugeResponseBytes > text.length && text.startsWith('{')) {
    const pad = faults.hugeResponseBytes - text.length - '"_padding":"",'.length;
    text = `{"_padding":"${'x'.repeat(Math.max(0, pad))}",${text.slice(1)}`;
    if (text.endsWith(',}')) text = text.slice(0, -2) + '}';
  }
  if (faults.badJson === 'malformed') text = `{"malformed":${text.slice(1)}`.replace(/}$/, ',');
  let body = Buffer.from(text);
  if (faults.badJson === 'truncated') body = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
  return body;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
