'use strict';
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./flow-helpers');

const SEED = {
  'top level file.gcode': 'G28\n',
  'parts/Long bracket name.gcode': 'G28\nG1 X1\n',
  'parts/deeper/pin.gcode': 'G28\n',
};

for (const family of h.FAMILIES) {
  describe(`prusalink-files on ${family}`, () => {
    let sim;
    beforeEach(async () => {
      sim = await h.startSimulator({ family, files: SEED });
      await h.startServer();
    });
    afterEach(async () => {
      await h.stopServer();
      await sim.stop();
    });

    it('lists the root (blank path) with long names and usable paths', async () => {
      const { flow, credentials } = h.flowWith(sim, [
        { id: 'fl', type: 'prusalink-files', mode: 'list', path: '', recursive: false, wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);
      await h.load(flow, credentials);
      const got = h.nextMsg('out');
      h.helper.getNode('fl').receive({ topic: 'ls' });
      const msg = await got;
      assert.equal(msg.topic, 'ls');
      // [name, display_name, type, path, display_path] of the whole root. Buddy and MINI 4.4.1 list FAT 8.3 names
      // (TOPLEV~1.GCO) with the long name beside them on the `usb` storage (facts §4.6, §6); Pi PrusaLink lists
      // real names on `local`; the MINI lists no folders.
      const entries = msg.payload.map((e) => [e.name, e.display_name, e.type, e.path, e.display_path]);
      const topFile = {
        buddy: ['TOPLEV~1.GCO', 'top level file.gcode', 'PRINT_FILE', '/usb/TOPLEV~1.GCO', '/usb/top level file.gcode'],
        'mini-legacy': ['TOPLEV~1.GCO', 'top level file.gcode', 'PRINT_FILE', '/usb/TOPLEV~1.GCO', '/usb/top level file.gcode'],
        pi: ['top level file.gcode', 'top level file.gcode', 'PRINT_FILE', '/local/top level file.gcode', '/local/top level file.gcode'],
      }[family];
      const folder = {
        buddy: ['PARTS', 'parts', 'FOLDER', '/usb/PARTS', '/usb/parts'],
        pi: ['parts', 'parts', 'FOLDER', '/local/parts', '/local/parts'],
      }[family];
      assert.deepEqual(entries, folder ? [folder, topFile] : [topFile]);
      assert.equal(msg.foldersListed, family !== 'mini-legacy');
    });

    const recursiveTitle =
      family === 'mini-legacy'
        ? "msg.path fills a blank path; MINI 4.4.1 lists the folder's files but shows no subfolders, so recursion stops there"
        : 'msg.path fills a blank path; recursive listing reaches nested files';
    it(recursiveTitle, async () => {
      const { flow, credentials } = h.flowWith(sim, [
        { id: 'fl', type: 'prusalink-files', mode: 'list', path: '', recursive: true, wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);
      await h.load(flow, credentials);
      const got = h.nextMsg('out');
      h.helper.getNode('fl').receive({ path: 'parts' });
      const msg = await got;
      const flat = [];
      const walk = (list) => list.forEach((e) => (flat.push(e), e.children && walk(e.children)));
      walk(msg.payload);
      const names = flat.map((e) => e.display_name).sort();
      if (family === 'mini-legacy') {
        // prusalink-api.md §6: GET /api/files/usb/<folder> lists one folder, printable files only, no folders.
        assert.deepEqual(names, ['Long bracket name.gcode']);
        assert.equal(msg.foldersListed, false);
      } else {
        assert.deepEqual(names, ['Long bracket name.gcode', 'deeper', 'pin.gcode']);
        assert.equal(msg.foldersListed, true);
      }
    });

    it('file info for one path; a missing file reaches Catch with NOT_FOUND', async () => {
      const { flow, credentials } = h.flowWith(sim, [
        { id: 'fi', type: 'prusalink-files', mode: 'info', path: '', wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);
      await h.load(flow, credentials);
      const got = h.nextMsg('out');
      h.helper.getNode('fi').receive({ path: 'top level file.gcode' });
      const msg = await got;
      assert.equal(msg.payload.display_name, 'top level file.gcode');
      assert.equal(msg.payload.type, 'PRINT_FILE');

      const caught = h.nextMsg('caught');
      h.helper.getNode('fi').receive({ path: 'nope.gcode' });
      const err = await caught;
      h.expectCode(err, 'NOT_FOUND');
      assert.match(h.lastStatus(h.helper.getNode('fi')).text, /reason\.notFound$/);

      const missing = h.nextMsg('caught');
      h.helper.getNode('fi').receive({});
      h.expectCode(await missing, 'INVALID_ARGUMENT');
    });
  });
}
