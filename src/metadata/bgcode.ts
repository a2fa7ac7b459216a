/**
 * Metadata of a binary G-code file (libbgcode format). Walks the blocks, reads the metadata and thumbnail headers,
 * and seeks past the G-code blocks without reading them.
 */
import * as zlib from 'node:zlib';
import type { ByteSource } from './byte-source';
import { crc32 } from './crc32';
import type { ThumbnailInfo } from './types';

export const BGCODE_MAGIC = 'GCDE';
const FILE_HEADER_BYTES = 10;

const BLOCK_NAMES = ['file metadata', 'gcode', 'slicer metadata', 'printer metadata', 'print metadata', 'thumbnail'];
const GCODE_BLOCK = 1;
const THUMBNAIL_BLOCK = 5;
const THUMBNAIL_FORMATS: ThumbnailInfo['format'][] = ['PNG', 'JPG', 'QOI'];
/** Metadata is a few KiB; a block claiming more is damage, not metadata. */
const MAX_METADATA_BYTES = 16 * 1024 * 1024;

export interface BgcodeResult {
  raw: Record<string, string>;
  thumbnails: ThumbnailInfo[];
  warnings: string[];
}

export async function isBgcode(src: ByteSource): Promise<boolean> {
  return (await src.read(0, 4)).toString('latin1') === BGCODE_MAGIC;
}

export async function readBgcode(src: ByteSource): Promise<BgcodeResult> {
  const result: BgcodeResult = { raw: {}, thumbnails: [], warnings: [] };
  const fileHeader = await src.read(0, FILE_HEADER_BYTES);
  if (fileHeader.length < FILE_HEADER_BYTES || fileHeader.toString('latin1', 0, 4) !== BGCODE_MAGIC) {
    result.warnings.push('not a binary G-code file');
    return result;
  }
  const version = fileHeader.readUInt32LE(4);
  if (version !== 1) result.warnings.push(`binary G-code version ${version} is newer than this reader (1); read as version 1`);
  const checksumType = fileHeader.readUInt16LE(8);
  if (checksumType > 1) {
    result.warnings.push(`unknown checksum type ${checksumType}`);
    return result;
  }
  const crcBytes = checksumType === 1 ? 4 : 0;

  let offset = FILE_HEADER_BYTES;
  while (offset < src.size) {
    const head = await src.read(offset, 12);
    if (head.length < 8) return truncated(result);
    const type = head.readUInt16LE(0);
    const compression = head.readUInt16LE(2);
    const uncompressedSize = head.readUInt32LE(4);
    const headerBytes = compression === 0 ? 8 : 12;
    if (head.length < headerBytes) return truncated(result);
    const dataSize = compression === 0 ? uncompressedSize : head.readUInt32LE(8);
    if (type >= BLOCK_NAMES.length) {
      // the parameter size of an unknown block type is unknown: the rest of the file cannot be walked
      result.warnings.push(`unknown block type ${type} at byte ${offset}: stopped reading`);
      return result;
    }
    const paramsBytes = type === THUMBNAIL_BLOCK ? 6 : 2;
    const blockEnd = offset + headerBytes + paramsBytes + dataSize + crcBytes;
    if (blockEnd > src.size) return truncated(result);
    if (type !== GCODE_BLOCK) {
      const body = await src.read(offset + headerBytes, paramsBytes + dataSize + crcBytes);
      readBlock(result, {
        type,
        compression,
        uncompressedSize,
        header: head.subarray(0, headerBytes),
        params: body.subarray(0, paramsBytes),
        data: body.subarray(paramsBytes, paramsBytes + dataSize),
        crc: crcBytes ? body.readUInt32LE(paramsBytes + dataSize) : undefined,
      });
    }
    offset = blockEnd;
  }
  return result;
}

interface Block {
  type: number;
  compression: number;
  uncompressedSize: number;
  header: Buffer;
  params: Buffer;
  data: Buffer;
  crc?: number;
}

function readBlock(result: BgcodeResult, block: Block): void {
  const name = BLOCK_NAMES[block.type];
  if (block.crc !== undefined && crc32(block.header, block.params, block.data) !== block.crc) {
    result.warnings.push(`${name} block: checksum mismatch, block ignored`);
    return;
  }
  if (block.type === THUMBNAIL_BLOCK) {
    const format = block.params.readUInt16LE(0);
    result.thumbnails.push({
      format: THUMBNAIL_FORMATS[format] ?? 'UNKNOWN',
      width: block.params.readUInt16LE(2),
      height: block.params.readUInt16LE(4),
    });
    return;
  }
  const encoding = block.params.readUInt16LE(0);
  if (encoding !== 0) {
    result.warnings.push(`${name} block: encoding ${encoding} is not supported, block skipped`);
    return;
  }
  const text = decompress(result, name, block);
  if (text === undefined) return;
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    result.raw[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
}

function decompress(result: BgcodeResult, name: string, block: Block): string | undefined {
  if (block.uncompressedSize > MAX_METADATA_BYTES) {
    result.warnings.push(`${name} block: ${block.uncompressedSize} bytes is too large for metadata, block skipped`);
    return undefined;
  }
  switch (block.compression) {
    case 0:
      return block.data.toString('utf8');
    case 1:
      try {
        return zlib.inflateSync(block.data, { maxOutputLength: Math.max(1, block.uncompressedSize) }).toString('utf8');
      } catch {
        result.warnings.push(`${name} block: deflate data is damaged, block skipped`);
        return undefined;
      }
    case 2:
    case 3:
      result.warnings.push(`${name} block: heatshrink compression is not supported, block skipped`);
      return undefined;
    default:
      result.warnings.push(`${name} block: unknown compression ${block.compression}, block skipped`);
      return undefined;
  }
}

function truncated(result: BgcodeResult): BgcodeResult {
  result.warnings.push('file is truncated: the last block is incomplete');
  return result;
}
