'use strict';
// A deploy during an upload ends every pending msg (running and queued) at once with ABORTED through done(err):
// a Catch node sees each, on a full deploy too, well before the printer's timeout (30 s here) could end it.
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./flow-helpers');
const { CATCH_HAS_CODE } = require('../lib/node-red-runtime');

const GCODE = Buffer.from('; test\nG28\n' + 'G1 X10 Y10 E1\n'.repeat(40000));
const TIMEOUT_S = 30;
const BOUND_MS = 3000;

describe('prusalink-upload: a deploy ends every pending msg at once', () => {
  let sim;
  beforeEach(async () => {
    sim = await h.startSimulator({ family: 'buddy' });
    await h.startServer();
  });
  afterEach(async () => {
    sim.control.clearFaults();
    await h.stopServer();
    await sim.stop();
  });

  /** The flow, detection done, and a spy on the Catch node's input (it sees what reaches it even as it closes). */
  async function loaded({ auth, scope = null } = {}) {
    const { flow, credentials } = h.flowWith(
      sim,
      [{ id: 'up', type: 'prusalink-upload', source: 'payload', target: '', wires: [['out']] }, { id: 'out', type: 'helper', z: 'f1' }],
      { timeout: String(TIMEOUT_S), ...(auth ? { auth } : {}) },
    );
    const catcher = flow.find((n) => n.id === 'catcher');
    catcher.scope = scope;
    if (auth === 'apikey') credentials.printer1 = { apiKey: sim.credentials.password };
    await h.load(flow, credentials);
    const warm = h.nextMsg('out');
    h.helper.getNode('up').receive({ payload: Buffer.from('G28\n'), filename: 'warm.gcode' });
    await warm;
    const seen = [];
    h.helper.getNode('catcher').on('input', (msg) => seen.push(msg));
    return { flow, credentials, seen, up: h.helper.getNode('up') };
  }

  /** The msgs the upload node ended with an error, by topic, and the code each error had. */
  const ended = (up) =>
    up.error
      .getCalls()
      .filter((c) => c.thisValue === up && c.args[1])
      .map((c) => `${c.args[1].topic} ${c.args[0] && c.args[0].code}`);

  async function expectAborted(seen, up, topics, started) {
    await h.waitFor(() => ended(up).length >= topics.length, BOUND_MS, `${topics.length} msgs ended`);
    const took = Date.now() - started;
    assert.ok(took < BOUND_MS, `ended after ${took} ms (the printer timeout is ${TIMEOUT_S} s)`);
    assert.deepEqual(ended(up).sort(), topics.map((t) => `${t} ABORTED`).sort());
    assert.deepEqual(seen.map((m) => m.topic).sort(), [...topics].sort(), 'the Catch node saw each msg');
    if (CATCH_HAS_CODE) assert.deepEqual(seen.map((m) => m.error.code), topics.map(() => 'ABORTED'));
    assert.deepEqual(h.lastStatus(up), {});
  }

  it('full deploy while the body is being sent (the printer does not answer): ABORTED at once', async () => {
    const { seen, up } = await loaded({ auth: 'apikey' });
    sim.control.setFaults({ hang: true });
    up.receive({ payload: GCODE, filename: 'slow.gcode', topic: 'running' });
    await h.waitFor(() => h.statuses(up).some((s) => s.text === 'prusalink-upload.status.uploading'), 5000, 'upload started');
    const started = Date.now();
    await h.helper.clearFlows();
    await expectAborted(seen, up, ['running'], started);
  });

  it('full deploy during the pre-upload GET (a slow answer): ABORTED at once, not after the timeout', async () => {
    const { seen, up } = await loaded();
    sim.control.setFaults({ latencyMs: 20000 });
    sim.control.clearRequests();
    up.receive({ payload: GCODE, filename: 'slow.gcode', topic: 'nonce' });
    await h.waitFor(() => sim.control.requests().some((r) => r.path === '/api/version') || h.statuses(up).length > 0, 5000, 'GET sent');
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await h.helper.clearFlows();
    await expectAborted(seen, up, ['nonce'], started);
  });

  it('full deploy with a second msg queued: both end ABORTED at once, the second never starts', async () => {
    const { seen, up } = await loaded({ auth: 'apikey' });
    sim.control.setFaults({ hang: true });
    sim.control.clearRequests();
    up.receive({ payload: GCODE, filename: 'one.gcode', topic: 'first' });
    up.receive({ payload: GCODE, filename: 'two.gcode', topic: 'queued' });
    await h.waitFor(() => h.statuses(up).some((s) => s.text === 'prusalink-upload.status.uploading'), 5000, 'upload started');
    const started = Date.now();
    await h.helper.clearFlows();
    await expectAborted(seen, up, ['first', 'queued'], started);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(h.apiRequests(sim).filter((r) => r.path.includes('two.gcode')), [], 'the queued upload was never sent');
  });

  it('modified-nodes deploy of the upload node: a Catch scoped to it sees ABORTED at once', async () => {
    const { flow, credentials, seen, up } = await loaded({ auth: 'apikey', scope: ['up'] });
    sim.control.setFaults({ hang: true });
    up.receive({ payload: GCODE, filename: 'slow.gcode', topic: 'modified' });
    await h.waitFor(() => h.statuses(up).some((s) => s.text === 'prusalink-upload.status.uploading'), 5000, 'upload started');
    const started = Date.now();
    const changed = flow.map((n) => (n.id === 'up' ? { ...n, name: 'renamed' } : n));
    await h.helper.setFlows(changed, 'nodes', credentials);
    await expectAborted(seen, up, ['modified'], started);
  });

  it('modified-nodes deploy during the pre-upload GET (the client stays open): ABORTED at once, not after the timeout', async () => {
    const { flow, credentials, seen, up } = await loaded({ scope: ['up'] });
    sim.control.setFaults({ latencyMs: 20000 });
    sim.control.clearRequests();
    up.receive({ payload: GCODE, filename: 'slow.gcode', topic: 'nonce' });
    await h.waitFor(() => h.statuses(up).some((s) => s.text === 'prusalink-upload.status.uploading'), 5000, 'upload started');
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await h.helper.setFlows(flow.map((n) => (n.id === 'up' ? { ...n, name: 'renamed' } : n)), 'nodes', credentials);
    await expectAborted(seen, up, ['nonce'], started);
    // The GET itself was abandoned: the upload's turn is free at once for the node that replaced this one.
    sim.control.clearFaults();
    const next = h.nextMsg('out', BOUND_MS);
    h.helper.getNode('up').receive({ payload: Buffer.from('G28\n'), filename: 'after.gcode' });
    assert.equal((await next).payload.path, '/usb/after.gcode');
  });
});
