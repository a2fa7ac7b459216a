'use strict';
// Issue 13.8: MINI 4.4.1 lists no folders and cannot delete one. Info on an existing folder said "no such file" and
// rm in folder mode sent a DELETE that answered "Could not delete". Both now say what is true, before any request.
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../nodes/flow-helpers');

const FILES = { 'top part.gcode': 'G28\n', 'parts/bracket.gcode': 'G28\n' };
const SAYS = /MINI 4\.4\.1 cannot list or delete folders/;

describe('MINI 4.4.1: folders are refused before any request', () => {
  let sim;
  beforeEach(async () => {
    sim = await h.startSimulator({ family: 'mini-legacy', files: FILES });
    await h.startServer();
  });
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
  });

  /** Loads `node`, lets the printer be detected by a listing, then sends `msg` and returns what the Catch node got. */
  async function refusal(node, msg) {
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'warm', type: 'prusalink-files', mode: 'list', path: '', recursive: false, wires: [['warmOut']] },
      { id: 'warmOut', type: 'helper', z: 'f1' },
      { id: 'n1', wires: [['out']], ...node },
      { id: 'out', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const warmed = h.nextMsg('warmOut');
    h.helper.getNode('warm').receive({});
    await warmed;
    sim.control.clearRequests();
    const out = h.collect('out');
    const caught = h.nextMsg('caught');
    h.helper.getNode('n1').receive(msg);
    const err = await caught;
    assert.deepEqual(h.apiRequests(sim).map((r) => `${r.method} ${r.path}`), [], 'no request reached the printer');
    assert.equal(out.length, 0);
    return err;
  }

  for (const path of ['parts', 'parts/', 'parts/bracket.gcode']) {
    it(`files info on "${path}": UNSUPPORTED, "cannot list or delete folders"`, async () => {
      const err = await refusal({ type: 'prusalink-files', mode: 'info', path: '', recursive: false }, { path });
      h.expectCode(err, 'UNSUPPORTED');
      assert.match(err.error.message, SAYS);
      assert.match(err.error.message, /"parts/);
    });
  }

  for (const mode of ['folder', 'all-files']) {
    it(`rm in ${mode} mode on "parts": UNSUPPORTED, no DELETE, the folder stays`, async () => {
      const err = await refusal({ type: 'prusalink-rm', mode, path: 'parts', allowRoot: false, allowPrinted: false }, {});
      h.expectCode(err, 'UNSUPPORTED');
      // the test runtime loads no catalogs, so the node's words arrive as their key; the en-US text is checked below
      assert.match(err.error.message, /prusalink-rm\.errors\.miniFolders$/);
      assert.ok(sim.control.listFiles().includes('parts/bracket.gcode'), sim.control.listFiles().join());
    });
  }

  it('the rm node\'s words for it say so and name the path', () => {
    const text = require('../../nodes/locales/en-US/prusalink-rm.json')['prusalink-rm'].errors.miniFolders;
    assert.match(text, SAYS);
    assert.match(text, /"__path__"/);
  });

  it('info on a file in the root still works', async () => {
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'n1', type: 'prusalink-files', mode: 'info', path: 'top part.gcode', recursive: false, wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const got = h.nextMsg('out');
    h.helper.getNode('n1').receive({});
    assert.equal((await got).payload.display_name, 'top part.gcode');
  });
});
