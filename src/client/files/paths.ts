/**
 * Paths on the printer: the user's path validated and split into storage + segments, percent-encoded, checked against
 * each family's limits (docs §9); where a request about a file goes (which file API, which URL); and the two
 * spellings of a folder on printers with FAT 8.3 aliases.
 */
import { PrusaLinkError } from '../errors';
import { obj, str, type ParentPaths } from '../normalize';
import type { Family, PrinterProfile } from '../types';

export interface PrinterPath {
  /** URL storage segment: `usb`, `local`, `sdcard`. */
  storage: string;
  /** Decoded segments below the storage root; [] is the root. */
  segments: string[];
}

function invalidPath(path: string, why: string): PrusaLinkError {
  return new PrusaLinkError('INVALID_PATH', `invalid path ${JSON.stringify(path)}: ${why}`);
}

/**
 * Splits a user path. A first segment naming a storage selects it (`/usb/a.gcode`, `local/x`); anything else is
 * relative to the default storage. Refuses what the printer would misread or what escapes the storage.
 */
export function parseUserPath(path: string, storages: readonly string[], defaultStorage: string): PrinterPath {
  if (typeof path !== 'string') throw new PrusaLinkError('INVALID_PATH', 'the path must be a string');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) throw invalidPath(path, 'it contains a control character');
  if (path.includes('\\')) throw invalidPath(path, 'backslashes are not allowed; use "/" between folders');
  if (path.trimStart().startsWith('~')) throw invalidPath(path, 'a leading "~" (home folder) has no meaning on a printer');
  const segments = path.split('/').filter((s) => s !== '');
  for (const s of segments) {
    if (s === '.' || s === '..') throw invalidPath(path, '"." and ".." segments are not allowed');
  }
  if (segments.length > 0 && storages.includes(segments[0].toLowerCase())) {
    return { storage: segments[0].toLowerCase(), segments: segments.slice(1) };
  }
  return { storage: defaultStorage, segments };
}

/** Each segment percent-encoded on its own (`+` becomes %2B, which Buddy would otherwise decode to a space). */
export function encodeSegments(segments: readonly string[]): string {
  return segments.map((s) => encodeURIComponent(s)).join('/');
}

/** `/usb/dir/file.gcode`: the full path form used in FileEntry.path. */
export function fullPath(p: PrinterPath): string {
  return '/' + [p.storage, ...p.segments].join('/');
}

export function baseName(p: PrinterPath): string {
  return p.segments[p.segments.length - 1] ?? '';
}

const PRINTABLE: Record<Family, readonly string[]> = {
  buddy: ['.gcode', '.gco', '.gc', '.g', '.bgcode', '.bgc'],
  pi: ['.gcode', '.gco', '.gc', '.g'],
  'mini-legacy': ['.gcode', '.gco', '.gc', '.g'],
};

export function isBinaryGcode(name: string): boolean {
  return /\.(bgcode|bgc)$/i.test(name);
}

export function checkPrintable(family: Family, p: PrinterPath, path: string): void {
  const name = baseName(p).toLowerCase();
  if (!name) throw invalidPath(path, 'it names no file');
  if (!PRINTABLE[family].some((ext) => name.endsWith(ext)))
    throw new PrusaLinkError(
      'UNSUPPORTED_FILE',
      `${JSON.stringify(baseName(p))} is not a printable file for this printer (accepted: ${PRINTABLE[family].join(' ')})`,
    );
}

/** Buddy copies "/usb/" + path into a 104-byte buffer and silently truncates beyond it. */
export const BUDDY_MAX_UPLOAD_TARGET_BYTES = 103;
export const BUDDY_MAX_NAME_CHARS = 167;
export const BUDDY_MAX_URL_CHARS = 168;
export const MINI_LEGACY_MAX_NAME_CHARS = 103;

