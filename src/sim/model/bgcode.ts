/**
 * Binary G-code (libbgcode format, prusa3d/libbgcode): reading metadata and thumbnails without touching the G-code,
 * and encoding blocks for the sample generator.
 *
 * Layout (all little-endian): file header "GCDE", u32 version, u16 checksum type (0 none, 1 CRC32); then blocks of
 * header {u16 type, u16 compression, u32 uncompressed size, u32 compressed size only when compressed}, parameters
 * (thumbnails: u16 format, u16 width, u16 height; every other block: u16 encoding), data, and a CRC32 of header,
 * parameters and data when the file uses checksums.
 *
 * Simplification: heatshrink-compressed blocks (compression 2 and 3) are skipped, as are metadata encodings other
 * than INI. Heatshrink is what PrusaSlicer uses for G-code blocks, which this reader never needs.
 */
import { inflateSync } from 'node:zlib';
import { crc32 } from './png';
import { metadataValue, withEstimate, type ByteSource, type PrintFileInfo, type Thumbnail } from './gcode';

export const BGCODE_MAGIC = 'GCDE';
const FILE_HEADER_SIZE = 10;

export const BlockType = {
  FileMetadata: 0,
  Gcode: 1,
  SlicerMetadata: 2,
  PrinterMetadata: 3,
  PrintMetadata: 4,
  Thumbnail: 5,
} as const;

export const Compression = { None: 0, Deflate: 1, Heatshrink11: 2, Heatshrink12: 3 } as const;
export const ThumbnailFormat = { PNG: 0, JPG: 1, QOI: 2 } as const;
const METADATA_INI = 0;
const CHECKSUM_CRC32 = 1;

export function isBgcode(src: ByteSource): boolean {
  return src.size >= FILE_HEADER_SIZE && src.read(0, 4).toString('latin1') === BGCODE_MAGIC;
}

function parseIni(text: string, into: Record<string, string | number>): void {
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) into[line.slice(0, eq).trim()] = metadataValue(line.slice(eq + 1));
  }
}

/**
 * Metadata (all metadata blocks merged) and PNG thumbnails. The format puts every G-code block after the metadata
 * and thumbnails, so reading stops at the first G-code block and never reads G-code bodies.
 */
export function readBgcodeInfo(src: ByteSource): PrintFileInfo {
  const metadata: Record<string, string | number> = {};
  const thumbnails: Thumbnail[] = [];
  const fileHeader = src.read(0, FILE_HEADER_SIZE);
  const checksumSize = fileHeader.readUInt16LE(8) === CHECKSUM_CRC32 ? 4 : 0;
  let offset = FILE_HEADER_SIZE;
  while (offset + 8 <= src.size) {
    const start = src.read(offset, 12);
    if (start.length < 8) break;
    const type = start.readUInt16LE(0);
    if (type === BlockType.Gcode) break;
    const compression = start.readUInt16LE(2);
    const uncompressedSize = start.readUInt32LE(4);
    const headerSize = compression === Compression.None ? 8 : 12;
    if (start.length < headerSize) break;
    const dataSize = compression === Compression.None ? uncompressedSize : start.readUInt32LE(8);
    const paramsSize = type === BlockType.Thumbnail ? 6 : 2;
    const blockSize = headerSize + paramsSize + dataSize;
    const block = src.read(offset, blockSize + checksumSize);
    offset += blockSize + checksumSize;
    if (block.length < blockSize + checksumSize) break; // truncated file
    if (checksumSize && crc32(block.subarray(0, blockSize)) !== block.readUInt32LE(blockSize)) continue;
    let data = block.subarray(headerSize + paramsSize, blockSize);
    if (compression === Compression.Deflate) {
      try {
        data = inflateSync(data);
      } catch {
        continue; // a damaged block in a file without checksums: keep what the other blocks give
      }
    } else if (compression !== Compression.None) {
      continue;
    }
    const params = block.subarray(headerSize, headerSize + paramsSize);
    if (type === BlockType.Thumbnail) {
      if (params.readUInt16LE(0) === ThumbnailFormat.PNG) {
        thumbnails.push({ width: params.readUInt16LE(2), height: params.readUInt16LE(4), png: Buffer.from(data) });
      }
    } else if (params.readUInt16LE(0) === METADATA_INI) {
      parseIni(data.toString('utf8'), metadata);
    }
  }
  return { thumbnails, metadata: withEstimate(metadata) };
}

export function encodeFileHeader(): Buffer {
  const header = Buffer.alloc(FILE_HEADER_SIZE);
  header.write(BGCODE_MAGIC, 0, 'latin1');
  header.writeUInt32LE(1, 4);
  header.writeUInt16LE(CHECKSUM_CRC32, 8);
  return header;
}

/** One uncompressed block with its CRC32 (files from encodeFileHeader use CRC32 checksums). */
export function encodeBlock(type: number, params: Buffer, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16LE(type, 0);
  header.writeUInt16LE(Compression.None, 2);
  header.writeUInt32LE(data.length, 4);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(data, crc32(params, crc32(header))), 0);
  return Buffer.concat([header, params, data, crc]);
}

/** The u16 parameters of a metadata or G-code block (encoding 0: INI text / plain G-code). */
export function encodingParams(encoding = 0): Buffer {
  const params = Buffer.alloc(2);
  params.writeUInt16LE(encoding, 0);
  return params;
}

export function thumbnailParams(format: number, width: number, height: number): Buffer {
  const params = Buffer.alloc(6);
  params.writeUInt16LE(format, 0);
  params.writeUInt16LE(width, 2);
  params.writeUInt16LE(height, 4);
  return params;
}
