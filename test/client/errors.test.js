'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { withSim, rejectsWith, eventually, sampleGcode, startSimulator, PrusaLinkClient } = require('./helpers');

describe('errors', () => {
  it('invalid paths are refused before anything is sent', () =>
    // 6.6.0 named: the 168-character URL limit below is that of Buddy ≥ 5.1 (5.0 and older: 100).
    withSim({ family: 'buddy', firmware: '6.6.0' }, async (sim, make) => {
      const c = make();
      await c.detect();
      sim.control.clearRequests();
      for (const bad of ['../etc/passwd', 'a/../../b.gcode', './x.gcode', 'a\\b.gcode', 'nul\u0000.gcode', 'ctl\u0007.gcode', '~/x.gcode']) {
        await rejectsWith(c.fileInfo(bad), 'INVALID_PATH');
        await rejectsWith(c.upload({ buffer: Buffer.from('G28\n') }, bad), 'INVALID_PATH');
        await rejectsWith(c.delete(bad), 'INVALID_PATH');
      }
      await rejectsWith(c.print('notes.txt'), 'UNSUPPORTED_FILE');
      await rejectsWith(c.upload({ buffer: Buffer.from('x') }, 'notes.txt'), 'UNSUPPORTED_FILE');
      await rejectsWith(c.upload({ buffer: Buffer.from('x') }, 'n'.repeat(120) + '.gcode'), 'NAME_TOO_LONG', /103/);
      await rejectsWith(c.fileInfo('d'.repeat(170) + '.gcode'), 'NAME_TOO_LONG', /168/);
      await rejectsWith(c.delete('/usb'), 'INVALID_PATH');
      assert.equal(sim.control.requests().length, 0);
    }));

  it('percent-encoding: spaces, +, #, % and non-ASCII reach the printer intact', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make();
      const name = 'a b+c#d%é.gcode';
      await c.upload({ buffer: Buffer.from('G28\n') }, `dir x/${name}`);
      assert.deepEqual(sim.control.listFiles(), ['dir x/', `dir x/${name}`]);
      const put = sim.control.requests().find((r) => r.method === 'PUT');
      assert.equal(put.url, '/api/v1/files/usb/dir%20x/a%20b%2Bc%23d%25%C3%A9.gcode');
      assert.equal(await c.exists(`/usb/dir x/${name}`), true);
    }));

  it('unreachable → UNREACHABLE, then detected again once the printer is back', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make();
      await c.status();
      await sim.control.refuse();
      await rejectsWith(c.status(), 'UNREACHABLE', /unreachable/);
      await sim.control.listen();
      sim.control.clearRequests();
      assert.equal((await c.status()).state, 'IDLE');
      // Detected again after the reconnect (facts §3, step 7): version, storage, then the status itself.
      assert.deepEqual(
        sim.control.requests().map((r) => `${r.method} ${r.path}`),
        ['GET /api/version', 'GET /api/v1/storage', 'GET /api/v1/status'],
      );
    }));

  it('nothing listening → UNREACHABLE naming the printer', async () => {
    const sim = await startSimulator({ family: 'buddy' });
    const port = sim.port;
    await sim.stop();
    const c = new PrusaLinkClient({ host: `127.0.0.1:${port}`, password: 'password' });
    try {
      await rejectsWith(c.status(), 'UNREACHABLE', new RegExp(`^PrusaLink 127\\.0\\.0\\.1:${port}: .*connection refused`));
    } finally {
      c.close();
    }
  });

  it('no answer → TIMEOUT; 500/503 → SERVER_ERROR; bad JSON and oversized answers → PROTOCOL', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make({ timeout: 300, maxResponseBytes: 64 * 1024 });
      await c.detect();
      sim.control.setFaults({ hang: true });
      await rejectsWith(c.status(), 'TIMEOUT');
      sim.control.setFaults({ status: 500 });
      const e = await rejectsWith(c.status(), 'SERVER_ERROR', /HTTP 500/);
      assert.equal(e.status, 500);
      sim.control.setFaults({ status: 503 });
      await rejectsWith(c.status(), 'SERVER_ERROR', /HTTP 503/);
      sim.control.setFaults({ badJson: 'malformed' });
      await rejectsWith(c.status(), 'PROTOCOL', /malformed JSON/);
      sim.control.setFaults({ badJson: 'truncated' });
      await rejectsWith(c.status(), 'PROTOCOL');
      sim.control.setFaults({ hugeResponseBytes: 1024 * 1024 });
      await rejectsWith(c.status(), 'PROTOCOL', /larger than/);
      sim.control.clearFaults();
      assert.equal((await c.status()).state, 'IDLE');
    }));

  it('job control without a job → NO_JOB; busy file → FILE_BUSY; print while printing → NOT_READY', () =>
    withSim({ family: 'buddy', files: { 'p.gcode': sampleGcode({ printSeconds: 600 }) } }, async (sim, make) => {
      const c = make();
      await rejectsWith(c.pause(), 'NO_JOB');
      await rejectsWith(c.stop(), 'NO_JOB');
      await c.print('p.gcode');
      await eventually(async () => (await c.status()).state === 'PRINTING');
      await rejectsWith(c.delete('p.gcode'), 'FILE_BUSY');
      await rejectsWith(c.print('p.gcode'), 'NOT_READY');
      await rejectsWith(c.resume(), 'NOT_READY');
    }));

  it('pi: read-only sdcard → FORBIDDEN before sending; non-empty folder without recursive → FOLDER_NOT_EMPTY', () =>
    withSim({ family: 'pi', files: { 'dir/x.gcode': 'G28\n' } }, async (sim, make) => {
      const c = make();
      await rejectsWith(c.upload({ buffer: Buffer.from('G28\n') }, '/sdcard/x.gcode'), 'FORBIDDEN', /read-only/);
      await rejectsWith(c.delete('dir'), 'FOLDER_NOT_EMPTY');
    }));

  it('close() aborts in-flight requests with ABORTED', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make();
      await c.detect();
      sim.control.setFaults({ latencyMs: 2000 });
      const p = c.status();
      setTimeout(() => c.close(), 50);
      await rejectsWith(p, 'ABORTED');
      await rejectsWith(c.status(), 'ABORTED');
    }));

  it('https: self-signed certificate → TLS with a hint; accepted with allowSelfSigned', async () => {
    const dir = path.join(__dirname, 'fixtures');
    const tls = { key: fs.readFileSync(path.join(dir, 'selfsigned.key')), cert: fs.readFileSync(path.join(dir, 'selfsigned.crt')) };
    const sim = await startSimulator({ family: 'buddy', tls });
    const host = `https://127.0.0.1:${sim.port}`;
    const strict = new PrusaLinkClient({ host, password: 'password' });
    const lax = new PrusaLinkClient({ host, password: 'password', allowSelfSigned: true });
    try {
      await rejectsWith(strict.status(), 'TLS', /allowSelfSigned/);
      assert.equal((await lax.status()).state, 'IDLE');
    } finally {
      strict.close();
      lax.close();
      await sim.stop();
    }
  });
});
