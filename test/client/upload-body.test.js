'use strict';
// The upload body writer on node:http: the ring of reused buffers, exact lengths whatever the source does, the auth
// retry rules, the answer size cap and the failures that come without an answer.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Readable } = require('node:stream');
const { withSim, rejectsWith, eventually, startSimulator, PrusaLinkClient } = require('./helpers');

const MiB = 1024 * 1024;

function tmpFile(content) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-body-'));
  const file = path.join(dir, 'part.gcode');
  fs.writeFileSync(file, content);
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Bytes that differ from one position to the next, so a chunk sent twice or out of order shows. */
function patterned(size) {
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) buf.writeUInt32LE(i >>> 0, i <= size - 4 ? i : size - 4);
  return buf;
}

const uploadRequests = (sim) => sim.control.requests().filter((r) => r.method === 'PUT' || (r.method === 'POST' && r.path.startsWith('/api/files')));

describe('upload body writer', () => {
  for (const family of ['buddy', 'mini-legacy']) {
    it(`${family}: a file larger than the ring and not a multiple of its buffers arrives byte for byte`, () =>
      withSim({ family }, async (sim, make) => {
        const c = make();
        const content = patterned(5 * MiB + 12345);
        const t = tmpFile(content);
        try {
          const seen = [];
          const r = await c.upload({ file: t.file }, 'ring.gcode', { onProgress: (p) => seen.push(p) });
          assert.equal(r.size, content.length);
          assert.ok(sim.control.readFile('ring.gcode').equals(content), 'stored bytes equal the file');
          const last = seen[seen.length - 1];
          assert.deepEqual(last, { bytes: content.length, total: content.length, percent: 100 });
          // Below 8 MiB the body goes in 64 KiB writes, whatever the link: progress moves in steps that small.
          for (let i = 1; i < seen.length; i++) assert.ok(seen[i].bytes > seen[i - 1].bytes, 'progress only grows');
          assert.ok(seen[0].bytes <= 64 * 1024, `first step ${seen[0].bytes}`);
          for (let i = 1; i < seen.length; i++) assert.ok(seen[i].bytes - seen[i - 1].bytes <= 64 * 1024, `step ${i}`);
          const req = uploadRequests(sim)[0];
          assert.equal(Number(req.headers['content-length']), req.bodyBytes, 'Content-Length is what was sent');
        } finally {
          t.cleanup();
        }
      }));
  }

  it('buddy: a one-byte file and a Buffer of several MiB plus a few bytes', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make();
      const t = tmpFile('G');
      try {
        await c.upload({ file: t.file }, 'one.gcode');
        assert.equal(sim.control.readFile('one.gcode').toString(), 'G');
        const big = patterned(3 * MiB + 7);
        await c.upload({ buffer: big }, 'buf.gcode');
        assert.ok(sim.control.readFile('buf.gcode').equals(big));
      } finally {
        t.cleanup();
      }
    }));

  for (const [what, change] of [
    ['grows', (file) => fs.appendFileSync(file, 'G1 X1\n')],
    ['shrinks', (file) => fs.truncateSync(file, MiB)],
  ]) {
    it(`buddy: a file that ${what} during the upload → INVALID_ARGUMENT, the body is cut short, nothing stored`, () =>
      withSim({ family: 'buddy' }, async (sim, make) => {
        const c = make();
        const t = tmpFile(patterned(6 * MiB));
        try {
          let changed = false;
          const e = await rejectsWith(
            c.upload({ file: t.file }, 'moving.gcode', {
              onProgress: () => {
                if (changed) return;
                changed = true;
                change(t.file);
              },
            }),
            'INVALID_ARGUMENT',
            /changed during the upload/,
          );
          assert.ok(changed);
          assert.ok(!e.message.includes('password'));
          const req = uploadRequests(sim)[0];
          assert.equal(Number(req.headers['content-length']), 6 * MiB, 'the announced length is the size at the start');
          assert.ok(req.bodyBytes < 6 * MiB, `the printer got ${req.bodyBytes} bytes, never a complete body`);
          // The printer drops the partial file once it sees the connection close.
          await eventually(() => !sim.control.listFiles().includes('moving.gcode'));
          assert.equal((await c.status()).state, 'IDLE', 'the client still works');
        } finally {
          t.cleanup();
        }
      }));
  }

  it('buddy: a stream longer or shorter than its declared size → INVALID_ARGUMENT, nothing stored', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make();
      await rejectsWith(
        c.upload({ stream: Readable.from([Buffer.alloc(600, 0x47), Buffer.alloc(600, 0x47)]), size: 1000 }, 'long.gcode'),
        'INVALID_ARGUMENT',
        /more bytes than its declared size/,
      );
      await rejectsWith(c.upload({ stream: Readable.from([Buffer.alloc(600, 0x47)]), size: 1000 }, 'short.gcode'), 'INVALID_ARGUMENT', /ended after 600 bytes/);
      await eventually(() => !sim.control.listFiles().some((n) => n === 'long.gcode' || n === 'short.gcode'));
    }));

  it('buddy: a failing stream → INVALID_ARGUMENT naming the stream, not the printer', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make();
      const broken = new Readable({
        read() {
          this.destroy(new Error('disk gone'));
        },
      });
      await rejectsWith(c.upload({ stream: broken, size: 1000 }, 'broken.gcode'), 'INVALID_ARGUMENT', /upload stream failed: disk gone/);
    }));

  it('buddy: a stale nonce on the upload itself: a file is sent again once; a stream cannot be', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make();
      await c.status();
      const content = patterned(2 * MiB + 3);
      const t = tmpFile(content);
      try {
        sim.control.setFaults({ staleNonceAlways: true });
        sim.control.clearRequests();
        await c.upload({ file: t.file }, 'again.gcode');
        assert.ok(sim.control.readFile('again.gcode').equals(content));
        assert.deepEqual(uploadRequests(sim).map((r) => r.status), [401, 201]);
        sim.control.clearRequests();
        await rejectsWith(c.upload({ stream: Readable.from([content]), size: content.length }, 'once.gcode'), 'AUTH_FAILED', /nonce expired during the upload/);
        assert.equal(uploadRequests(sim).length, 1, 'the stream was sent once');
      } finally {
        t.cleanup();
      }
    }));

  it('buddy: an answer larger than maxResponseBytes → PROTOCOL', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make({ maxResponseBytes: 4096 });
      await c.detect();
      sim.control.setFaults({ hugeResponseBytes: 100_000 });
      await rejectsWith(c.upload({ buffer: Buffer.from('G28\n') }, 'huge.gcode'), 'PROTOCOL', /larger than 4096 bytes/);
    }));

  it('buddy: the connection reset mid-body without an answer → UNREACHABLE', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make();
      await c.detect();
      sim.control.setFaults({ resetAfterBytes: 100_000 });
      await rejectsWith(c.upload({ buffer: patterned(4 * MiB) }, 'reset.gcode'), 'UNREACHABLE');
      sim.control.clearFaults();
      await c.upload({ buffer: Buffer.from('G28\n') }, 'after.gcode');
    }));

  // An existing name is refused before the upload now (mini-overwrite.test.js); another transfer still is not.
  it('mini-legacy: an early refusal (another transfer) while the body is written is reported, not EPIPE', () =>
    withSim({ family: 'mini-legacy' }, async (sim, make) => {
      const c = make();
      await c.detect();
      sim.control.setFaults({ transferInProgress: true });
      const t = tmpFile(patterned(8 * MiB));
      try {
        await rejectsWith(c.upload({ file: t.file }, 'big.gcode'), 'TRANSFER_IN_PROGRESS');
      } finally {
        t.cleanup();
      }
    }));

  it("https: the upload goes through the transport's agent, so allowSelfSigned applies to it too", async () => {
    const dir = path.join(__dirname, 'fixtures');
    const tls = { key: fs.readFileSync(path.join(dir, 'selfsigned.key')), cert: fs.readFileSync(path.join(dir, 'selfsigned.crt')) };
    const sim = await startSimulator({ family: 'buddy', tls });
    const c = new PrusaLinkClient({ host: `https://127.0.0.1:${sim.port}`, password: 'password', allowSelfSigned: true });
    const content = patterned(2 * MiB + 1);
    const t = tmpFile(content);
    try {
      await c.upload({ file: t.file }, 'tls.gcode');
      assert.ok(sim.control.readFile('tls.gcode').equals(content));
    } finally {
      t.cleanup();
      c.close();
      await sim.stop();
    }
  });
});