/** Limits checked before an upload, so nothing is sent that the printer would truncate or refuse. */
export function checkUploadLimits(family: Family, p: PrinterPath, path: string): void {
  const name = baseName(p);
  if (family === 'buddy') {
    if ([...name].length > BUDDY_MAX_NAME_CHARS)
      throw new PrusaLinkError('NAME_TOO_LONG', `file name longer than ${BUDDY_MAX_NAME_CHARS} characters: ${JSON.stringify(path)}`);
    const target = '/usb/' + p.segments.join('/');
    if (Buffer.byteLength(target, 'utf8') > BUDDY_MAX_UPLOAD_TARGET_BYTES)
      throw new PrusaLinkError(
        'NAME_TOO_LONG',
        `the upload path "${target}" is ${Buffer.byteLength(target, 'utf8')} bytes; this printer takes at most ${BUDDY_MAX_UPLOAD_TARGET_BYTES} (firmware 6.4 and newer refuse a longer one with 414, older firmware cuts the name short): use a shorter name or folder`,
      );
  } else if (family === 'pi') {
    checkPiNames(p, path);
  } else if (family === 'mini-legacy') {
    if ([...name].length > MINI_LEGACY_MAX_NAME_CHARS)
      throw new PrusaLinkError('NAME_TOO_LONG', `file name longer than ${MINI_LEGACY_MAX_NAME_CHARS} characters: ${JSON.stringify(path)}`);
  }
}

/**
 * Pi PrusaLink's forbidden characters (FORBIDDEN_CHARACTERS in prusa3d/Prusa-Connect-SDK-Printer
 * `prusa/connect/printer/const.py`, checked over the whole path) and its file name limit (FILENAME_LENGTH, 248 bytes).
 * It refuses them before reading the body and closes the connection, so a large body would end in a write error
 * instead of the answer: they are refused here, before anything is sent.
 */
export const PI_FORBIDDEN_CHARACTERS = ['\\', '?', '"', '%', '¯', '°', '#', 'ˇ'] as const;
export const PI_MAX_NAME_BYTES = 248;

export function checkPiNames(p: PrinterPath, path: string): void {
  for (const s of p.segments) {
    const bad = PI_FORBIDDEN_CHARACTERS.find((c) => s.includes(c));
    if (bad) throw invalidPath(path, `PrusaLink does not accept the character ${JSON.stringify(bad)} in names (nor any of ${PI_FORBIDDEN_CHARACTERS.join(' ')})`);
  }
  const name = baseName(p);
  if (Buffer.byteLength(name, 'utf8') > PI_MAX_NAME_BYTES)
    throw new PrusaLinkError('NAME_TOO_LONG', `file name longer than ${PI_MAX_NAME_BYTES} bytes: ${JSON.stringify(path)}`);
}

// Stryker disable all: outside the mutation suite's scope (docs/testing.md); the simulator suites cover this part.
// ---- where requests go ---------------------------------------------------------------------------------------

/** Where a request about a file goes, and which file API a printer speaks. */
/** The v1 file API comes with PUT uploads; printers without them list and delete through the legacy one. */
export function usesV1Files(p: PrinterProfile): boolean {
  return p.capabilities.uploadByPut;
}

/** FAT 8.3 aliases exist on the printers that store files on a USB stick (Buddy, MINI 4.4.1), not on Pi PrusaLink. */
export function hasAliases(p: PrinterProfile): boolean {
  return p.family !== 'pi';
}

/** `/api/v1/files/usb/DIR/X.GCO` (v1) or `/api/files/usb/DIR/X.GCO` (legacy), each segment percent-encoded. */
export function filesTarget(api: 'v1' | 'legacy', pp: PrinterPath): string {
  const rest = encodeSegments(pp.segments);
  return `${api === 'v1' ? '/api/v1/files' : '/api/files'}/${encodeURIComponent(pp.storage)}${rest ? '/' + rest : ''}`;
}

export function parentOf(pp: PrinterPath): PrinterPath {
  return { storage: pp.storage, segments: pp.segments.slice(0, -1) };
}

/** `/usb/DIR/X.GCO` → `['DIR', 'X.GCO']` (the storage dropped). */
export function segmentsOf(full: string): string[] {
  return full.split('/').filter(Boolean).slice(1);
}

/** Refs are paths as the printer wrote them (Pi leaves spaces unencoded): encode each segment, keep the query. */
export function encodeRef(ref: string): string {
  const q = ref.indexOf('?');
  const pathPart = q >= 0 ? ref.slice(0, q) : ref;
  const query = q >= 0 ? ref.slice(q) : '';
  const segs = pathPart.split('/').map((s) => {
    let decoded = s;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      // a literal % that is not an escape: encode it as it is
    }
    return encodeURIComponent(decoded);
  });
  const out = segs.join('/');
  return (out.startsWith('/') ? out : '/' + out) + query;
}

// Stryker restore all
// ---- both forms of a folder ----------------------------------------------------------------------------------

