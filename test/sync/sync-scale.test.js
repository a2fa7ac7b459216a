'use strict';
// Cost of a sync grows with the changes, not with the folder: 500 unchanged files cost listing requests only, and
// no local file is read when its size and time match the manifest.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { syncFolder, MANIFEST_NAME } = require('@makerflows/node-red-prusalink/sync');
const { startPrinter, makeLocalFolder, gcode, writes, onlyListings } = require('./helpers');

function fiveHundred(nested) {
  const files = {};
  for (let i = 0; i < 500; i++) {
    const folder = nested ? `batch ${i % 5}/` : '';
    files[`${folder}part ${String(i).padStart(3, '0')}.gcode`] = gcode(`part ${i}`, 64 + (i % 7));
  }
  return files;
}

for (const family of ['buddy', 'pi', 'mini-legacy']) {
  const nested = family !== 'mini-legacy';
  describe(`500 files on ${family}`, () => {
    let sim;
    let client;
    let dir;
    const remoteFolder = nested ? 'bulk' : '';

    before(async () => {
      // The Pi's listing delay after each upload (test/sim/pi-listing) is not what this counts: requests and reads.
      ({ sim, client } = await startPrinter(family, family === 'pi' ? { piListingDelayMs: 0 } : {}));
      dir = makeLocalFolder(fiveHundred(nested));
    });
    after(async () => {
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('uploads all 500 once, then an unchanged re-sync makes listing requests only', async () => {
      sim.control.clearRequests();
      const first = await syncFolder(client, { localFolder: dir, remoteFolder });
      assert.equal(first.uploaded.length, 500);
      assert.deepEqual(first.failed, []);
      // Once each: 500 requests that carry a file body, one per file name.
      const bodies = writes(sim).filter((r) => r.bodyBytes > 0);
      assert.equal(bodies.length, 500);
      assert.equal(new Set(bodies.map((r) => r.url)).size, family === 'mini-legacy' ? 1 : 500);
      assert.equal(sim.control.listFiles().filter((f) => !f.endsWith('/')).length, 500);
      sim.control.clearRequests();
      const second = await syncFolder(client, { localFolder: dir, remoteFolder });
      assert.equal(second.unchanged.length, 500);
      assert.deepEqual(second.uploaded, []);
      const { count, others } = onlyListings(sim);
      assert.deepEqual(others, []);
      // one listing per folder: the root (+ 5 batches where the printer has folders)
      assert.equal(count, nested ? 6 : 1);
    });

    it('does not read a file whose size and time match the manifest (same-size edit with the old time goes unseen)', async () => {
      const rel = nested ? 'batch 0/part 000.gcode' : 'part 000.gcode';
      const abs = path.join(dir, ...rel.split('/'));
      // a whole-second time survives utimes exactly (a fractional one may be rounded by a millisecond)
      const wholeSecond = Math.floor(Date.now() / 1000) - 3600;
      fs.utimesSync(abs, wholeSecond, wholeSecond);
      const touched = await syncFolder(client, { localFolder: dir, remoteFolder });
      assert.deepEqual(touched.uploaded, []); // hashed, same content: the manifest learns the new time
      const edited = fs.readFileSync(abs);
      edited[edited.length - 2] = 'Y'.charCodeAt(0); // same size, other content
      fs.writeFileSync(abs, edited);
      fs.utimesSync(abs, wholeSecond, wholeSecond);
      sim.control.clearRequests();
      const blind = await syncFolder(client, { localFolder: dir, remoteFolder });
      assert.deepEqual(blind.uploaded, []); // proof the content was not hashed
      assert.deepEqual(writes(sim), []);

      // a watch node's hint makes the sync look at the content
      const hinted = await syncFolder(client, { localFolder: dir, remoteFolder, changedPaths: [abs] });
      if (family === 'mini-legacy') {
        // seen as changed, but the MINI cannot replace a file: it is reported, not deleted and sent again
        assert.deepEqual(hinted.uploaded, []);
        assert.deepEqual(hinted.skipped.map((k) => [k.path, k.code]), [[rel, 'CANNOT_REPLACE']]);
        return;
      }
      assert.deepEqual(hinted.uploaded.map((u) => u.path), [rel]);
      assert.deepEqual(hinted.uploaded[0].reason, 'changed');
    });
  });
}

describe('without a manifest', () => {
  let dir;
  const sims = [];
  before(() => {
    dir = makeLocalFolder({ 'a.gcode': gcode('a', 100), 'sub/b.gcode': gcode('b', 120) });
  });
  after(async () => {
    for (const s of sims) await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Pi PrusaLink: files the printer lists with the same size and a later time are taken as synced', async () => {
    const { sim, client } = await startPrinter('pi');
    sims.push(sim);
    await syncFolder(client, { localFolder: dir, remoteFolder: 'x' });
    fs.rmSync(path.join(dir, MANIFEST_NAME));
    sim.control.clearRequests();
    const s = await syncFolder(client, { localFolder: dir, remoteFolder: 'x' });
    assert.deepEqual(s.uploaded, []);
    assert.deepEqual(s.unchanged.sort(), ['a.gcode', 'sub/b.gcode']);
    assert.deepEqual(writes(sim), []);
    assert.ok(fs.existsSync(path.join(dir, MANIFEST_NAME)), 'the manifest is rebuilt');
  });

  it('Buddy (no sizes in listings): existing files are sent again once, then recorded', async () => {
    const { sim, client } = await startPrinter('buddy');
    sims.push(sim);
    const manifestPath = path.join(dir, 'elsewhere', 'm.json');
    await syncFolder(client, { localFolder: dir, remoteFolder: 'x', manifestPath });
    fs.rmSync(manifestPath);
    const again = await syncFolder(client, { localFolder: dir, remoteFolder: 'x', manifestPath });
    assert.deepEqual(again.uploaded.map((u) => u.reason), ['changed', 'changed']);
    const third = await syncFolder(client, { localFolder: dir, remoteFolder: 'x', manifestPath });
    assert.deepEqual(third.uploaded, []);
  });

  it('a file replaced on the printer by someone else is sent again', async () => {
    const { sim, client } = await startPrinter('pi');
    sims.push(sim);
    await syncFolder(client, { localFolder: dir, remoteFolder: 'y' });
    sim.control.addFile('y/a.gcode', gcode('replaced on the printer', 300));
    const s = await syncFolder(client, { localFolder: dir, remoteFolder: 'y' });
    assert.deepEqual(s.uploaded.map((u) => [u.path, u.reason]), [['a.gcode', 'changed-on-printer']]);
    assert.equal(sim.control.readFile('y/a.gcode').toString(), gcode('a', 100));
  });
});
