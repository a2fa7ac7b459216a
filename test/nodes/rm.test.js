'use strict';
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./flow-helpers');

const SEED = {
  'keep.gcode': 'G28\n',
  'old/a.gcode': 'G28\n',
  'old/b.gcode': 'G28\n',
  'old/inner/c.gcode': 'G28\n',
};

// msg.payload.deleted holds full paths with long names, the storage first (the help's promise)
const storageOf = (family) => (family === 'pi' ? '/local' : '/usb');
const deletes = (sim) => h.apiRequests(sim).filter((r) => r.method === 'DELETE');

for (const family of h.FAMILIES) {
  describe(`prusalink-rm on ${family}`, () => {
    let sim;
    beforeEach(async () => {
      sim = await h.startSimulator({ family, files: SEED });
      await h.startServer();
    });
    afterEach(async () => {
      await h.stopServer();
      await sim.stop();
    });

    const rmFlow = (props) =>
      h.flowWith(sim, [
        { id: 'rm1', type: 'prusalink-rm', path: '', mode: 'file', allowRoot: false, allowPrinted: false, ...props, wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);

    it('deletes one file given by msg.path', async () => {
      const { flow, credentials } = rmFlow({});
      await h.load(flow, credentials);
      const got = h.nextMsg('out');
      h.helper.getNode('rm1').receive({ path: 'keep.gcode', topic: 'r' });
      const msg = await got;
      assert.equal(msg.topic, 'r');
      assert.deepEqual(msg.payload.deleted, [`${storageOf(family)}/keep.gcode`]);
      assert.ok(!sim.control.listFiles().some((f) => f.endsWith('keep.gcode')));
    });

    it('refuses the storage root without the option, before any delete request', async () => {
      for (const [mode, path] of [['folder', ''], ['all-files', '/'], ['folder', family === 'pi' ? '/local' : '/usb']]) {
        const { flow, credentials } = rmFlow({ mode, path });
        await h.load(flow, credentials);
        sim.control.clearRequests();
        const caught = h.nextMsg('caught');
        h.helper.getNode('rm1').receive({});
        const err = await caught;
        h.expectCode(err, 'INVALID_PATH');
        assert.equal(deletes(sim).length, 0);
        await h.helper.unload();
      }
      assert.ok(sim.control.listFiles().some((f) => f.endsWith('keep.gcode')));
    });

    it('refuses the file being printed unless allowed', async () => {
      sim.control.startPrint('keep.gcode');
      const { flow, credentials } = rmFlow({ path: 'keep.gcode' });
      await h.load(flow, credentials);
      sim.control.clearRequests();
      const caught = h.nextMsg('caught');
      h.helper.getNode('rm1').receive({});
      h.expectCode(await caught, 'FILE_BUSY');
      assert.equal(deletes(sim).length, 0);
    });

    if (family !== 'mini-legacy') it('all-files deletes every file in a folder', async () => {
      const { flow, credentials } = rmFlow({ mode: 'all-files', path: 'old' });
      await h.load(flow, credentials);
      const got = h.nextMsg('out');
      h.helper.getNode('rm1').receive({});
      const msg = await got;
      // long names on every family (Buddy's 8.3 paths are what the printer is asked with, not what is reported)
      assert.deepEqual(msg.payload.deleted.slice().sort(), [`${storageOf(family)}/old/a.gcode`, `${storageOf(family)}/old/b.gcode`]);
      const left = sim.control.listFiles();
      assert.ok(!left.some((f) => f.endsWith('old/a.gcode')), left.join());
      assert.ok(left.some((f) => f.endsWith('keep.gcode')));
    });

    // The 409 "not empty" is the Pi's answer; Buddy answers 404 to any failed delete (facts document §4.6).
    if (family === 'pi') it('a folder that is not empty, deleted in file mode, fails with FOLDER_NOT_EMPTY and stays', async () => {
      const { flow, credentials } = rmFlow({ mode: 'file', path: 'old' });
      await h.load(flow, credentials);
      const caught = h.nextMsg('caught');
      h.helper.getNode('rm1').receive({});
      const err = await caught;
      h.expectCode(err, 'FOLDER_NOT_EMPTY');
      assert.match(err.error.message, /not empty/);
      assert.ok(sim.control.listFiles().some((f) => f.endsWith('old/a.gcode')));
    });

    if (family !== 'mini-legacy') it('folder mode deletes a folder with what it holds', async () => {
      const { flow, credentials } = rmFlow({ mode: 'folder', path: 'old' });
      await h.load(flow, credentials);
      const got = h.nextMsg('out');
      h.helper.getNode('rm1').receive({});
      assert.deepEqual((await got).payload.deleted, [`${storageOf(family)}/old`]);
      const left = sim.control.listFiles();
      assert.ok(!left.some((f) => f.includes('old')), left.join());
    });

    if (family === 'mini-legacy') it('MINI 4.4.1: folder mode is refused with UNSUPPORTED before any request, and the folder stays', async () => {
      const { flow, credentials } = rmFlow({ mode: 'folder', path: 'old' });
      await h.load(flow, credentials);
      sim.control.clearRequests();
      const caught = h.nextMsg('caught');
      h.helper.getNode('rm1').receive({});
      const err = await caught;
      h.expectCode(err, 'UNSUPPORTED');
      assert.match(err.error.message, /prusalink-rm.errors.miniFolders/); // the test runtime loads no catalogs: the key, not its words
      assert.equal(deletes(sim).length, 0);
      assert.ok(sim.control.listFiles().some((f) => f.endsWith('old/a.gcode')));
    });
  });
}
