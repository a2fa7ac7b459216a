'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { withSim, rejectsWith, eventually, sampleGcode } = require('./helpers');

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

async function readAll(stream) {
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('every call on every family', () => {
  for (const family of ['buddy', 'pi', 'mini-legacy']) {
    it(`${family}: detect, info, status, files, print, job control`, () =>
      withSim({ family, files: { 'Long name benchy.gcode': sampleGcode({ printSeconds: 600 }), 'sub/inner.gcode': 'G28\n' } }, async (sim, make) => {
        const c = make();
        const p = await c.detect();
        assert.equal(p.family, family);
        assert.equal(p.capabilities.v1, family !== 'mini-legacy');
        const root = family === 'pi' ? 'local' : 'usb';
        assert.equal(p.defaultStorage, root);
        assert.ok((await c.version()).api);
        assert.equal(typeof (await c.info()), 'object');

        const st = await c.status();
        assert.equal(st.state, 'IDLE');
        assert.equal(st.job, undefined);
        assert.equal(await c.job(), null);
        assert.equal(await c.transfer(), null);
        const storages = await c.storage();
        assert.equal(storages[0].name, root);

        const listing = await c.list();
        assert.equal(listing.path, `/${root}`);
        assert.equal(listing.foldersListed, family !== 'mini-legacy');
        const benchy = listing.entries.find((e) => e.display_name === 'Long name benchy.gcode');
        assert.ok(benchy, JSON.stringify(listing));
        assert.ok(benchy.path.startsWith(`/${root}/`));
        if (family !== 'mini-legacy') {
          const rec = await c.list('/', { recursive: true });
          const sub = rec.entries.find((e) => e.type === 'FOLDER');
          assert.equal(sub.children[0].display_name, 'inner.gcode');
        }

        const info = await c.fileInfo(benchy.path);
        assert.equal(info.display_name, 'Long name benchy.gcode');
        assert.equal(await c.exists(benchy.path), true);
        assert.equal(await c.exists('Long name benchy.gcode'), true);
        assert.equal(await c.exists('nope.gcode'), false);
        await rejectsWith(c.fileInfo('nope.gcode'), 'NOT_FOUND');

        const thumb = await c.thumbnail(benchy.path, 'large');
        assert.deepEqual(thumb.subarray(0, 4), PNG);
        const body = await readAll(await c.download(benchy.path));
        assert.deepEqual(body, sampleGcode({ printSeconds: 600 }));

        await c.print('Long name benchy.gcode');
        const printing = await eventually(async () => {
          const s = await c.status();
          return s.state === 'PRINTING' && s.job ? s : undefined;
        });
        assert.ok(printing.job.progress >= 0 && printing.job.progress <= 100);
        assert.equal(printing.job.file.display_name, 'Long name benchy.gcode');
        assert.ok(printing.job.file.path.startsWith(`/${root}/`), printing.job.file.path);
        const job = await c.job();
        assert.equal(job.file.display_name, 'Long name benchy.gcode');

        await c.pause();
        await eventually(async () => (await c.status()).state === 'PAUSED');
        await c.resume();
        await eventually(async () => (await c.status()).state === 'PRINTING');
        await c.stop();
        await eventually(async () => ['STOPPED', 'IDLE', 'BUSY'].includes((await c.status()).state));
        await eventually(async () => (await c.job()) === null || (await c.status()).state !== 'PRINTING');
      }));

    it(`${family}: upload, folders, delete, deleteAllFiles`, () =>
      withSim({ family, files: { 'a.gcode': 'G28\n', 'b.gcode': 'G28\n' } }, async (sim, make) => {
        const c = make();
        const r = await c.upload({ buffer: Buffer.from('G28\nG1 X5\n') }, 'up load+1.gcode');
        assert.equal(r.printStarted, false);
        assert.equal(r.size, 10);
        assert.ok(await c.exists('up load+1.gcode'));
        assert.ok(sim.control.listFiles().some((f) => f.endsWith('up load+1.gcode')), sim.control.listFiles().join());

        if (family === 'mini-legacy') {
          await rejectsWith(c.createFolder('newdir'), 'UNSUPPORTED');
        } else {
          await c.createFolder('newdir');
          await c.upload({ buffer: Buffer.from('G28\n') }, 'newdir/deep/x.gcode');
          await rejectsWith(c.delete('newdir'), family === 'pi' ? 'FOLDER_NOT_EMPTY' : 'NOT_FOUND');
          await c.delete('newdir', { recursive: true });
          assert.ok(!sim.control.listFiles().some((f) => f.startsWith('newdir')), sim.control.listFiles().join());
        }
        const { deleted } = await c.deleteAllFiles('/');
        assert.equal(deleted.length, 3);
        assert.equal((await c.list()).entries.filter((e) => e.type !== 'FOLDER').length, 0);
        await rejectsWith(c.delete('a.gcode'), 'NOT_FOUND');
      }));
  }
});
