/**
 * Per-family JSON → the normalized public shapes. Every field of a printer answer is optional (docs §4, trap 6):
 * anything missing or of the wrong type is left out, never a crash.
 */
import type { FileEntry, FileRefs, Job, JobFile, PrinterState, PrinterStatus, StorageInfo, TransferStatus } from './types';

export type Json = Record<string, unknown>;

const STATES: readonly PrinterState[] = ['IDLE', 'BUSY', 'PRINTING', 'PAUSED', 'FINISHED', 'STOPPED', 'ERROR', 'ATTENTION', 'READY', 'UNKNOWN'];
const FILE_TYPES: readonly FileEntry['type'][] = ['FOLDER', 'PRINT_FILE', 'FIRMWARE', 'FILE'];

export function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'True') return true;
  if (v === 'false' || v === 'False') return false;
  return undefined;
}

/** Copies the defined values only, so absent stays absent. */
function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export function toState(v: unknown): PrinterState {
  const s = typeof v === 'string' ? v.toUpperCase() : '';
  return (STATES as readonly string[]).includes(s) ? (s as PrinterState) : 'UNKNOWN';
}

export function isState(v: unknown): boolean {
  return typeof v === 'string' && (STATES as readonly string[]).includes(v.toUpperCase()) && v.toUpperCase() !== 'UNKNOWN';
}

export function storageFromV1(raw: unknown): StorageInfo | undefined {
  const o = obj(raw);
  const path = str(o?.path);
  if (!o || !path) return undefined;
  const name = path.replace(/^\/+|\/+$/g, '');
  if (!name) return undefined;
  return defined<StorageInfo>({
    name,
    display_name: str(o.name),
    type: str(o.type),
    read_only: bool(o.read_only) ?? bool(o.ro) ?? false,
    available: o.available !== false,
    free_space: num(o.free_space),
    total_space: num(o.total_space),
  });
}

export function refsFrom(raw: unknown): FileRefs | undefined {
  const o = obj(raw);
  if (!o) return undefined;
  const refs = defined<FileRefs>({
    icon: str(o.icon) ?? str(o.thumbnailSmall),
    thumbnail: str(o.thumbnail) ?? str(o.thumbnailBig),
    download: str(o.download),
  });
  return Object.keys(refs).length ? refs : undefined;
}

export interface ParentPaths {
  path: string;
  display_path: string;
}

function join(parent: string, name: string): string {
  return parent.endsWith('/') ? parent + name : `${parent}/${name}`;
}

/** The fields both file APIs spell alike (Buddy `ro`, Pi `read_only`), placed in `parent` by name and long name. */
function entryIn(parent: ParentPaths, o: Json, kind: { type: FileEntry['type']; name: string; display_name: string; m_timestamp?: number }): FileEntry {
  return defined<FileEntry>({
    type: kind.type,
    name: kind.name,
    display_name: kind.display_name,
    path: join(parent.path, kind.name),
    display_path: join(parent.display_path, kind.display_name),
    size: num(o.size),
    m_timestamp: kind.m_timestamp,
    read_only: bool(o.ro) ?? bool(o.read_only),
    refs: refsFrom(o.refs),
  });
}

/** A v1 file or folder object; `parent` is the folder it lives in. */
export function fileFromV1(raw: unknown, parent: ParentPaths): FileEntry | undefined {
  const o = obj(raw);
  const name = str(o?.name);
  if (!o || !name) return undefined;
  const t = str(o.type)?.toUpperCase();
  return entryIn(parent, o, {
    type: (FILE_TYPES as readonly string[]).includes(t ?? '') ? (t as FileEntry['type']) : 'FILE',
    name,
    display_name: str(o.display_name) ?? name,
    m_timestamp: num(o.m_timestamp),
  });
}

