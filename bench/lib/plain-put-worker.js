'use strict';
// What Node itself does without a client library, in two ways, with the same protocol and figures as
// client-worker.js, so that upload.js can show how much of a gap is Node's own:
//   mode 'pipe': fs.createReadStream(file).pipe(http.request PUT), the usual stream pipeline;
//   mode 'ring': the file read into a ring of RING reused buffers, each written with req.write and reused only
//                after its write callback (the kernel has the bytes): no Buffer per chunk, reads overlapping writes.
//                Reads are asynchronous (libuv thread pool), 1 MiB each;
//   mode 'ring-sync': the same with synchronous 256 KiB reads (no thread-pool round trip; a read from the page cache
//                blocks the loop for well under a millisecond).
// The ring is the change proposed for src/client/upload.ts (now transport/upload-body.ts) (see RESULTS.md).
// Usage: node --expose-gc plain-put-worker.js '{"mode","host","port","apiKey","file","target"}'

const fs = require('node:fs');
const http = require('node:http');
const { sampleOwnRss } = require('./memory');

const CHUNK = { ring: 1024 * 1024, 'ring-sync': 256 * 1024 };
const RING = 4;

function put(job, size) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: job.host, port: job.port, method: 'PUT', path: `/api/v1/files${job.target.split('/').map(encodeURIComponent).join('/')}`,
        headers: { 'X-Api-Key': job.apiKey, 'Content-Type': 'text/x.gcode', 'Content-Length': size, Overwrite: '?1' },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`PUT answered ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    if (job.mode in CHUNK) writeFromRing(job.file, size, req, CHUNK[job.mode], job.mode === 'ring-sync').catch((err) => req.destroy(err));
    else fs.createReadStream(job.file).pipe(req);
  });
}

async function writeFromRing(file, size, req, chunkSize, sync) {
  const handle = await fs.promises.open(file, 'r');
  try {
    const ring = Array.from({ length: RING }, () => ({ buf: Buffer.allocUnsafeSlow(chunkSize), written: null }));
    for (let pos = 0, i = 0; pos < size; i++) {
      const slot = ring[i % RING];
      if (slot.written) await slot.written;
      const want = Math.min(chunkSize, size - pos);
      const bytesRead = sync ? fs.readSync(handle.fd, slot.buf, 0, want, pos) : (await handle.read(slot.buf, 0, want, pos)).bytesRead;
      if (bytesRead === 0) throw new Error('the file shrank during the upload');
      pos += bytesRead;
      const chunk = bytesRead === chunkSize ? slot.buf : slot.buf.subarray(0, bytesRead);
      slot.written = new Promise((resolve, reject) => req.write(chunk, (err) => (err ? reject(err) : resolve())));
      if (req.writableNeedDrain) await new Promise((resolve) => req.once('drain', resolve));
    }
    await Promise.all(ring.map((s) => s.written));
    req.end();
  } finally {
    await handle.close();
  }
}

async function main() {
  const job = JSON.parse(process.argv[2]);
  const size = fs.statSync(job.file).size;
  if (global.gc) global.gc();
  const rssBefore = process.memoryUsage.rss();
  const sampler = sampleOwnRss(20);
  const started = process.hrtime.bigint();
  await put(job, size);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ ms, rssBefore, rssPeak: sampler.stop(), size }) + '\n');
}

main().catch((err) => {
  process.stderr.write(`plain-put-worker: ${err.message}\n`);
  process.exit(1);
});
