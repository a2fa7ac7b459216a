'use strict';
// Issue 9, point 4: MINI 4.4.1 starts a print only from its main screen and otherwise answers 409 "Can't start print
// now". The print node's error must tell the user what to do: return the printer to its main screen.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../nodes/flow-helpers');

describe('print node on MINI 4.4.1 away from its main screen', () => {
  let sim;
  before(async () => {
    sim = await h.startSimulator({ family: 'mini-legacy', files: { 'part.gcode': 'G28\n' } });
    await h.startServer();
  });
  after(async () => {
    await h.stopServer();
    await sim.stop();
  });

  it('fails with NOT_READY telling to return to the main screen; prints once the printer is back there', async () => {
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'pr', type: 'prusalink-print', path: '', wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const pr = h.helper.getNode('pr');
    const out = h.collect('out');

    sim.control.setMainScreen(false);
    const caught = h.nextMsg('caught');
    pr.receive({ path: 'part.gcode' });
    const failed = await caught;
    h.expectCode(failed, 'NOT_READY');
    assert.match(failed.error.message, /return the printer to its main screen/);
    assert.match(failed.error.message, /Can't start print now/, 'the printer\'s own words are kept');
    assert.equal(failed.error.source.id, 'pr');
    assert.equal(out.length, 0);
    assert.deepEqual(h.lastStatus(pr), {
      fill: 'red',
      shape: 'ring',
      text: '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.reason.notReady',
    });
    assert.equal(sim.control.state, 'IDLE');
    const refused = h.apiRequests(sim).filter((r) => r.method === 'POST' && r.path.startsWith('/api/files/'));
    assert.deepEqual(refused.map((r) => r.status), [409], 'asked once, never retried');

    // The remedy the message names works.
    sim.control.setMainScreen(true);
    const got = h.nextMsg('out');
    pr.receive({ path: 'part.gcode' });
    const msg = await got;
    assert.deepEqual(msg.payload, { path: 'part.gcode', started: true });
    await h.waitFor(() => sim.control.state === 'PRINTING' || sim.control.state === 'FINISHED', 5000, 'print started');
  });
});