/**
 * The two spellings of a folder on printers with FAT 8.3 aliases (Buddy, MINI 4.4.1): `path`, the URL form the
 * printer uses itself in refs and jobs (`/usb/PS~1/SUBDIR~1`), and `display_path`, the long names (`/usb/P s/Sub dir`).
 * A user may name a folder either way (or mix them), so every entry the client returns is rebuilt in both forms.
 *
 * What is known without asking the printer:
 * - a file child's `refs.download` holds its folder's whole alias path;
 * - a folder's own answer holds its own alias (`name`) and, on the simulator and current firmware, `display_name`;
 * - a segment that is a valid 8.3 name in any letter case has that name in upper case as its alias (FAT gives such
 *   a long name no other short name), but its long name is unknown (`dir` may be `Dir`; `ps~1` may be `P s`);
 * - any other segment is a long name (taken in the letter case the user wrote: FAT ignores case, so it names the
 *   same folder; the printer's own case shows only where an answer or a lookup tells it).
 * Whatever is still unknown is looked up in the parent folder's listing, walking down from the root: one request per
 * such level, and none where the listing itself tells.
 */
export type PathForms = ParentPaths;

const SHORT_CHAR = "[A-Z0-9!#$%&'()@^_`{}~-]";
const SHORT_NAME = new RegExp(`^${SHORT_CHAR}{1,8}(\\.${SHORT_CHAR}{1,3})?$`, 'i');

/** A valid 8.3 name, ignoring letter case. */
export function isShortName(segment: string): boolean {
  return SHORT_NAME.test(segment);
}

/** Raw children of the folder at these alias segments (a v1 folder GET). */
export type ListChildren = (aliasSegments: string[]) => Promise<unknown[]>;

export interface FolderHints {
  /** Alias segments of the whole folder, when a download ref told them. */
  aliases?: string[];
  /** The folder's own alias and long name, from its own answer. */
  ownAlias?: string;
  ownDisplay?: string;
}

/** `/usb/DIR/FILE~1.GCO` → `['DIR']` when the ref lies in `storage`. */
export function refFolderAliases(download: string | undefined, storage: string): string[] | undefined {
  const segs = (download ?? '').split('/').filter(Boolean);
  if (segs.length < 2 || segs[0].toLowerCase() !== storage.toLowerCase()) return undefined;
  return segs.slice(1, -1);
}

/** The folder alias path told by the first file child that carries a download ref. */
export function folderAliasesFromChildren(children: readonly unknown[], storage: string): string[] | undefined {
  for (const c of children) {
    const found = refFolderAliases(str(obj(obj(c)?.refs)?.download), storage);
    if (found) return found;
  }
  return undefined;
}

function formsOf(storage: string, aliases: readonly string[], longs: readonly string[]): PathForms {
  return { path: '/' + [storage, ...aliases].join('/'), display_path: '/' + [storage, ...longs].join('/') };
}

/**
 * Both forms of the folder `segments` (any mix of long names and aliases). `list` is how to read a folder; without
 * it (MINI 4.4.1 cannot list folders) what cannot be derived stays as the user wrote it.
 */
export async function folderForms(storage: string, segments: readonly string[], hints: FolderHints, list?: ListChildren): Promise<PathForms> {
  const last = segments.length - 1;
  const aliases: (string | undefined)[] = segments.map(
    (s, i) => hints.aliases?.[i] ?? (i === last ? hints.ownAlias : undefined) ?? (isShortName(s) ? s.toUpperCase() : undefined),
  );
  const longs: (string | undefined)[] = segments.map((s, i) => (i === last ? hints.ownDisplay : undefined) ?? (isShortName(s) ? undefined : s));
  for (let i = 0; i <= last; i++) {
    if (aliases[i] !== undefined && longs[i] !== undefined) continue;
    const child = list ? await findChild(list, aliases.slice(0, i) as string[], segments[i]) : undefined;
    aliases[i] ??= str(child?.name) ?? segments[i];
    longs[i] ??= str(child?.display_name) ?? str(child?.name) ?? segments[i];
  }
  return formsOf(storage, aliases as string[], longs as string[]);
}

/** The child named `segment` by its long name or its alias; FAT compares both without regard to case. */
async function findChild(list: ListChildren, parentAliases: string[], segment: string) {
  const wanted = segment.toLowerCase();
  for (const raw of await list(parentAliases)) {
    const c = obj(raw);
    if (str(c?.display_name)?.toLowerCase() === wanted || str(c?.name)?.toLowerCase() === wanted) return c;
  }
  return undefined;
}
