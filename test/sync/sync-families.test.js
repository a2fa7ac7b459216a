'use strict';
// The sync engine over real HTTP against the simulator, for each printer family.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { syncFolder, MANIFEST_NAME } = require('@makerflows/node-red-prusalink/sync');
const { startPrinter, makeLocalFolder, writeLocal, gcode, writes, onlyListings } = require('./helpers');

/** The files on the printer, folders left out, sorted. */
const printedFiles = (sim) => sim.control.listFiles().filter((p) => !p.endsWith('/')).sort();
const paths = (items) => items.map((i) => (typeof i === 'string' ? i : i.path)).sort();

for (const family of ['buddy', 'pi', 'mini-legacy']) {
  const folders = family !== 'mini-legacy';
  const remoteFolder = folders ? 'Prints for sync' : '';
  const prefix = folders ? 'Prints for sync/' : '';
  // What the first sync puts on the printer: the printable files (bgcode on Buddy only), nested ones where the
  // printer has folders.
  const UPLOADED_FIRST = ['Benchy long name.gcode', 'short.gco']
    .concat(family === 'buddy' ? ['binary part.bgcode'] : [])
    .concat(folders ? ['Nested folder/Level two/deep part.gcode', 'Nested folder/bracket.gcode'] : []);

  describe(`syncFolder on ${family}`, () => {
    let sim;
    let client;
    let dir;
    const opts = (extra = {}) => ({ localFolder: dir, remoteFolder, ...extra });

    before(async () => {
      ({ sim, client } = await startPrinter(family));
      dir = makeLocalFolder({
        'Benchy long name.gcode': gcode('benchy', 300),
        'short.gco': gcode('short', 120),
        'binary part.bgcode': Buffer.from('GCDE\x01\x00\x00\x00\x00\x00'),
        'notes.txt': 'not printable',
        'Nested folder/Level two/deep part.gcode': gcode('deep', 250),
        'Nested folder/bracket.gcode': gcode('bracket', 180),
      });
    });
    after(async () => {
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('first sync uploads every printable file (nested folders where the printer has them)', async () => {
      const s = await syncFolder(client, opts());
      assert.deepEqual(s.failed, []);
      assert.equal(s.dryRun, false);
      const expected = ['Benchy long name.gcode', 'short.gco'];
      if (family === 'buddy') expected.push('binary part.bgcode');
      if (folders) expected.push('Nested folder/Level two/deep part.gcode', 'Nested folder/bracket.gcode');
      assert.deepEqual(paths(s.uploaded), expected.sort());
      assert.ok(s.uploaded.every((u) => u.reason === 'new'));
      // The printer started empty: it now holds exactly the uploads (no notes.txt, no bgcode off Buddy).
      assert.deepEqual(printedFiles(sim), expected.map((rel) => prefix + rel).sort());
      if (family !== 'buddy') assert.deepEqual(s.skipped.filter((k) => k.code === 'UNSUPPORTED_FILE').map((k) => k.path), ['binary part.bgcode']);
      if (!folders) {
        assert.deepEqual(s.skipped.filter((k) => k.code === 'FOLDERS_UNSUPPORTED').map((k) => k.path), ['Nested folder/']);
      } else {
        assert.deepEqual(paths(s.created), ['', 'Nested folder/', 'Nested folder/Level two/']);
      }
      assert.ok(fs.existsSync(path.join(dir, MANIFEST_NAME)));
    });

    it('second sync changes nothing and only lists folders, one GET per folder', async () => {
      sim.control.clearRequests();
      const s = await syncFolder(client, opts());
      assert.deepEqual(s.uploaded, []);
      assert.deepEqual(s.created, []);
      assert.deepEqual([...s.unchanged].sort(), [...UPLOADED_FIRST].sort());
      const { count, others } = onlyListings(sim);
      assert.deepEqual(others, []);
      // A v1 folder GET lists one level (facts §4.6): the synced folder, "Nested folder" and "Level two".
      // The legacy GET /api/files lists the MINI's one folder (facts §6).
      assert.equal(count, folders ? 3 : 1);
      assert.deepEqual(s.requests, { list: 1, status: 0, createFolder: 0, upload: 0, delete: 0 });
    });

    // The MINI cannot replace a file (no PUT); deleting it first would lose it if the upload failed, so it stays.
    const replaces = family !== 'mini-legacy';
    const shortOnPrinter = () => (replaces ? gcode('short v2', 400) : gcode('short', 120));

    it(replaces ? 'a modified file is the only upload' : 'a modified file is left on the printer as it is, skipped as CANNOT_REPLACE', async () => {
      writeLocal(dir, 'short.gco', gcode('short v2', 400));
      sim.control.clearRequests();
      const s = await syncFolder(client, opts());
      if (replaces) {
        assert.deepEqual(s.uploaded.map((u) => [u.path, u.reason]), [['short.gco', 'changed']]);
        assert.equal(writes(sim).filter((r) => r.method === 'PUT' || r.method === 'POST').length, 1);
      } else {
        assert.deepEqual(s.uploaded, []);
        assert.deepEqual(s.skipped.filter((k) => k.code === 'CANNOT_REPLACE').map((k) => k.path), ['short.gco']);
        assert.deepEqual(writes(sim), []);
      }
      assert.equal(sim.control.readFile(prefix + 'short.gco').toString(), shortOnPrinter());
    });

    it('a touched file with the same content is not uploaded (hash against the manifest)', async () => {
      const abs = path.join(dir, 'Benchy long name.gcode');
      const later = new Date(Date.now() + 60_000);
      fs.utimesSync(abs, later, later);
      sim.control.clearRequests();
      const s = await syncFolder(client, opts());
      assert.deepEqual(s.uploaded, []);
      // On the MINI the modified short.gco is still waiting (it cannot be replaced): skipped again, not unchanged.
      const unchanged = replaces ? UPLOADED_FIRST : UPLOADED_FIRST.filter((p) => p !== 'short.gco');
      assert.deepEqual([...s.unchanged].sort(), [...unchanged].sort());
      if (!replaces) assert.deepEqual(s.skipped.filter((k) => k.code === 'CANNOT_REPLACE').map((k) => k.path), ['short.gco']);
      assert.deepEqual(writes(sim), []);
    });

    it('dry run reports the changes and sends no write request', async () => {
      writeLocal(dir, 'new one.gcode', gcode('new', 150));
      fs.rmSync(path.join(dir, 'Benchy long name.gcode'));
      const manifestBefore = fs.readFileSync(path.join(dir, MANIFEST_NAME), 'utf8');
      sim.control.clearRequests();
      const s = await syncFolder(client, opts({ dryRun: true, deleteExtras: true }));
      assert.equal(s.dryRun, true);
      assert.deepEqual(paths(s.uploaded), ['new one.gcode']);
      assert.deepEqual(paths(s.deleted), ['Benchy long name.gcode']);
      assert.deepEqual(writes(sim), []);
      assert.equal(fs.readFileSync(path.join(dir, MANIFEST_NAME), 'utf8'), manifestBefore);
      assert.deepEqual(printedFiles(sim), UPLOADED_FIRST.map((p) => prefix + p).sort());
    });

    it('a file deleted locally is kept on the printer without deleteExtras, deleted with it', async () => {
      const kept = await syncFolder(client, opts());
      assert.deepEqual(paths(kept.uploaded), ['new one.gcode']);
      assert.deepEqual(kept.kept, ['Benchy long name.gcode']);
      assert.deepEqual(kept.deleted, []);
      assert.deepEqual(printedFiles(sim), [...UPLOADED_FIRST, 'new one.gcode'].map((p) => prefix + p).sort());

      const gone = await syncFolder(client, opts({ deleteExtras: true }));
      assert.deepEqual(paths(gone.deleted), ['Benchy long name.gcode']);
      assert.deepEqual(gone.failed, []);
      assert.deepEqual(
        printedFiles(sim),
        [...UPLOADED_FIRST, 'new one.gcode'].filter((p) => p !== 'Benchy long name.gcode').map((p) => prefix + p).sort(),
      );
    });

    if (folders) {
      it('a local folder removed entirely goes from the printer with deleteExtras, folders included', async () => {
        fs.rmSync(path.join(dir, 'Nested folder'), { recursive: true });
        const s = await syncFolder(client, opts({ deleteExtras: true }));
        assert.deepEqual(s.failed, []);
        assert.deepEqual(paths(s.deleted), [
          'Nested folder/',
          'Nested folder/Level two/',
          'Nested folder/Level two/deep part.gcode',
          'Nested folder/bracket.gcode',
        ]);
        assert.deepEqual(printedFiles(sim), [prefix + 'new one.gcode', prefix + 'short.gco'].concat(family === 'buddy' ? [prefix + 'binary part.bgcode'] : []).sort());
      });
    }

    it('a failing upload is reported in failed, never in uploaded, and not recorded', async () => {
      writeLocal(dir, 'will fail.gcode', gcode('fail', 220));
      sim.control.setFaults({ transferInProgress: true });
      const s = await syncFolder(client, opts());
      sim.control.clearFaults();
      assert.deepEqual(s.uploaded, []);
      assert.equal(s.failed.length, 1);
      assert.equal(s.failed[0].path, 'will fail.gcode');
      assert.equal(s.failed[0].code, 'TRANSFER_IN_PROGRESS');
      // The printer's own words for the 409 (facts §4.6), after the printer's address.
      assert.match(s.failed[0].message, new RegExp(`^PrusaLink 127\\.0\\.0\\.1:${sim.port}: .*: Another transfer in progress \\(HTTP 409\\)$`));
      const manifest = fs.readFileSync(path.join(dir, MANIFEST_NAME), 'utf8');
      assert.ok(!manifest.includes('will fail.gcode'));
      const retry = await syncFolder(client, opts());
      assert.deepEqual(paths(retry.uploaded), ['will fail.gcode']);
    });

    it('leaves the file being printed alone and says why', async () => {
      sim.control.startPrint(prefix + 'short.gco');
      writeLocal(dir, 'short.gco', gcode('short v3', 500));
      fs.rmSync(path.join(dir, 'new one.gcode'));
      sim.control.clearRequests();
      const s = await syncFolder(client, opts({ deleteExtras: true }));
      // on the MINI the file could not be replaced anyway, and that is what the skip says
      const skipCode = replaces ? 'FILE_PRINTING' : 'CANNOT_REPLACE';
      assert.deepEqual(s.skipped.filter((k) => k.code === skipCode).map((k) => k.path), ['short.gco']);
      if (replaces) assert.match(s.skipped.find((k) => k.code === 'FILE_PRINTING').reason, /printing/);
      assert.deepEqual(s.uploaded, []);
      assert.deepEqual(paths(s.deleted), ['new one.gcode']);
      assert.equal(s.requests.status, 1);
      assert.equal(writes(sim).filter((r) => r.method === 'PUT' || r.method === 'POST').length, 0);
      assert.equal(sim.control.readFile(prefix + 'short.gco').toString(), shortOnPrinter());
    });
  });
}
