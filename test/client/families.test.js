'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { withSim, rejectsWith, eventually, sampleGcode } = require('./helpers');

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

/** /api/version `text` per family (prusalink-api.md §3 step 2): "PrusaLink MINI", "PrusaLink", "PrusaLink <x.y.z>". */
const VERSION_TEXT = { buddy: /^PrusaLink$/, pi: /^PrusaLink \d+\.\d+\.\d+$/, 'mini-legacy': /^PrusaLink MINI$/ };
/**
 * Where 'Long name benchy.gcode' is listed. Buddy and the MINI name files by their FAT 8.3 alias (§11 item 9): the
 * first six letters of the long name without spaces, `~1`, the extension cut to three. The Pi keeps the long name.
 */
const BENCHY_PATH = { buddy: '/usb/LONGNA~1.GCO', pi: '/local/Long name benchy.gcode', 'mini-legacy': '/usb/LONGNA~1.GCO' };

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
        const version = await c.version();
        assert.match(String(version.text), VERSION_TEXT[family]);
        // §3 step 3: PUT uploads exist where capabilities say so; Buddy 4.4 (the MINI) has only the multipart upload.
        assert.deepEqual(version.capabilities, family === 'mini-legacy' ? undefined : { 'upload-by-put': true });
        if (family === 'pi') for (const key of ['original', 'sdk', 'firmware']) assert.equal(typeof version[key], 'string', key);
        const printerInfo = await c.info();
        if (family === 'mini-legacy') {
          assert.equal(printerInfo.nozzle_diameter, undefined, 'the MINI 4.4.1 has no /api/v1/info');
        } else {
          // §4.1, both families: "nozzle_diameter":0.4 ... "min_extrusion_temp":170
          assert.equal(printerInfo.nozzle_diameter, 0.4);
          assert.equal(printerInfo.min_extrusion_temp, 170);
          assert.equal(typeof printerInfo.serial, 'string');
        }

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
        assert.equal(benchy?.path, BENCHY_PATH[family], JSON.stringify(listing));
        assert.equal(benchy.display_path, `/${root}/Long name benchy.gcode`);
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
        assert.equal(printing.job.file.path, BENCHY_PATH[family]);
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
        assert.equal(await c.exists('up load+1.gcode'), true);
        assert.deepEqual(sim.control.listFiles().sort(), ['a.gcode', 'b.gcode', 'up load+1.gcode']);

        if (family === 'mini-legacy') {
          await rejectsWith(c.createFolder('newdir'), 'UNSUPPORTED');
        } else {
          await c.createFolder('newdir');
          await c.upload({ buffer: Buffer.from('G28\n') }, 'newdir/deep/x.gcode');
          await rejectsWith(c.delete('newdir'), family === 'pi' ? 'FOLDER_NOT_EMPTY' : 'NOT_FOUND');
          await c.delete('newdir', { recursive: true });
          assert.deepEqual(sim.control.listFiles().sort(), ['a.gcode', 'b.gcode', 'up load+1.gcode']);
        }
        const { deleted } = await c.deleteAllFiles('/');
        assert.equal(deleted.length, 3);
        assert.equal((await c.list()).entries.filter((e) => e.type !== 'FOLDER').length, 0);
        await rejectsWith(c.delete('a.gcode'), 'NOT_FOUND');
      }));
  }
});
