'use strict';
// Issue 9, point 5: MINI 4.4.1 lists 8.3 names (DEBOUN~1.GCO) with the long name in `display`. The print and rm nodes
// take either form, and what a user reads (display_name in listings and in the job) is the long name.
const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../nodes/flow-helpers');
const { makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');

const LONG = ['Debounce button holder.gcode', 'Cable clip for the desk.gcode', 'Fan duct of the MINI.gcode', 'Spool holder arm.gcode'];
const SHORT_NAME = /^[A-Z0-9_]{1,6}~\d\.GCO$/;

/** Sends `msg` to a node; resolves with its output, or rejects with the error a Catch node got. */
function answer(nodeId, outId, msg) {
  const out = h.helper.getNode(outId);
  const caught = h.helper.getNode('caught');
  return new Promise((resolve, reject) => {
    const done = () => {
      out.removeListener('input', onOut);
      caught.removeListener('input', onCaught);
    };
    const onOut = (m) => {
      done();
      resolve(m);
    };
    const onCaught = (m) => {
      done();
      reject(Object.assign(new Error(`${nodeId}: ${m.error.message}`), { code: m.error.code }));
    };
    out.on('input', onOut);
    caught.on('input', onCaught);
    h.helper.getNode(nodeId).receive(msg);
  });
}

describe('8.3 names and long names on MINI 4.4.1 through the nodes', () => {
  let sim;
  before(async () => {
    const gcode = makeSampleGcode({ printSeconds: 3600 });
    sim = await h.startSimulator({ family: 'mini-legacy', files: Object.fromEntries(LONG.map((n) => [n, gcode])) });
    await h.startServer();
  });
  afterEach(() => h.helper.unload());
  after(async () => {
    await h.stopServer();
    await sim.stop();
  });

  it('lists 8.3 names with long display names; prints and deletes by either form', async () => {
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'ls', type: 'prusalink-files', mode: 'list', path: '', recursive: false, wires: [['lsOut']] },
      { id: 'pr', type: 'prusalink-print', path: '', wires: [['prOut']] },
      { id: 'job', type: 'prusalink-job', action: 'get', wires: [['jobOut']] },
      { id: 'rm', type: 'prusalink-rm', path: '', mode: 'file', allowRoot: false, allowPrinted: false, wires: [['rmOut']] },
      ...['lsOut', 'prOut', 'jobOut', 'rmOut'].map((id) => ({ id, type: 'helper', z: 'f1' })),
    ]);
    await h.load(flow, credentials);
    // The listing: 8.3 names to call with, long names to show.
    const listing = (await answer('ls', 'lsOut', {})).payload;
    const byLong = new Map(listing.map((e) => [e.display_name, e]));
    assert.deepEqual([...byLong.keys()].sort(), [...LONG].sort());
    for (const e of listing) {
      assert.match(e.name, SHORT_NAME, `${e.display_name} has an 8.3 name`);
      assert.equal(e.path, `/usb/${e.name}`);
      assert.equal(e.display_path, `/usb/${e.display_name}`);
    }

    // Print by the 8.3 name: the job shows the long name.
    const first = byLong.get(LONG[0]);
    await answer('pr', 'prOut', { path: first.name });
    await h.waitFor(() => sim.control.state === 'PRINTING', 5000, 'printing by 8.3 name');
    let job = (await answer('job', 'jobOut', {})).payload;
    assert.equal(job.file.display_name, LONG[0]);
    assert.equal(job.file.path, first.path);
    sim.control.setState('IDLE');

    // Print by the long name: the same file form comes back.
    const second = byLong.get(LONG[1]);
    await answer('pr', 'prOut', { path: LONG[1] });
    await h.waitFor(() => sim.control.state === 'PRINTING', 5000, 'printing by long name');
    job = (await answer('job', 'jobOut', {})).payload;
    assert.equal(job.file.display_name, LONG[1]);
    assert.equal(job.file.path, second.path);
    sim.control.setState('IDLE');

    // Delete by the 8.3 name and by the long name.
    await answer('rm', 'rmOut', { path: byLong.get(LONG[2]).name });
    await answer('rm', 'rmOut', { path: LONG[3] });
    assert.deepEqual(sim.control.listFiles().sort(), [LONG[0], LONG[1]].sort());
    const after = (await answer('ls', 'lsOut', {})).payload;
    assert.deepEqual(after.map((e) => e.display_name).sort(), [LONG[0], LONG[1]].sort());
  });

  it('the file being printed is protected under its 8.3 name and under its long name', async () => {
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'ls', type: 'prusalink-files', mode: 'list', path: '', recursive: false, wires: [['lsOut']] },
      { id: 'rm', type: 'prusalink-rm', path: '', mode: 'file', allowRoot: false, allowPrinted: false, wires: [['rmOut']] },
      { id: 'lsOut', type: 'helper', z: 'f1' },
      { id: 'rmOut', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const printed = (await answer('ls', 'lsOut', {})).payload.find((e) => e.display_name === LONG[0]);
    sim.control.startPrint(LONG[0]);
    for (const path of [printed.name, LONG[0]]) {
      await assert.rejects(answer('rm', 'rmOut', { path }), (e) => (h.CATCH_HAS_CODE ? e.code === 'FILE_BUSY' : /printed/.test(e.message)), path);
    }
    // Neither attempt removed anything: the two files the first test left are both still there.
    assert.deepEqual(sim.control.listFiles().sort(), [LONG[0], LONG[1]].sort());
    sim.control.setState('IDLE');
  });
});
