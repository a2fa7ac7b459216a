/** User paths: validation, splitting into storage + segments, percent-encoding and per-family limits (docs §9). */
import { PrusaLinkError } from './errors';
import type { Family } from './types';

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
  } else if (family === 'mini-legacy') {
    if ([...name].length > MINI_LEGACY_MAX_NAME_CHARS)
      throw new PrusaLinkError('NAME_TOO_LONG', `file name longer than ${MINI_LEGACY_MAX_NAME_CHARS} characters: ${JSON.stringify(path)}`);
  }
}
