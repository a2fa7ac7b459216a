'use strict';
// A 300 MB upload from disk must stream: the process's RSS may not grow by anything near the file size.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { withSim } = require('./helpers');

const SIZE = 300 * 1024 * 1024;
const LIMIT = 64 * 1024 * 1024;

describe('memory', () => {
  let dir;
  let file;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-mem-'));
    file = path.join(dir, 'huge.gcode');
    const fd = fs.openSync(file, 'w');
    const chunk = Buffer.alloc(1024 * 1024, 'G1 X10 Y10 E0.1\n');
    for (let written = 0; written < SIZE; written += chunk.length) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // The simulator runs in this process too, so each measure covers both ends: the client's streamed body (PUT, or
  // multipart on MINI 4.4.1) and the simulator's streamed receiving.
  for (const family of ['buddy', 'pi', 'mini-legacy']) {
    it(`${family}: 300 MB upload from a file keeps RSS growth under 64 MB`, () =>
      withSim({ family, discardUploads: true }, async (sim, make) => {
        const c = make();
        await c.detect();
        global.gc?.();
        const base = process.memoryUsage().rss;
        let peak = base;
        const sampler = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().rss);
        }, 10);
        let progressCalls = 0;
        try {
          const r = await c.upload({ file }, 'huge.gcode', {
            onProgress: () => {
              progressCalls += 1;
              peak = Math.max(peak, process.memoryUsage().rss);
            },
          });
          assert.equal(r.size, SIZE);
        } finally {
          clearInterval(sampler);
        }
        const growth = peak - base;
        assert.ok(progressCalls > 50, `progress reported ${progressCalls} times`);
        assert.ok(growth < LIMIT, `RSS grew by ${(growth / 1048576).toFixed(1)} MB`);
        const put = sim.control.requests().find((r) => r.method === 'PUT' || r.method === 'POST');
        // The whole file went out: exactly its bytes in a PUT (facts §4.6); in the MINI's multipart POST, exactly the
        // announced Content-Length, which wraps the file in the part headers.
        if (family === 'mini-legacy') {
          assert.equal(put.method, 'POST');
          assert.equal(put.bodyBytes, Number(put.headers['content-length']));
          assert.ok(put.bodyBytes > SIZE && put.bodyBytes < SIZE + 1024, `multipart body of ${put.bodyBytes} bytes`);
        } else {
          assert.equal(put.method, 'PUT');
          assert.equal(put.bodyBytes, SIZE);
        }
      }));
  }
});