/** A legacy listing entry (`name` 8.3 on Buddy, `display` the long name). */
export function fileFromLegacy(raw: unknown, parent: ParentPaths): FileEntry | undefined {
  const o = obj(raw);
  const name = str(o?.name);
  if (!o || !name) return undefined;
  const isFolder = o.type === 'folder' || Array.isArray(o.children);
  return entryIn(parent, o, {
    type: isFolder ? 'FOLDER' : 'PRINT_FILE',
    name,
    display_name: str(o.display) ?? str(o.display_name) ?? name,
    m_timestamp: num(o.date) ?? num(o.m_timestamp),
  });
}

/**
 * The raw entries of a legacy listing. MINI 4.4.1 answers `/api/files` with its storage as one folder that holds the
 * files (`{"files":[{"name":"USB","path":"/usb","type":"folder","children":[…]}]}`, quoted in PrusaLinkPy's README);
 * taken as it is, the root would list one folder "USB" and none of its files.
 */
export function legacyListingEntries(json: Json, storage: string): unknown[] {
  const files: unknown[] = Array.isArray(json.files) ? json.files : Array.isArray(json.children) ? json.children : [];
  const only = files.length === 1 ? obj(files[0]) : undefined;
  const isStorageRoot = str(only?.path)?.replace(/^\/+|\/+$/g, '').toLowerCase() === storage.toLowerCase();
  return isStorageRoot && Array.isArray(only?.children) ? only.children : files;
}

/**
 * Turns a printer's path for a file into our full form `/storage/...`. Pi PrusaLink names its storage by its
 * display name (`/PrusaLink gcodes/x.gcode`); Buddy already uses `/usb/...`.
 */
export function toFullPath(raw: string, storages: readonly StorageInfo[], defaultStorage: string): string {
  const segs = raw.split('/').filter(Boolean);
  if (segs.length === 0) return `/${defaultStorage}`;
  const byName = storages.find((s) => s.name.toLowerCase() === segs[0].toLowerCase());
  if (byName) return '/' + [byName.name, ...segs.slice(1)].join('/');
  const byDisplay = storages.find((s) => s.display_name && s.display_name === segs[0]);
  if (byDisplay) return '/' + [byDisplay.name, ...segs.slice(1)].join('/');
  return '/' + [defaultStorage, ...segs].join('/');
}

/** The file of a v1 job. Buddy sends the directory as `path`, Pi PrusaLink the full path. */
export function jobFileFromV1(raw: unknown, storages: readonly StorageInfo[], defaultStorage: string): JobFile | undefined {
  const o = obj(raw);
  const name = str(o?.name);
  if (!o || !name) return undefined;
  const display_name = str(o.display_name) ?? name;
  const rawPath = str(o.path) ?? '';
  const isFull = rawPath.endsWith('/' + name) || rawPath === name;
  const path = toFullPath(isFull ? rawPath : join(rawPath || '/', name), storages, defaultStorage);
  const rawDisplay = str(o.display_path);
  const display_path = rawDisplay
    ? toFullPath(rawDisplay, storages, defaultStorage)
    : join(path.slice(0, path.length - name.length - 1) || '/', display_name);
  return defined<JobFile>({
    name,
    display_name,
    path,
    display_path,
    size: num(o.size),
    m_timestamp: num(o.m_timestamp),
    refs: refsFrom(o.refs),
  });
}

export function jobFromV1(raw: unknown, storages: readonly StorageInfo[], defaultStorage: string): Job | undefined {
  const o = obj(raw);
  if (!o) return undefined;
  return defined<Job>({
    id: num(o.id),
    state: toState(o.state),
    progress: clampProgress(num(o.progress) ?? 0),
    time_remaining: num(o.time_remaining),
    time_printing: num(o.time_printing),
    file: jobFileFromV1(o.file, storages, defaultStorage),
  });
}

export function clampProgress(p: number): number {
  return Math.min(100, Math.max(0, p));
}

export function transferFrom(raw: unknown): TransferStatus | undefined {
  const o = obj(raw);
  if (!o) return undefined;
  return defined<TransferStatus>({
    id: num(o.id),
    type: str(o.type),
    display_name: str(o.display_name),
    path: str(o.path),
    size: num(o.size),
    progress: num(o.progress) !== undefined ? clampProgress(num(o.progress) as number) : undefined,
    transferred: num(o.transferred) ?? num(o.data_transferred),
    time_remaining: num(o.time_remaining),
    time_transferring: num(o.time_transferring),
    to_print: bool(o.to_print),
  });
}

