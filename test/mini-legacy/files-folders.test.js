'use strict';
// Issue 9, point 2: MINI 4.4.1 lists no folders. The files node must say so (msg.foldersListed false) instead of
// a listing that looks complete; a printer that can list folders says true and shows them.
const { describe, it, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../nodes/flow-helpers');

const FILES = { 'top part.gcode': 'G28\n', 'parts/bracket.gcode': 'G28\n' };

describe('files node: folders that cannot be listed', () => {
  let sim;
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
  });

  async function listRoot(family) {
    sim = await h.startSimulator({ family, files: FILES });
    await h.startServer();
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'ls', type: 'prusalink-files', mode: 'list', path: '', recursive: true, wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const got = h.nextMsg('out');
    h.helper.getNode('ls').receive({ payload: true });
    return got;
  }

  it('MINI 4.4.1: msg.foldersListed is false, the files of the root are there, no folder is shown as empty', async () => {
    const msg = await listRoot('mini-legacy');
    assert.equal(msg.foldersListed, false);
    assert.deepEqual(
      msg.payload.map((e) => e.display_name),
      ['top part.gcode'],
    );
    assert.equal(msg.payload.some((e) => e.type === 'FOLDER'), false, 'no folder entry that would look empty');
    // The folder does exist on the stick: the flag is the only honest answer.
    assert.deepEqual(sim.control.listFiles().sort(), ['parts/', 'parts/bracket.gcode', 'top part.gcode']);
  });

  it('Buddy: msg.foldersListed is true and the folder is listed with its file', async () => {
    const msg = await listRoot('buddy');
    assert.equal(msg.foldersListed, true);
    const folder = msg.payload.find((e) => e.type === 'FOLDER');
    assert.equal(folder.display_name, 'parts');
    assert.deepEqual(
      folder.children.map((c) => c.display_name),
      ['bracket.gcode'],
    );
  });
});
