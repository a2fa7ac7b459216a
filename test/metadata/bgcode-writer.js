'use strict';
// An independent binary G-code writer for the tests (libbgcode layout), so the reader is checked against bytes
// assembled here rather than against its own code. CRC via a bitwise loop, not the reader's table.
const zlib = require('node:zlib');

function crc32(buf) {
  let crc = 0xffffffff;
  for (const byte of buf) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const u16 = (v) => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };

/**
 * blocks: [{ type, compression?: 0|1|2, text?: string, data?: Buffer, params?: Buffer, corruptCrc?: boolean }]
 * compression 1 deflates `text`; 2 marks heatshrink without real heatshrink data (the reader must skip it).
 */
function writeBgcode(blocks, { checksum = 1, version = 1 } = {}) {
  const parts = [Buffer.from('GCDE', 'latin1'), u32(version), u16(checksum)];
  for (const b of blocks) {
    const plain = b.data ?? Buffer.from(b.text ?? '', 'utf8');
    const compression = b.compression ?? 0;
    const stored = compression === 1 ? zlib.deflateSync(plain) : plain;
    const header = compression === 0
      ? Buffer.concat([u16(b.type), u16(0), u32(plain.length)])
      : Buffer.concat([u16(b.type), u16(compression), u32(plain.length), u32(stored.length)]);
    const params = b.params ?? u16(0);
    parts.push(header, params, stored);
    if (checksum === 1) {
      let crc = crc32(Buffer.concat([header, params, stored]));
      if (b.corruptCrc) crc = (crc ^ 1) >>> 0;
      parts.push(u32(crc));
    }
  }
  return Buffer.concat(parts);
}

function thumbnailParams(format, width, height) {
  return Buffer.concat([u16(format), u16(width), u16(height)]);
}

module.exports = { writeBgcode, thumbnailParams, crc32 };
