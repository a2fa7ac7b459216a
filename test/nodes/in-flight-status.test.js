'use strict';
// The controller's status across msgs in flight (src/nodes/controller.ts, node-status.ts): two msgs at once must
// not overwrite each other's status. The first to finish does not show "done" (or an error ring) while the second
// still works; the last one to end sets the node's final status. A node type made with the controller whose work
// waits for the test to release it makes the order exact (no printer, no timing).
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./flow-helpers');
const { registerFlowNode } = require('../../dist/nodes/controller');

const NS = '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.';
const STATE = NS + 'state.';
const WORKING = { fill: 'blue', shape: 'dot', text: STATE + 'working' };
const DONE = { fill: 'green', shape: 'dot', text: STATE + 'done' };

/** Each msg waits at the gate named by its topic; the test opens it with `release(topic)` or `refuse(topic)`. */
const gates = new Map();
function gate(topic) {
  let open;
  const p = new Promise((resolve, reject) => (open = { resolve, reject }));
  gates.set(topic, { p, ...open });
  return p;
}
const release = (topic) => gates.get(topic).resolve();
const refuse = (topic) => gates.get(topic).reject(Object.assign(new Error('refused ' + topic), { code: 'NOT_FOUND' }));

function gatedNode(RED) {
  registerFlowNode(RED, 'gated-test', (ctl) => {
    ctl.onInput(async (msg, turn) => {
      turn.working();
      await gate(msg.topic);
      turn.done();
      return msg;
    });
  });
}

describe('controller: the status of two msgs in flight', () => {
  beforeEach(async () => {
    gates.clear();
    await h.startServer();
    const flow = [
      { id: 'f1', type: 'tab', label: 'test' },
      { id: 'g', type: 'gated-test', z: 'f1', wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
      { id: 'catcher', type: 'catch', z: 'f1', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper', z: 'f1' },
    ];
    await new Promise((resolve, reject) => h.helper.load([gatedNode], flow, (err) => (err ? reject(err) : resolve())));
  });
  afterEach(() => h.stopServer());

  /** Sends two msgs and waits until both are at their gates. */
  async function twoInFlight() {
    const g = h.helper.getNode('g');
    g.receive({ topic: 'first' });
    g.receive({ topic: 'second' });
    await h.waitFor(() => gates.has('first') && gates.has('second'), 2000, 'both msgs at their gates');
    return g;
  }

  it('the first finishing does not show "done" while the second still works; the second sets it', async () => {
    const g = await twoInFlight();
    const firstOut = h.nextMsg('out');
    release('first');
    assert.equal((await firstOut).topic, 'first');
    assert.deepEqual(h.lastStatus(g), WORKING, 'still working: the second msg is in flight');
    const secondOut = h.nextMsg('out');
    release('second');
    assert.equal((await secondOut).topic, 'second');
    assert.deepEqual(h.lastStatus(g), DONE);
  });

  it('the first failing shows no error ring while the second works (Catch still gets it); the last to end sets the status', async () => {
    const g = await twoInFlight();
    const caught = h.nextMsg('caught');
    refuse('first');
    assert.match((await caught).error.message, /refused first$/);
    assert.deepEqual(h.lastStatus(g), WORKING, 'still working: the second msg is in flight');
    const secondOut = h.nextMsg('out');
    release('second');
    await secondOut;
    assert.deepEqual(h.lastStatus(g), DONE);
  });

  it('the second failing after the first finished: the error ring is the last word', async () => {
    const g = await twoInFlight();
    const firstOut = h.nextMsg('out');
    release('first');
    await firstOut;
    const caught = h.nextMsg('caught');
    refuse('second');
    await caught;
    assert.deepEqual(h.lastStatus(g), { fill: 'red', shape: 'ring', text: NS + 'reason.notFound' });
  });
});
