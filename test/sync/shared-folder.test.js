'use strict';
// One local folder synced to several printers (SyncOptions.printerId: "several printers may share one local
// folder"), at the same time, as two sync nodes of one flow do when a single inject triggers both.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { syncFolder, MANIFEST_NAME } = require('@makerflows/node-red-prusalink/sync');
const { startPrinter, makeLocalFolder, gcode, writes } = require('./helpers');

const FILES = { 'part one.gcode': gcode('one', 300), 'part two.gcode': gcode('two', 200) };

describe('one local folder synced to two printers at once', () => {
  const printers = [];
  let dir;
  before(async () => {
    for (const family of ['buddy', 'mini-legacy']) printers.push({ family, ...(await startPrinter(family)) });
    dir = makeLocalFolder(FILES);
  });
  after(async () => {
    for (const p of printers) await p.sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const syncAll = () => Promise.all(printers.map((p) => syncFolder(p.client, { localFolder: dir, remoteFolder: '', printerId: p.family })));

  it('both syncs succeed and the manifest keeps the records of both printers', async () => {
    const summaries = await syncAll();
    for (const s of summaries) {
      assert.deepEqual(s.failed, []);
      assert.deepEqual(s.uploaded.map((u) => u.path).sort(), Object.keys(FILES));
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_NAME), 'utf8'));
    assert.deepEqual(Object.keys(manifest.printers).sort(), ['buddy', 'mini-legacy']);
    for (const id of ['buddy', 'mini-legacy']) assert.deepEqual(Object.keys(manifest.printers[id]['/usb']).sort(), Object.keys(FILES), id);
    assert.deepEqual(fs.readdirSync(dir).sort(), [MANIFEST_NAME, ...Object.keys(FILES)].sort(), 'no temporary file left');
  });

  it('a second sync of both, at once again, uploads nothing (neither printer lost its records)', async () => {
    // Neither Buddy nor the MINI lists sizes usable to call a file unchanged: only the manifest can (src/sync/manifest.ts).
    for (const p of printers) p.sim.control.clearRequests();
    const summaries = await syncAll();
    for (const [i, s] of summaries.entries()) {
      assert.deepEqual(s.failed, [], printers[i].family);
      assert.deepEqual(s.uploaded, [], printers[i].family);
      assert.deepEqual(writes(printers[i].sim), [], printers[i].family);
    }
  });
});
