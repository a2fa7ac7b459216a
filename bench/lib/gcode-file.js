'use strict';
// A large G-code file written in 1 MiB chunks (never held in memory whole), in os.tmpdir(), removed by remove().

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CHUNK = 1024 * 1024;

function gcodeChunk() {
  const lines = [];
  let bytes = 0;
  for (let i = 0; bytes < CHUNK; i++) {
    const line = `G1 X${(i % 250).toFixed(3)} Y${((i * 7) % 210).toFixed(3)} E${(i * 0.0123).toFixed(5)}\n`;
    lines.push(line);
    bytes += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, CHUNK);
}

// Files not yet removed, deleted even when the run is interrupted (a 1 GiB leftover in /tmp would hurt).
const pending = new Set();
const removeAllSync = () => {
  for (const file of pending) fs.rmSync(file, { force: true });
};
process.on('exit', removeAllSync);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    removeAllSync();
    process.exit(130);
  });
}

async function writeGcodeFile(bytes, name) {
  const file = path.join(os.tmpdir(), `prusalink-bench-${process.pid}-${name}.gcode`);
  pending.add(file);
  const chunk = gcodeChunk();
  const handle = await fs.promises.open(file, 'w');
  try {
    for (let written = 0; written < bytes; written += CHUNK) {
      await handle.write(chunk, 0, Math.min(CHUNK, bytes - written));
    }
  } finally {
    await handle.close();
  }
  const remove = async () => {
    await fs.promises.rm(file, { force: true });
    pending.delete(file);
  };
  return { file, size: bytes, remove };
}

module.exports = { writeGcodeFile };
