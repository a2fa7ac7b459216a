/**
 * Slicer metadata of a file already on the printer. No family honours a Range header (Buddy ignores it), so the
 * file is downloaded as a stream and only the parts the reader needs are kept:
 * - binary G-code keeps its metadata and thumbnails in the blocks before the first G-code block: the download
 *   stops there, after a few KiB to a few hundred KiB whatever the file's size;
 * - plain G-code keeps PrusaSlicer's estimates and configuration at its END: the whole file is streamed, and
 *   only its first 64 KiB and its last 1 MiB are held in memory.
 * Pi PrusaLink would describe the file in its file info (`meta`), but the client does not pass that on, and a
 * Pi on the local network streams a file quickly.
 */
import type { Readable } from 'node:stream';
import type { PrusaLinkClient } from '../client';
import { readMetadata, type GcodeMetadata } from '../metadata';

/** Must be at least what the text reader looks at (64 KiB head, up to 1 MiB tail): it reads this synthetic file. */
const HEAD_BYTES = 64 * 1024;
const TAIL_BYTES = 1024 * 1024;
/** Metadata before the first G-code block is small; more than this means a damaged file, not metadata. */
const BGCODE_PREFIX_MAX = 16 * 1024 * 1024;
const BGCODE_MAGIC = 0x45444347; // "GCDE" little-endian
const GCODE_BLOCK = 1;
const THUMBNAIL_BLOCK = 5;

export interface RemoteMetadata {
  metadata: GcodeMetadata;
  /** Bytes downloaded to read it. */
  bytesRead: number;
  /** Whether the download stopped before the end of the file. */
  stoppedEarly: boolean;
}

export async function readRemoteMetadata(client: PrusaLinkClient, path: string): Promise<RemoteMetadata> {
  const stream = await client.download(path);
  const kept = await keepMetadataBytes(stream);
  const metadata = await readMetadata({ buffer: kept.buffer });
  return { metadata, bytesRead: kept.bytesRead, stoppedEarly: kept.stoppedEarly };
}

interface Kept {
  buffer: Buffer;
  bytesRead: number;
  stoppedEarly: boolean;
}

function keepMetadataBytes(stream: Readable): Promise<Kept> {
  return new Promise<Kept>((resolve, reject) => {
    const head: Buffer[] = [];
    let headLen = 0;
    const tail: Buffer[] = [];
    let tailLen = 0;
    let dropped = 0;
    let bytesRead = 0;
    let settled = false;
    let format: 'gcode' | 'bgcode' | undefined;

    const finish = (stoppedEarly: boolean, buffer: Buffer) => {
      if (settled) return;
      settled = true;
      if (stoppedEarly) stream.destroy();
      resolve({ buffer, bytesRead, stoppedEarly });
    };
    const all = () => Buffer.concat([...head, ...tail]);

    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      bytesRead += chunk.length;
      if (format === undefined || format === 'bgcode') {
        // Until the format is known, and for binary G-code, everything is kept: the block walk needs it all.
        head.push(chunk);
        headLen += chunk.length;
        if (headLen < 4) return;
        const bytes = Buffer.concat(head);
        head.splice(0, head.length, bytes);
        format ??= bytes.readUInt32LE(0) === BGCODE_MAGIC ? 'bgcode' : 'gcode';
        if (format === 'bgcode') {
          const end = bgcodeMetadataEnd(bytes);
          if (end !== undefined) finish(true, bytes.subarray(0, end));
          else if (headLen > BGCODE_PREFIX_MAX) finish(true, bytes);
          return;
        }
        // Plain text: split what came so far into head and tail.
        head.length = 0;
        headLen = 0;
        chunk = bytes;
      }
      if (headLen < HEAD_BYTES) {
        const take = Math.min(chunk.length, HEAD_BYTES - headLen);
        head.push(chunk.subarray(0, take));
        headLen += take;
        chunk = chunk.subarray(take);
      }
      if (chunk.length === 0) return;
      tail.push(chunk);
      tailLen += chunk.length;
      while (tail.length > 1 && tailLen - tail[0].length >= TAIL_BYTES) {
        const first = tail.shift() as Buffer;
        tailLen -= first.length;
        dropped += first.length;
      }
    });
    stream.on('end', () => {
      // A newline at the seam keeps the cut lines on either side from joining into one bogus key/value.
      const buffer = dropped > 0 ? Buffer.concat([...head, Buffer.from('\n'), ...tail]) : all();
      finish(false, buffer);
    });
    stream.on('error', (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
  });
}

/**
 * Where the first G-code block starts (everything before it is metadata and thumbnails), or undefined while the
 * bytes seen do not reach it yet. A file with no G-code block at all ends at its last complete block.
 */
function bgcodeMetadataEnd(bytes: Buffer): number | undefined {
  if (bytes.length < 10) return undefined;
  const crcBytes = bytes.readUInt16LE(8) === 1 ? 4 : 0;
  let offset = 10;
  while (offset + 12 <= bytes.length) {
    const type = bytes.readUInt16LE(offset);
    if (type === GCODE_BLOCK || type > THUMBNAIL_BLOCK) return offset;
    const compression = bytes.readUInt16LE(offset + 2);
    const headerBytes = compression === 0 ? 8 : 12;
    const dataSize = compression === 0 ? bytes.readUInt32LE(offset + 4) : bytes.readUInt32LE(offset + 8);
    offset += headerBytes + (type === THUMBNAIL_BLOCK ? 6 : 2) + dataSize + crcBytes;
  }
  return undefined;
}
