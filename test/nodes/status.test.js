'use strict';
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./flow-helpers');

const STATE_NS = '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.state.';

for (const family of h.FAMILIES) {
  describe(`prusalink-status on ${family}`, () => {
    let sim;
    beforeEach(async () => {
      const { makeSampleGcode } = require('../../dist/sim/model/sample-gcode');
      sim = await h.startSimulator({ family, speed: 20, files: { 'box.gcode': makeSampleGcode({ printSeconds: 120 }) } });
      await h.startServer();
    });
    afterEach(async () => {
      await h.stopServer();
      await sim.stop();
    });

    it('answers an input msg with the normalized status, keeping msg.topic', async () => {
      const { flow, credentials } = h.flowWith(sim, [
        { id: 'st1', type: 'prusalink-status', interval: '0', output: 'poll', wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);
      await h.load(flow, credentials);
      const got = h.nextMsg('out');
      h.helper.getNode('st1').receive({ topic: 'mine', payload: 'go', extra: 42 });
      const msg = await got;
      assert.equal(msg.topic, 'mine');
      assert.equal(msg.extra, 42);
      assert.equal(msg.payload.state, 'IDLE');
      assert.equal(msg.payload.printer.state, 'IDLE');
      assert.equal(h.lastStatus(h.helper.getNode('st1')).text, STATE_NS + 'idle');
      assert.equal(h.lastStatus(h.helper.getNode('st1')).fill, 'green');
    });

    it('reports a whole print as events: printing, paused, printing, finished', async () => {
      const { flow, credentials } = h.flowWith(sim, [
        { id: 'st1', type: 'prusalink-status', interval: '0.5', output: 'change', wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);
      await h.load(flow, credentials);
      const msgs = h.collect('out');
      await h.waitFor(() => msgs.length >= 1, 8000, 'first status');
      assert.equal(msgs[0].event, 'online');
      assert.equal(msgs[0].previous, null);
      sim.control.startPrint('box.gcode');
      await h.waitFor(() => msgs.some((m) => m.event === 'printing'), 8000, 'printing');
      sim.control.setState('PAUSED');
      await h.waitFor(() => msgs.some((m) => m.event === 'paused'), 8000, 'paused');
      sim.control.setState('PRINTING');
      await h.waitFor(() => msgs.filter((m) => m.event === 'printing').length >= 2, 8000, 'printing again');
      await h.waitFor(() => msgs.some((m) => m.event === 'finished'), 15000, 'finished');
      const events = msgs.map((m) => m.event);
      assert.deepEqual(events.slice(0, 4), ['online', 'printing', 'paused', 'printing']);
      const fin = msgs.find((m) => m.event === 'finished');
      assert.equal(fin.payload.state === 'FINISHED' || fin.payload.state === 'IDLE', true);
      const paused = msgs.find((m) => m.event === 'paused');
      assert.equal(paused.previous, 'PRINTING');
      // "on change" never repeats a state
      for (let i = 1; i < msgs.length; i++) assert.notEqual(msgs[i].payload.state, msgs[i - 1].payload.state);
    });
  });
}

describe('prusalink-status polling', () => {
  let sim;
  beforeEach(async () => {
    sim = await h.startSimulator({ family: 'buddy', speed: 1 });
    await h.startServer();
  });
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
  });

  it('three status nodes share one poller: one status request per interval', async () => {
    const { flow, credentials } = h.flowWith(sim, [
      { id: 's1', type: 'prusalink-status', interval: '1', output: 'poll', wires: [['o1']] },
      { id: 's2', type: 'prusalink-status', interval: '1', output: 'poll', wires: [['o2']] },
      { id: 's3', type: 'prusalink-status', interval: '1', output: 'poll', wires: [['o3']] },
      { id: 'o1', type: 'helper', z: 'f1' },
      { id: 'o2', type: 'helper', z: 'f1' },
      { id: 'o3', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const [m1, m2, m3] = [h.collect('o1'), h.collect('o2'), h.collect('o3')];
    await h.waitFor(() => m1.length >= 3 && m2.length >= 3 && m3.length >= 3, 10000, 'three polls');
    const statusCalls = h.apiRequests(sim).filter((r) => /\/api\/(v1\/status|printer)$/.test(r.path) && r.authOk);
    // Every node got every poll, and each poll asked the printer once.
    assert.ok(statusCalls.length <= Math.max(m1.length, m2.length, m3.length) + 1, `${statusCalls.length} status requests`);
    assert.equal(m1[0].payload.state, 'IDLE');
    // Closing the flow stops the polling.
    await h.helper.clearFlows();
    const after = h.apiRequests(sim).length;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(h.apiRequests(sim).length, after);
  });

  it('an unreachable printer is reported once to a Catch node (code UNREACHABLE), then recovery', async () => {
    const { flow, credentials } = h.flowWith(sim, [
      { id: 's1', type: 'prusalink-status', interval: '0.5', output: 'change', wires: [['o1']] },
      { id: 'o1', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const msgs = h.collect('o1');
    const caught = h.collect('caught');
    await h.waitFor(() => msgs.length >= 1, 8000, 'online');
    await sim.control.refuse();
    await h.waitFor(() => msgs.some((m) => m.event === 'offline'), 15000, 'offline event');
    await h.waitFor(() => caught.length >= 1, 2000, 'caught error');
    h.expectCode(caught[0], 'UNREACHABLE');
    assert.equal(caught[0].error.source.id, 's1');
    const s1 = h.helper.getNode('s1');
    assert.deepEqual(h.lastStatus(s1), {
      fill: 'red',
      shape: 'ring',
      text: '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.reason.offline',
    });
    await sim.control.listen();
    await h.waitFor(() => msgs.some((m) => m.event === 'online' && m.previous === 'OFFLINE'), 20000, 'back online');
    assert.equal(caught.length, 1, 'one error per outage, not one per poll');
  });

  it('wrong credentials reach a Catch node with code AUTH_FAILED on input', async () => {
    const { flow } = h.flowWith(sim, [
      { id: 's1', type: 'prusalink-status', interval: '0', output: 'poll', wires: [['o1']] },
      { id: 'o1', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, { printer1: { user: 'maker', password: 'wrong-password' } });
    const caught = h.nextMsg('caught');
    h.helper.getNode('s1').receive({ payload: 1, topic: 't' });
    const msg = await caught;
    h.expectCode(msg, 'AUTH_FAILED');
    assert.equal(msg.topic, 't');
    assert.ok(!JSON.stringify(msg).includes('wrong-password'));
    assert.match(h.lastStatus(h.helper.getNode('s1')).text, /reason\.unauthorized$/);
  });
});
