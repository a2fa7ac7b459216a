'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Readable, PassThrough } = require('node:stream');
const { withSim, rejectsWith, eventually, sampleGcode } = require('./helpers');

function tmpFile(content) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-client-'));
  const file = path.join(dir, 'part.gcode');
  fs.writeFileSync(file, content);
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

const uploads = (sim) => sim.control.requests().filter((r) => r.method === 'PUT' || (r.method === 'POST' && r.path.startsWith('/api/files')));

describe('uploads', () => {
  for (const family of ['buddy', 'pi', 'mini-legacy']) {
    it(`${family}: from a file, a Buffer and a stream, exact Content-Length, progress`, () =>
      withSim({ family }, async (sim, make) => {
        const c = make();
        const content = sampleGcode({ sizeBytes: 300_000 });
        const t = tmpFile(content);
        try {
          const seen = [];
          const r1 = await c.upload({ file: t.file }, 'from-file.gcode', { onProgress: (p) => seen.push(p) });
          assert.equal(r1.size, content.length);
          assert.equal(seen[seen.length - 1].percent, 100);
          assert.equal(seen[seen.length - 1].bytes, content.length);
          assert.deepEqual(sim.control.readFile('from-file.gcode'), content);
          await c.upload({ buffer: content }, 'from-buffer.gcode');
          assert.deepEqual(sim.control.readFile('from-buffer.gcode'), content);
          await c.upload({ stream: Readable.from([content.subarray(0, 1000), content.subarray(1000)]), size: content.length }, 'from-stream.gcode');
          assert.deepEqual(sim.control.readFile('from-stream.gcode'), content);
          const sent = uploads(sim);
          assert.equal(sent.length, 3);
          for (const r of sent) {
            assert.equal(r.headers['transfer-encoding'], undefined, 'never chunked');
            // Exact: the header is the number of body bytes the printer read, and a PUT body is the file itself.
            assert.equal(Number(r.headers['content-length']), r.bodyBytes);
            if (r.method === 'PUT') assert.equal(r.bodyBytes, content.length);
            else assert.ok(r.bodyBytes > content.length, 'a multipart body is the file and its framing');
            assert.equal(r.headers['expect'], undefined);
          }
        } finally {
          t.cleanup();
        }
      }));

    it(`${family}: existing file → FILE_EXISTS; overwrite only when asked, headers never leak between calls`, () =>
      withSim({ family, files: { 'x.gcode': 'old\n' } }, async (sim, make) => {
        const c = make();
        // A failed upload-and-print, then a plain upload: the print flag must not survive the failure (trap §11.2).
        await rejectsWith(c.upload({ buffer: Buffer.from('new\n') }, 'x.gcode', { printAfterUpload: true }), 'FILE_EXISTS', /already exists/i);
        await c.upload({ buffer: Buffer.from('G28\n') }, 'after-fail.gcode');
        assert.equal(sim.control.state, 'IDLE', 'the plain upload started no print');
        assert.equal(sim.control.readFile('x.gcode').toString(), 'old\n');
        if (family === 'mini-legacy') {
          // MINI 4.4.1 cannot replace a file (upload-checks.ts): nothing more to send.
          await rejectsWith(c.upload({ buffer: Buffer.from('new\n') }, 'x.gcode', { overwrite: true }), 'FILE_EXISTS', /cannot replace a file/);
          return;
        }
        await rejectsWith(c.upload({ buffer: Buffer.from('new\n') }, 'x.gcode'), 'FILE_EXISTS', /already exists/i);
        await c.upload({ buffer: Buffer.from('new\n') }, 'x.gcode', { overwrite: true });
        assert.equal(sim.control.readFile('x.gcode').toString(), 'new\n');
        sim.control.clearRequests();
        await c.upload({ buffer: Buffer.from('G28\n') }, 'plain.gcode');
        const put = uploads(sim)[0];
        assert.equal(put.headers['overwrite'], undefined);
        assert.equal(put.headers['print-after-upload'], undefined);
        assert.equal(put.headers['content-type'], 'text/x.gcode');
      }));

    it(`${family}: print after upload starts the print`, () =>
      withSim({ family }, async (sim, make) => {
        const c = make();
        const r = await c.upload({ buffer: sampleGcode({ printSeconds: 600 }) }, 'go.gcode', { printAfterUpload: true });
        assert.equal(r.printStarted, true);
        assert.equal(r.recoveredFromError, undefined);
        await eventually(async () => (await c.status()).state === 'PRINTING');
      }));

    it(`${family}: the Print-After-Upload trap is reconciled, never retried`, () =>
      withSim({ family }, async (sim, make) => {
        const c = make();
        await c.detect();
        sim.control.setFaults({ printAfterUploadTrap: 404 });
        sim.control.clearRequests();
        const r = await c.upload({ buffer: sampleGcode({ printSeconds: 600 }) }, 'trap.gcode', { printAfterUpload: true });
        assert.equal(r.printStarted, true);
        assert.equal(r.recoveredFromError, true);
        assert.equal(uploads(sim).length, 1, 'one upload request, no retry');
      }));

    it(`${family}: another transfer in progress → TRANSFER_IN_PROGRESS (early answer read, not EPIPE)`, () =>
      withSim({ family }, async (sim, make) => {
        const c = make();
        await c.detect();
        sim.control.setFaults({ transferInProgress: true });
        const big = Buffer.alloc(8 * 1024 * 1024, 0x47);
        await rejectsWith(c.upload({ buffer: big }, 'late.gcode'), 'TRANSFER_IN_PROGRESS');
      }));
  }

  it('buddy: .bgcode is sent as application/gcode+binary', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make();
      await c.upload({ buffer: Buffer.from('GCDE\x01\x00\x00\x00') }, 'bin.bgcode');
      assert.equal(uploads(sim)[0].headers['content-type'], 'application/gcode+binary');
    }));

  it('pi: .bgcode → UNSUPPORTED_FILE, nothing sent', () =>
    withSim({ family: 'pi' }, async (sim, make) => {
      const c = make();
      await c.detect();
      sim.control.clearRequests();
      await rejectsWith(c.upload({ buffer: Buffer.from('x') }, 'bin.bgcode'), 'UNSUPPORTED_FILE');
      assert.equal(sim.control.requests().length, 0);
    }));

  it('mini-legacy: a subfolder is refused before sending; toRootIfUnsupported stores in the root with a warning', () =>
    withSim({ family: 'mini-legacy' }, async (sim, make) => {
      const c = make();
      await c.detect();
      sim.control.clearRequests();
      await rejectsWith(c.upload({ buffer: Buffer.from('G28\n') }, 'dir/x.gcode'), 'UNSUPPORTED', /root/);
      assert.equal(sim.control.requests().length, 0);
      const r = await c.upload({ buffer: Buffer.from('G28\n') }, 'dir/x.gcode', { toRootIfUnsupported: true });
      assert.equal(r.path, '/usb/x.gcode');
      assert.match(r.warning, /cannot upload into a folder/);
      assert.ok(sim.control.listFiles().includes('x.gcode'), sim.control.listFiles().join());
    }));

  it('buddy: abort → ABORTED; a stalled stream → TIMEOUT (stall timer, not a total timeout)', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make({ uploadStallTimeout: 300 });
      const ac = new AbortController();
      const s1 = new PassThrough();
      s1.write(Buffer.alloc(1000, 0x47));
      const p1 = c.upload({ stream: s1, size: 100_000 }, 'abort.gcode', {
        signal: ac.signal,
        onProgress: () => setTimeout(() => ac.abort(), 20),
      });
      await rejectsWith(p1, 'ABORTED');
      const s2 = new PassThrough();
      s2.write(Buffer.alloc(1000, 0x47));
      await rejectsWith(c.upload({ stream: s2, size: 100_000 }, 'stall.gcode'), 'TIMEOUT', /stalled/);
      // The client still works afterwards.
      assert.equal((await c.status()).state, 'IDLE');
    }));

  it('buddy: Digest uploads get a fresh nonce first and send the body once', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make();
      await c.status();
      sim.control.reboot();
      sim.control.clearRequests();
      await c.upload({ buffer: Buffer.alloc(200_000, 0x47) }, 'nonce.gcode');
      const reqs = sim.control.requests();
      assert.equal(reqs.filter((r) => r.method === 'PUT').length, 1);
      assert.deepEqual(reqs.map((r) => `${r.method} ${r.status}`), ['GET 401', 'GET 200', 'PUT 201']);
    }));
});
