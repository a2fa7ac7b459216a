/**
 * Thumbnails and slicer metadata from plain-text G-code, reading only the head and the tail of the file:
 * PrusaSlicer writes the thumbnails before the first command and most metadata in the footer.
 */

/** Random access to a file's bytes, so large files on disk are never read whole. */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Buffer;
}

export interface Thumbnail {
  width: number;
  height: number;
  png: Buffer;
}

export interface PrintFileInfo {
  /** PNG thumbnails only, in file order. */
  thumbnails: Thumbnail[];
  /** Raw slicer keys plus `estimated_print_time` in seconds when the file has an estimate. */
  metadata: Record<string, string | number>;
}

const HEAD_STEP = 64 * 1024;
/** A large PNG thumbnail (720x540) can take several hundred KiB of base64; stop somewhere anyway. */
const HEAD_MAX = 4 * 1024 * 1024;
/** PrusaSlicer's footer (estimates and the whole config dump) fits well inside this. */
const TAIL_SIZE = 128 * 1024;

const THUMB_BEGIN = /^;\s*thumbnail(?:_(PNG|JPG|QOI))?\s+begin\s+(\d+)x(\d+)\b/;
const THUMB_END = /^;\s*thumbnail(?:_[A-Z]+)?\s+end\b/;
const KEY_VALUE = /^;\s*([A-Za-z_][^=]*?)\s*=\s*(.*?)\s*$/;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
/** Keys that mark sections rather than carry values. */
const NOT_METADATA = new Set(['prusaslicer_config']);

/** A metadata value as a number when it is one (`0.4`), else the trimmed text (`0.4,0.4`, `PLA`). */
export function metadataValue(raw: string): string | number {
  const text = raw.trim();
  return NUMBER.test(text) ? Number(text) : text;
}

/** Seconds from a slicer duration such as `1d 2h 3m 4s` or `45s`; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const parts = text.trim().match(/^(?:(\d+)d\s*)?(?:(\d+)h\s*)?(?:(\d+)m\s*)?(?:(\d+)s)?$/);
  if (!parts || text.trim() === '') return undefined;
  const [, d, h, m, s] = parts.map((p) => Number(p ?? 0));
  return d * 86400 + h * 3600 + m * 60 + s;
}

/** A duration the way PrusaSlicer writes it: `1d 2h 3m 4s`, `10m 0s`, `45s`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const [d, h, m] = [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60)];
  if (d) return `${d}d ${h}h ${m}m ${s % 60}s`;
  if (h) return `${h}h ${m}m ${s % 60}s`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** Adds `estimated_print_time` (seconds) from the slicer's normal-mode estimate, as Pi PrusaLink's `meta` does. */
export function withEstimate(metadata: Record<string, string | number>): Record<string, string | number> {
  const raw =
    metadata['estimated printing time (normal mode)'] ??
    metadata['estimated printing time'] ??
    metadata['estimated printing time (silent mode)'];
  const seconds = typeof raw === 'string' ? parseDuration(raw) : undefined;
  if (seconds !== undefined) metadata.estimated_print_time = seconds;
  return metadata;
}

function addKeyValue(line: string, into: Record<string, string | number>): void {
  const kv = KEY_VALUE.exec(line);
  if (kv && !NOT_METADATA.has(kv[1])) into[kv[1]] = metadataValue(kv[2]);
}

interface ThumbBlock {
  format: string;
  width: number;
  height: number;
  base64: string[];
}

/** Scans the head line by line until the first G-code command, collecting thumbnails and header comments. */
function scanHead(src: ByteSource, metadata: Record<string, string | number>): Thumbnail[] {
  const thumbnails: Thumbnail[] = [];
  let block: ThumbBlock | undefined;
  let pending = '';
  let offset = 0;
  while (offset < src.size && offset < HEAD_MAX) {
    const bytes = src.read(offset, HEAD_STEP);
    if (bytes.length === 0) break;
    offset += bytes.length;
    // latin1 keeps one char per byte, so a multi-byte UTF-8 character split across reads cannot corrupt a line
    const lines = (pending + bytes.toString('latin1')).split('\n');
    pending = offset < src.size ? (lines.pop() as string) : '';
    for (const rawLine of lines) {
      const line = Buffer.from(rawLine, 'latin1').toString('utf8').trim();
      if (block) {
        if (THUMB_END.test(line)) {
          if (block.format === 'PNG') {
            thumbnails.push({ width: block.width, height: block.height, png: Buffer.from(block.base64.join(''), 'base64') });
          }
          block = undefined;
        } else {
          block.base64.push(line.replace(/^;\s*/, ''));
        }
        continue;
      }
      const begin = THUMB_BEGIN.exec(line);
      if (begin) {
        block = { format: begin[1] ?? 'PNG', width: Number(begin[2]), height: Number(begin[3]), base64: [] };
      } else if (line !== '' && !line.startsWith(';')) {
        return thumbnails;
      } else {
        addKeyValue(line, metadata);
      }
    }
  }
  return thumbnails;
}

/** Key/value comments of the footer. In a small file the tail may start inside a thumbnail, whose base64 is skipped. */
function scanTail(src: ByteSource): Record<string, string | number> {
  const start = Math.max(0, src.size - TAIL_SIZE);
  const lines = src.read(start, src.size - start).toString('utf8').split('\n');
  if (start > 0) lines.shift(); // cut by the read
  let found: Record<string, string | number> = {};
  let inBlock = false;
  for (const rawLine of lines) {
    const line = rawLine.trim();
    if (THUMB_BEGIN.test(line)) {
      inBlock = true;
    } else if (THUMB_END.test(line)) {
      if (!inBlock) found = {}; // the lines so far were the end of a thumbnail's base64
      inBlock = false;
    } else if (!inBlock) {
      addKeyValue(line, found);
    }
  }
  return found;
}

/** Thumbnails and metadata of a plain-text G-code file. */
export function readGcodeInfo(src: ByteSource): PrintFileInfo {
  const metadata: Record<string, string | number> = {};
  const thumbnails = scanHead(src, metadata);
  Object.assign(metadata, scanTail(src));
  return { thumbnails, metadata: withEstimate(metadata) };
}
