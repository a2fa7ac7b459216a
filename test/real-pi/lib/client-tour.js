'use strict';
// Every client call against the real PrusaLink. Expected values: run.sh's configuration (name RealPi, location
// bench, the two storages), the fake MK3S (firmware 3.14.1, its SD file), the facts document, and the files we put.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Readable } = require('node:stream');
const { syncFolder } = require('@makerflows/node-red-prusalink/sync');
const { clientOf, gcode, eventually, rejectsWith, namesOf } = require('./tools');

module.exports = function clientTour(fixture) {
  describe('client against the real server', () => {
    it('detects Pi PrusaLink 0.8.1 with Digest and with the API key', async () => {
      const pi = fixture();
      for (const c of [clientOf(pi), clientOf(pi, { user: undefined, password: undefined, apiKey: pi.credentials.apiKey })]) {
        const p = await c.detect();
        assert.equal(p.family, 'pi');
        assert.equal(p.version.server, '0.8.1');
        assert.equal(p.version.text, 'PrusaLink 0.8.1');
        assert.equal(p.version.firmware, '3.14.1-8237');
        assert.equal(p.defaultStorage, 'local');
        assert.deepEqual(p.storages.map((s) => [s.name, s.read_only]), [['local', false], ['sdcard', true]]);
      }
    });

    it('Digest is MD5-sess (the challenge says so) and works for status', async () => {
      const pi = fixture();
      const res = await fetch(`${pi.url}/api/v1/status`);
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate'), /algorithm="?MD5-sess"?/);
      const st = await clientOf(pi).status();
      assert.equal(st.state, 'IDLE');
    });

    it('a wrong password and a wrong API key are AUTH_FAILED', async () => {
      const pi = fixture();
      await rejectsWith(clientOf(pi, { password: 'wrong' }).status(), 'AUTH_FAILED');
      await rejectsWith(clientOf(pi, { user: undefined, password: undefined, apiKey: 'wrong' }).status(), 'AUTH_FAILED');
    });

    it('info names the printer as configured', async () => {
      const info = await clientOf(fixture()).info();
      assert.equal(info.name, 'RealPi');
      assert.equal(info.location, 'bench');
    });

    it('storage: local (PrusaLink gcodes, writable) and sdcard (read-only)', async () => {
      const st = await clientOf(fixture()).storage();
      assert.deepEqual(st.map((s) => [s.name, s.display_name, s.read_only]), [['local', 'PrusaLink gcodes', false], ['sdcard', 'SD Card', true]]);
    });

    it('lists the SD card with the fake printer\'s file', async () => {
      const l = await clientOf(fixture()).list('/sdcard');
      assert.deepEqual(l.entries.map((e) => e.name), ['sd_print_test.gcode']);
    });

    it('uploads a file, a Buffer and a stream; fileInfo and recursive list show them with their sizes', async (t) => {
      const pi = fixture();
      const c = clientOf(pi);
      const tmp = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'real-pi-up-'));
      t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
      const fromFile = gcode(10, 'file');
      fs.writeFileSync(path.join(tmp, 'f.gcode'), fromFile);
      const fromBuffer = gcode(20, 'buffer');
      const fromStream = gcode(30, 'stream');
      const r1 = await c.upload({ file: path.join(tmp, 'f.gcode') }, '/local/tour/f.gcode');
      const r2 = await c.upload({ buffer: fromBuffer }, '/local/tour/sub/b.gcode');
      const r3 = await c.upload({ stream: Readable.from([fromStream]), size: fromStream.length }, '/local/tour/s.gcode');
      assert.deepEqual([r1.path, r1.size, r2.path, r2.size, r3.path, r3.size], ['/local/tour/f.gcode', fromFile.length, '/local/tour/sub/b.gcode', fromBuffer.length, '/local/tour/s.gcode', fromStream.length]);
      for (const [p, body] of [['tour/f.gcode', fromFile], ['tour/sub/b.gcode', fromBuffer], ['tour/s.gcode', fromStream]])
        assert.deepEqual(fs.readFileSync(path.join(pi.gcodes, p)), body);
      const info = await eventually(() => c.fileInfo('/local/tour/sub/b.gcode'), 3000, 'b.gcode listed');
      assert.deepEqual([info.type, info.name, info.path, info.size], ['PRINT_FILE', 'b.gcode', '/local/tour/sub/b.gcode', fromBuffer.length]);
      const names = await eventually(async () => {
        const n = namesOf((await c.list('/local/tour', { recursive: true })).entries);
        return n.length === 4 && n;
      }, 3000, 'the tour folder listed');
      assert.deepEqual(names, ['f.gcode', 's.gcode', 'sub/', 'sub/b.gcode']);
    });

    it('exists: true for a file, false for a missing one', async () => {
      const c = clientOf(fixture());
      assert.equal(await c.exists('/local/tour/f.gcode'), true);
      assert.equal(await c.exists('/local/tour/nothing.gcode'), false);
    });

    it('overwrite replaces a file; without it a small upload is FILE_EXISTS', async () => {
      const pi = fixture();
      const c = clientOf(pi);
      const next = gcode(3, 'replaced');
      await rejectsWith(c.upload({ buffer: next }, '/local/tour/f.gcode'), 'FILE_EXISTS');
      await c.upload({ buffer: next }, '/local/tour/f.gcode', { overwrite: true });
      assert.deepEqual(fs.readFileSync(path.join(pi.gcodes, 'tour/f.gcode')), next);
    });

    it('.bgcode is refused before sending (Pi PrusaLink prints plain G-code only)', async () => {
      const pi = fixture();
      await rejectsWith(clientOf(pi).upload({ buffer: Buffer.from('GCDE') }, '/local/tour/x.bgcode'), 'UNSUPPORTED_FILE');
      assert.equal(fs.existsSync(path.join(pi.gcodes, 'tour/x.bgcode')), false);
    });

    it('createFolder makes a folder (and again: mkdir -p answers 201)', async () => {
      const c = clientOf(fixture());
      await c.createFolder('/local/made');
      await c.createFolder('/local/made');
      const e = await c.fileInfo('/local/made');
      assert.deepEqual([e.type, e.path], ['FOLDER', '/local/made']);
    });

    it('download gives the bytes that were uploaded; thumbnail of a file without one is NOT_FOUND', async () => {
      const c = clientOf(fixture());
      const body = gcode(20, 'buffer');
      const stream = await c.download('/local/tour/sub/b.gcode');
      const chunks = [];
      for await (const ch of stream) chunks.push(ch);
      assert.deepEqual(Buffer.concat(chunks), body);
      await rejectsWith(c.thumbnail('/local/tour/sub/b.gcode'), 'NOT_FOUND');
    });

    it('thumbnail: the largest PNG embedded in the G-code comes back byte for byte', async () => {
      const c = clientOf(fixture());
      const { makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');
      // PrusaSlicer's MK3S sizes; the real PrusaLink offers no preview below 50x50 (gcode-metadata get_closest_image)
      const file = makeSampleGcode({ name: 'thumb', printerModel: 'MK3S', thumbnails: [[16, 16], [220, 124]] });
      const block = /; thumbnail begin 220x124 \d+\n([\s\S]*?); thumbnail end/.exec(file.toString('latin1'));
      const png = Buffer.from(block[1].replace(/^; /gm, '').replace(/\s/g, ''), 'base64');
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
      await c.upload({ buffer: file }, '/local/thumbs/thumb.gcode');
      await eventually(() => c.exists('/local/thumbs/thumb.gcode'), 3000, 'thumb.gcode listed');
      assert.deepEqual(await c.thumbnail('/local/thumbs/thumb.gcode', 'large'), png);
    });

    it('delete: a file; a non-empty folder refused without recursive; with recursive it goes; deleteAllFiles', async () => {
      const pi = fixture();
      const c = clientOf(pi);
      await c.delete('/local/tour/s.gcode');
      assert.equal(fs.existsSync(path.join(pi.gcodes, 'tour/s.gcode')), false);
      const refused = await c.delete('/local/tour/sub').then(() => undefined, (e) => e);
      assert.ok(refused, 'a non-empty folder was deleted without recursive');
      assert.equal(refused.status, 409);
      assert.equal(fs.existsSync(path.join(pi.gcodes, 'tour/sub/b.gcode')), true);
      await c.delete('/local/tour/sub', { recursive: true });
      assert.equal(fs.existsSync(path.join(pi.gcodes, 'tour/sub')), false);
      await c.upload({ buffer: gcode(1) }, '/local/tour/two.gcode');
      // the Pi's listing follows the disk late (facts §9): wait until it shows exactly what is there
      await eventually(async () => namesOf((await c.list('/local/tour')).entries).join() === 'f.gcode,two.gcode', 3000, 'the two files listed');
      const { deleted } = await c.deleteAllFiles('/local/tour');
      assert.deepEqual(deleted.sort(), ['/local/tour/f.gcode', '/local/tour/two.gcode']);
      assert.deepEqual(fs.readdirSync(path.join(pi.gcodes, 'tour')), []);
    });

    it('sync: first, unchanged, changed, deleteExtras', async (t) => {
      const pi = fixture();
      const c = clientOf(pi);
      const local = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'real-pi-sync-'));
      t.after(() => fs.rmSync(local, { recursive: true, force: true }));
      fs.writeFileSync(path.join(local, 'a.gcode'), gcode(2, 'a'));
      fs.writeFileSync(path.join(local, 'b.gcode'), gcode(2, 'b'));
      const opts = { localFolder: local, remoteFolder: '/local/synced' };
      const first = await syncFolder(c, opts);
      assert.deepEqual([first.failed, first.uploaded.map((u) => u.path).sort()], [[], ['a.gcode', 'b.gcode']]);
      await eventually(async () => (await c.list('/local/synced')).entries.length === 2, 3000, 'synced files listed');
      const again = await syncFolder(c, opts);
      assert.deepEqual([again.failed, again.uploaded, again.unchanged.sort()], [[], [], ['a.gcode', 'b.gcode']]);
      fs.writeFileSync(path.join(local, 'a.gcode'), gcode(4, 'a changed'));
      const changed = await syncFolder(c, opts);
      assert.deepEqual([changed.failed, changed.uploaded.map((u) => u.path)], [[], ['a.gcode']]);
      assert.deepEqual(fs.readFileSync(path.join(pi.gcodes, 'synced/a.gcode')), gcode(4, 'a changed'));
      fs.rmSync(path.join(local, 'b.gcode'));
      const extras = await syncFolder(c, { ...opts, deleteExtras: true });
      assert.deepEqual([extras.failed, extras.deleted.map((d) => d.path)], [[], ['b.gcode']]);
      assert.deepEqual(fs.readdirSync(path.join(pi.gcodes, 'synced')), ['a.gcode']);
    });
  });
};
