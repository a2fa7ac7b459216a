'use strict';
// What the controller's close undoes (src/nodes/controller.ts): a flow node that closes stops watching its printer
// (another node of the same printer keeps its polls), its status is cleared, and its close completes.
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./flow-helpers');

describe('controller: close', () => {
  let sim;
  beforeEach(async () => {
    sim = await h.startSimulator({ family: 'buddy' });
    await h.startServer();
  });
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
  });

  it('a closed status node hears no more polls and its status is cleared; the other node of the printer keeps polling', async () => {
    const { flow, credentials } = h.flowWith(sim, [
      { id: 's1', type: 'prusalink-status', interval: '1', output: 'poll', wires: [['o1']] },
      { id: 's2', type: 'prusalink-status', interval: '1', output: 'poll', wires: [['o2']] },
      { id: 'o1', type: 'helper', z: 'f1' },
      { id: 'o2', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const [m1, m2] = [h.collect('o1'), h.collect('o2')];
    await h.waitFor(() => m1.length >= 1, 10000, 'a first poll');
    const s1 = h.helper.getNode('s1');
    await s1.close(true); // the node is removed, the printer stays
    const heard = m1.length;
    const before = m2.length;
    await h.waitFor(() => m2.length >= before + 2, 10000, 'two more polls at the other node');
    assert.equal(m1.length, heard, 'the closed node heard no poll after its close');
    assert.deepEqual(h.lastStatus(s1), {});
  });
});
