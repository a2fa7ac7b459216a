'use strict';
// A printer that uploads only by multipart POST (MINI 4.4.1) cannot replace a file. Deleting the old file first and
// then uploading lost it whenever the upload failed; the sync now leaves such a file as it is and says why.
const { describe, it, after, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { syncFolder } = require('@makerflows/node-red-prusalink/sync');
const { startPrinter, makeLocalFolder, writeLocal, gcode, writes } = require('./helpers');

describe('syncFolder on a printer without PUT (MINI 4.4.1): a changed file', () => {
  let sim;
  let client;
  let dir;
  before(async () => {
    ({ sim, client } = await startPrinter('mini-legacy'));
    dir = makeLocalFolder({ 'part.gcode': gcode('version one', 200), 'other.gcode': gcode('other', 150) });
    const first = await syncFolder(client, { localFolder: dir, remoteFolder: '' });
    assert.deepEqual(first.failed, []);
    assert.deepEqual(first.uploaded.map((u) => u.path).sort(), ['other.gcode', 'part.gcode']);
  });
  after(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is never deleted, even when the upload would fail: the old file stays and the skip says why', async () => {
    const before = sim.control.readFile('part.gcode').toString();
    writeLocal(dir, 'part.gcode', gcode('version two, longer', 400));
    sim.control.setFaults({ transferInProgress: true }); // any upload now fails
    sim.control.clearRequests();
    const s = await syncFolder(client, { localFolder: dir, remoteFolder: '' });
    sim.control.clearFaults();
    assert.deepEqual(sim.control.listFiles().sort(), ['other.gcode', 'part.gcode'], 'part.gcode is still on the printer');
    assert.equal(sim.control.readFile('part.gcode').toString(), before, 'the printer still holds the old part.gcode');
    assert.deepEqual(writes(sim).map((r) => `${r.method} ${r.path}`), [], 'no DELETE and no upload');
    assert.deepEqual(s.uploaded, []);
    assert.deepEqual(s.failed, []);
    assert.deepEqual(s.skipped.map((k) => [k.path, k.code]), [['part.gcode', 'CANNOT_REPLACE']]);
    assert.match(s.skipped[0].reason, /cannot replace a file/);
    assert.match(s.skipped[0].reason, /delete it on the printer/);
  });

  it('once deleted on the printer, the next sync uploads it', async () => {
    await client.delete('part.gcode');
    const s = await syncFolder(client, { localFolder: dir, remoteFolder: '' });
    assert.deepEqual(s.failed, []);
    assert.deepEqual(s.uploaded.map((u) => [u.path, u.reason]), [['part.gcode', 'new']]);
    assert.equal(sim.control.readFile('part.gcode').toString(), gcode('version two, longer', 400));
  });
});
