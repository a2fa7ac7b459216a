/**
 * Input checks of the queue's methods. Each throws QueueError naming the problem; none sends a request or changes
 * anything (the existence check of a printer file is the caller's, after these).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { QueueError } from './errors';
import type { AddInput, QueueOptions, QueueSource } from './types';

/** Every extension a PrusaLink printer prints (the family's own list is checked by the client at start). */
const PRINTABLE = /\.(gcode|gco|gc|g|bgcode|bgc)$/i;
export const MAX_COPIES = 1000;

export interface ValidAdd {
  source: QueueSource;
  copies: number;
  notBefore?: string;
  position?: number;
  data?: Buffer;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyString(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new QueueError('BAD_INPUT', `${what} must be a non-empty string`);
  if (v.includes('\0')) throw new QueueError('BAD_INPUT', `${what} contains a NUL character`);
  return v.trim();
}

/** A printer path: `/usb/a.gcode`, `local/x/a.gcode`, or relative to the default storage; it must name a print file. */
function printerPath(v: unknown, what: string): string {
  const p = nonEmptyString(v, what);
  if (p.endsWith('/')) throw new QueueError('BAD_INPUT', `${what} "${p}" names a folder, not a file`);
  if (p.split('/').some((s) => s === '..' || s === '.')) throw new QueueError('BAD_INPUT', `${what} "${p}" may not contain "." or ".."`);
  if (!PRINTABLE.test(p)) throw new QueueError('BAD_INPUT', `${what} "${p}" is not a print file (.gcode, .bgcode, .gco, .gc, .g, .bgc)`);
  return p;
}

function validSource(v: unknown): QueueSource {
  if (!isObject(v)) throw new QueueError('BAD_INPUT', 'source must be an object with kind "printer", "local" or "buffer"');
  switch (v.kind) {
    case 'printer':
      return { kind: 'printer', path: printerPath(v.path, 'source.path') };
    case 'local': {
      const file = nonEmptyString(v.file, 'source.file');
      const out: QueueSource = { kind: 'local', file: path.resolve(file) };
      if (v.target !== undefined) out.target = printerPath(v.target, 'source.target');
      else printerPath(path.basename(file), 'source.file');
      return out;
    }
    case 'buffer': {
      const name = nonEmptyString(v.name, 'source.name');
      if (name.includes('/') || name.includes('\\')) throw new QueueError('BAD_INPUT', `source.name "${name}" must be a file name without folders (use source.target)`);
      const out: QueueSource = { kind: 'buffer', name };
      if (v.target !== undefined) out.target = printerPath(v.target, 'source.target');
      else printerPath(name, 'source.name');
      return out;
    }
    default:
      throw new QueueError('BAD_INPUT', `source.kind must be "printer", "local" or "buffer", not ${JSON.stringify(v.kind)}`);
  }
}

export function validCopies(v: unknown): number {
  if (v === undefined) return 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_COPIES)
    throw new QueueError('BAD_INPUT', `copies must be a whole number from 1 to ${MAX_COPIES}, not ${JSON.stringify(v)}`);
  return v;
}

/** ISO string, epoch ms or Date → ISO string. */
export function validTime(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  let ms: number;
  if (v instanceof Date) ms = v.getTime();
  else if (typeof v === 'number') ms = v;
  else if (typeof v === 'string') ms = /^\d{4}-\d{2}-\d{2}/.test(v.trim()) ? Date.parse(v.trim()) : NaN;
  else ms = NaN;
  if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15)
    throw new QueueError('BAD_TIME', `notBefore must be an ISO date-time (e.g. 2026-12-05T22:00:00Z), epoch milliseconds or a Date, not ${JSON.stringify(v)}`);
  return new Date(ms).toISOString();
}

export function validIndex(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new QueueError('BAD_INPUT', `${what} must be a whole number from 0, not ${JSON.stringify(v)}`);
  return v;
}

export function validId(v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw new QueueError('BAD_INPUT', `a job id must be a non-empty string, not ${JSON.stringify(v)}`);
  return v.trim();
}

/** Everything about an add that can be checked without the printer (a local file must exist and be a file). */
export async function validAdd(input: AddInput): Promise<ValidAdd> {
  if (!isObject(input)) throw new QueueError('BAD_INPUT', 'add needs an object { source, copies?, notBefore?, position?, data? }');
  const source = validSource(input.source);
  const out: ValidAdd = { source, copies: validCopies(input.copies) };
  const notBefore = validTime(input.notBefore);
  if (notBefore) out.notBefore = notBefore;
  if (input.position !== undefined) out.position = validIndex(input.position, 'position');
  if (source.kind === 'buffer') {
    if (!Buffer.isBuffer(input.data) || input.data.length === 0)
      throw new QueueError('BAD_INPUT', 'a "buffer" job needs its bytes in data (a non-empty Buffer)');
    out.data = input.data;
  } else if (input.data !== undefined) {
    throw new QueueError('BAD_INPUT', `data is only for "buffer" jobs, not "${source.kind}"`);
  }
  if (source.kind === 'local') {
    const st = await fsp.stat(source.file).catch(() => undefined);
    if (!st) throw new QueueError('FILE_NOT_FOUND', `local file not found: ${source.file}`);
    if (!st.isFile()) throw new QueueError('BAD_INPUT', `${source.file} is not a file`);
  }
  return out;
}

export function newJobId(now: number): string {
  return `q-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export function validOptions(options: QueueOptions): void {
  if (!options || !options.client || !options.storage) throw new QueueError('BAD_INPUT', 'PrintQueue needs a client and a storage');
  if (options.bedClear !== 'printer' && options.bedClear !== 'flow')
    throw new QueueError('BAD_INPUT', `bedClear must be "printer" or "flow", not ${JSON.stringify(options.bedClear)}`);
  if (options.pollMs !== undefined && !(typeof options.pollMs === 'number' && Number.isFinite(options.pollMs) && options.pollMs >= 10))
    throw new QueueError('BAD_INPUT', `pollMs must be a number of milliseconds from 10, not ${JSON.stringify(options.pollMs)}`);
}