/** The `printer` object of /api/v1/status (same keys on both families). */
export function printerFromV1(raw: unknown): PrinterStatus['printer'] {
  const o = obj(raw) ?? {};
  return defined<PrinterStatus['printer']>({
    state: toState(o.state),
    temp_nozzle: num(o.temp_nozzle),
    target_nozzle: num(o.target_nozzle),
    temp_bed: num(o.temp_bed),
    target_bed: num(o.target_bed),
    axis_x: num(o.axis_x),
    axis_y: num(o.axis_y),
    axis_z: num(o.axis_z),
    flow: num(o.flow),
    speed: num(o.speed),
    fan_hotend: num(o.fan_hotend),
    fan_print: num(o.fan_print),
  });
}

/** Legacy /api/printer state: `flags.link_state` when present, else flags and text (docs §6). */
export function legacyState(printer: Json): PrinterState {
  const st = obj(printer.state) ?? {};
  const flags = obj(st.flags) ?? {};
  if (isState(flags.link_state)) return toState(flags.link_state);
  const text = (str(st.text) ?? '').toLowerCase();
  if (flags.error === true || flags.closedOnError === true || flags.closedOrError === true || text === 'error') return 'ERROR';
  if (flags.cancelling === true || text === 'cancelling') return 'BUSY';
  if (flags.paused === true || flags.pausing === true || text.startsWith('paus')) return 'PAUSED';
  if (flags.printing === true || text === 'printing') return 'PRINTING';
  if (flags.busy === true || text === 'busy') return 'BUSY';
  if (flags.ready === true || flags.operational === true || text === 'operational') return 'IDLE';
  return 'UNKNOWN';
}

/** Legacy telemetry; Pi's material " - " and MINI's "---" mean "none". */
export function printerFromLegacy(printer: Json): PrinterStatus['printer'] {
  const tel = obj(printer.telemetry) ?? {};
  const temp = obj(printer.temperature) ?? {};
  const tool = obj(temp.tool0) ?? {};
  const bed = obj(temp.bed) ?? {};
  const material = str(tel.material)?.trim();
  return defined<PrinterStatus['printer']>({
    state: legacyState(printer),
    temp_nozzle: num(tel['temp-nozzle']) ?? num(tool.actual),
    target_nozzle: num(tool.target),
    temp_bed: num(tel['temp-bed']) ?? num(bed.actual),
    target_bed: num(bed.target),
    axis_x: num(tel['axis-x']),
    axis_y: num(tel['axis-y']),
    axis_z: num(tel['z-height']) ?? num(tel['axis-z']),
    speed: num(tel['print-speed']),
    material: material && !/^-+$/.test(material) ? material : undefined,
  });
}

/** The job of legacy /api/job, with `completion` (0..1) scaled to percent; undefined when there is none. */
export function jobFromLegacy(raw: Json, state: PrinterState, storages: readonly StorageInfo[], defaultStorage: string): Job | undefined {
  const job = obj(raw.job);
  const file = obj(job?.file);
  const filePath = str(file?.path);
  if (!job || !file || !filePath) return undefined;
  const progress = obj(raw.progress) ?? {};
  const path = toFullPath(filePath, storages, defaultStorage);
  const name = path.split('/').pop() ?? '';
  const display_name = str(file.display) ?? str(file.name) ?? name;
  return defined<Job>({
    state,
    progress: clampProgress((num(progress.completion) ?? 0) * 100),
    time_remaining: num(progress.printTimeLeft),
    time_printing: num(progress.printTime),
    file: defined<JobFile>({
      name,
      display_name,
      path,
      display_path: join(path.slice(0, path.length - name.length - 1) || '/', display_name),
      size: num(file.size),
    }),
  });
}
