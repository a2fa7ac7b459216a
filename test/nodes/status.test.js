'use strict';
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./flow-helpers');

const STATE_NS = '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.state.';
const REASON_NS = '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.reason.';

for (const family of h.FAMILIES) {
  describe(`prusalink-status on ${family}`, () => {
    let sim;
    beforeEach(async () => {
      const { makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');
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

  /** Status requests the printer answered (one per poll in steady state; detection reuses its probe). */
  const statusCalls = () => h.apiRequests(sim).filter((r) => /\/api\/(v1\/status|printer)$/.test(r.path) && r.authOk).length;

  it('three 1 s status nodes share one poller: every node gets every poll, and each poll asks the printer once', async () => {
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
    await h.waitFor(() => m1.length >= 3, 10000, 'three polls');
    // Closing the flow stops the polling; a poll in flight at that moment is asked but never told.
    await h.helper.clearFlows();
    const asked = statusCalls();
    assert.equal(m2.length, m1.length, 'node 2 got every poll node 1 got');
    assert.equal(m3.length, m1.length, 'node 3 got every poll node 1 got');
    assert.ok(asked === m1.length || asked === m1.length + 1, `${asked} status requests for ${m1.length} polls`);
    assert.equal(m1[0].payload.state, 'IDLE');
    const after = h.apiRequests(sim).length;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(h.apiRequests(sim).length, after);
  });

  it('sets the status dot only when it changes, not on every poll', async () => {
    const { flow, credentials } = h.flowWith(sim, [
      { id: 's1', type: 'prusalink-status', interval: '1', output: 'poll', wires: [['o1']] },
      { id: 'o1', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const m1 = h.collect('o1');
    const s1 = h.helper.getNode('s1');
    await h.waitFor(() => m1.length >= 3, 10000, 'three polls');
    // "connecting", then "idle" once, however many polls said IDLE.
    assert.deepEqual(h.statuses(s1).map((st) => st.text), [STATE_NS + 'connecting', STATE_NS + 'idle']);
    sim.control.setState('ERROR');
    await h.waitFor(() => m1.some((m) => m.payload.state === 'ERROR'), 10000, 'an ERROR poll');
    const failed = m1.length;
    await h.waitFor(() => m1.length >= failed + 2, 10000, 'two more polls');
    assert.deepEqual(h.statuses(s1).map((st) => st.text), [STATE_NS + 'connecting', STATE_NS + 'idle', STATE_NS + 'error']);
  });

  it('after an outage, recovery to the same state sets the dot again: idle, offline, idle', async () => {
    // Dots are set only when they change (StatusBoard): the idle after the outage is a change and must be shown.
    const { flow, credentials } = h.flowWith(sim, [
      { id: 's1', type: 'prusalink-status', interval: '0.5', output: 'poll', wires: [['o1']] },
      { id: 'o1', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const s1 = h.helper.getNode('s1');
    const texts = () => h.statuses(s1).map((st) => st.text);
    await h.waitFor(() => texts().includes(STATE_NS + 'idle'), 10000, 'idle');
    await sim.control.refuse();
    await h.waitFor(() => texts().at(-1) === REASON_NS + 'offline', 15000, 'offline dot');
    await sim.control.listen();
    await h.waitFor(() => texts().length >= 4, 20000, 'a dot after recovery');
    assert.deepEqual(texts(), [STATE_NS + 'connecting', STATE_NS + 'idle', REASON_NS + 'offline', STATE_NS + 'idle']);
    assert.deepEqual(h.lastStatus(s1).fill, 'green');
  });

  it('a closed status node hears no more polls and its status is cleared; the other node of the printer keeps polling', async () => {
    // The controller's close unwatches (src/nodes/controller.ts): the node is removed, the printer stays.
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
    await s1.close(true);
    const heard = m1.length;
    const before = m2.length;
    await h.waitFor(() => m2.length >= before + 2, 10000, 'two more polls at the other node');
    assert.equal(m1.length, heard, 'the closed node heard no poll after its close');
    assert.deepEqual(h.lastStatus(s1), {});
  });

  it('a 2 s node beside a 1 s node emits on every other poll; the printer is asked once per second', async () => {
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'fast', type: 'prusalink-status', interval: '1', output: 'poll', wires: [['o1']] },
      { id: 'slow', type: 'prusalink-status', interval: '2', output: 'poll', wires: [['o2']] },
      { id: 'o1', type: 'helper', z: 'f1' },
      { id: 'o2', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const [fast, slow] = [h.collect('o1'), h.collect('o2')];
    await h.waitFor(() => fast.length >= 5, 12000, 'five polls');
    await h.helper.clearFlows();
    const asked = statusCalls();
    // Polls 0, 2, 4, ... reach the 2 s node.
    assert.equal(slow.length, Math.ceil(fast.length / 2), `${slow.length} slow vs ${fast.length} fast`);
    assert.ok(asked === fast.length || asked === fast.length + 1, `${asked} status requests for ${fast.length} polls`);
  });

  it('an unreachable printer: one catchable error per status node and one log warning per outage, then recovery', async () => {
    const { flow, credentials } = h.flowWith(sim, [
      { id: 's1', type: 'prusalink-status', interval: '0.5', output: 'change', wires: [['o1']] },
      { id: 's2', type: 'prusalink-status', interval: '0.5', output: 'poll', wires: [['o2']] },
      { id: 's3', type: 'prusalink-status', interval: '1', output: 'change', wires: [['o3']] },
      { id: 'o1', type: 'helper', z: 'f1' },
      { id: 'o2', type: 'helper', z: 'f1' },
      { id: 'o3', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const msgs = h.collect('o1');
    const caught = h.collect('caught');
    await h.waitFor(() => msgs.length >= 1, 8000, 'online');
    await sim.control.refuse();
    await h.waitFor(() => msgs.some((m) => m.event === 'offline'), 15000, 'offline event');
    await h.waitFor(() => caught.length >= 3, 2000, 'caught errors');
    for (const m of caught) h.expectCode(m, 'UNREACHABLE');
    // Each node raises its own (so a Catch scoped to one node sees it); the helper cannot load two Catch nodes.
    assert.deepEqual(caught.map((m) => m.error.source.id).sort(), ['s1', 's2', 's3']);
    const s1 = h.helper.getNode('s1');
    assert.deepEqual(h.lastStatus(s1), {
      fill: 'red',
      shape: 'ring',
      text: '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.reason.offline',
    });
    await sim.control.listen();
    await h.waitFor(() => msgs.some((m) => m.event === 'online' && m.previous === 'OFFLINE'), 20000, 'back online');
    assert.equal(caught.length, 3, 'one error per status node per outage, not one per poll');
    const printerWarnings = h.helper
      .getNode('printer1')
      .warn.getCalls()
      .filter((c) => c.thisValue === h.helper.getNode('printer1'))
      .map((c) => String(c.args[0]));
    assert.deepEqual(
      printerWarnings.map((w) => w.replace(/\(.*\)/, '')),
      ['prusalink-printer.log.offline', 'prusalink-printer.log.online'],
    );
  });

  it('wrong credentials while polling are "unauthorized": event, payload state, red ring and log line', async () => {
    const { flow } = h.flowWith(sim, [
      { id: 's1', type: 'prusalink-status', interval: '0.5', output: 'change', wires: [['o1']] },
      { id: 'o1', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, { printer1: { user: 'maker', password: 'wrong-password' } });
    const msg = await h.nextMsg('o1', 10000);
    assert.equal(msg.event, 'unauthorized');
    assert.equal(msg.previous, null);
    assert.equal(msg.payload.state, 'UNAUTHORIZED');
    assert.equal(msg.payload.error.code, 'AUTH_FAILED');
    assert.deepEqual(h.lastStatus(h.helper.getNode('s1')), {
      fill: 'red',
      shape: 'ring',
      text: '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.reason.unauthorized',
    });
    const printer = h.helper.getNode('printer1');
    const warned = printer.warn.getCalls().filter((c) => c.thisValue === printer).map((c) => String(c.args[0]));
    assert.deepEqual(warned, ['prusalink-printer.log.unauthorized']);
  });

  for (const outage of ['unreachable', 'unauthorized']) {
    it(`a status node added by a "modified nodes" deploy while the printer is ${outage} reports at once`, async () => {
      const creds =
        outage === 'unauthorized' ? { printer1: { user: 'maker', password: 'wrong-password' } } : h.flowWith(sim, []).credentials;
      const first = h.flowWith(sim, [
        { id: 's1', type: 'prusalink-status', interval: '0.5', output: 'change', wires: [['o1']] },
        { id: 'o1', type: 'helper', z: 'f1' },
      ]);
      await h.load(first.flow, creds);
      const o1 = h.collect('o1');
      if (outage === 'unreachable') {
        await h.waitFor(() => o1.length >= 1, 8000, 'online');
        await sim.control.refuse();
      }
      const event = outage === 'unreachable' ? 'offline' : 'unauthorized';
      await h.waitFor(() => o1.some((m) => m.event === event), 15000, event);
      const added = [
        ...first.flow,
        { id: 's2', type: 'prusalink-status', z: 'f1', printer: 'printer1', interval: '1', output: 'change', wires: [['o2']] },
        { id: 'o2', type: 'helper', z: 'f1' },
      ];
      const o2 = [];
      const caught = [];
      // Listen before the deploy starts the new nodes: the news may come as soon as the flows start.
      h.helper._events.once('flows:started', () => {
        h.helper.getNode('o2').on('input', (m) => o2.push(m));
        h.helper.getNode('caught').on('input', (m) => caught.push(m));
      });
      await new Promise((resolve, reject) => h.helper.setFlows(added, 'nodes', creds, (e) => (e ? reject(e) : resolve())));
      await h.waitFor(() => o2.length >= 1 && caught.some((m) => m.error.source.id === 's2'), 1500, 'the new node reports the outage');
      assert.equal(o2[0].event, event);
      h.expectCode(caught.find((m) => m.error.source.id === 's2'), outage === 'unreachable' ? 'UNREACHABLE' : 'AUTH_FAILED');
      assert.deepEqual(h.lastStatus(h.helper.getNode('s2')), {
        fill: 'red',
        shape: 'ring',
        text: '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.reason.' + (outage === 'unreachable' ? 'offline' : 'unauthorized'),
      });
      if (outage === 'unreachable') await sim.control.listen();
    });
  }

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

describe('prusalink-status: each watcher its own status', () => {
  let sim;
  beforeEach(async () => {
    const { makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');
    sim = await h.startSimulator({ family: 'buddy', speed: 1, files: { 'box.gcode': makeSampleGcode({ printSeconds: 600 }) } });
    await h.startServer();
  });
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
  });

  it('a flow that changes msg.payload changes neither another status node of the printer nor the client', async () => {
    sim.control.startPrint('box.gcode');
    const { flow, credentials } = h.flowWith(sim, [
      { id: 's1', type: 'prusalink-status', interval: '1', output: 'poll', wires: [['o1']] },
      { id: 's2', type: 'prusalink-status', interval: '1', output: 'poll', wires: [['o2']] },
      { id: 'o1', type: 'helper', z: 'f1' },
      { id: 'o2', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    // Flow 1 rewrites what it got, as a function node might.
    h.helper.getNode('o1').on('input', (msg) => {
      msg.payload.state = 'CHANGED';
      if (msg.payload.job && msg.payload.job.file) msg.payload.job.file.display_name = 'changed.gcode';
    });
    const o2 = h.collect('o2');
    await h.waitFor(() => o2.length >= 2, 10000, 'two polls');
    for (const m of o2) {
      assert.equal(m.payload.state, 'PRINTING');
      assert.equal(m.payload.job.file.display_name, 'box.gcode');
    }
    // The client's own memory (the job's file, fetched once per job) is not the caller's to change.
    const client = h.helper.getNode('printer1').getClient();
    const mine = await client.status();
    mine.job.file.display_name = 'changed.gcode';
    mine.state = 'CHANGED';
    const next = await client.status();
    assert.equal(next.state, 'PRINTING');
    assert.equal(next.job.file.display_name, 'box.gcode');
  });
});
