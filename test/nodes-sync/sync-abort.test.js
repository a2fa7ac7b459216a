'use strict';
// A full deploy during a sync ends its msg, and a second msg queued behind it, at once with ABORTED: the Catch node
// sees both, well before the printer's timeout (30 s) could end them.
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const helper = require('node-red-node-test-helper');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { NR_MAIN, CATCH_HAS_CODE } = require('../lib/node-red-runtime');

helper.init(NR_MAIN);
const NODES = [require('../../dist/nodes/prusalink-printer.js'), require('../../dist/nodes/prusalink-sync.js')];
const BOUND_MS = 3000;

describe('prusalink-sync: a deploy ends every pending msg at once', () => {
  let sim;
  let dirs;
  beforeEach(async () => {
    sim = await startSimulator({ family: 'buddy' });
    dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-sync-abort-')));
    for (const d of dirs) fs.writeFileSync(path.join(d, 'part.gcode'), 'G28\n' + 'G1 X1\n'.repeat(50000));
    await new Promise((resolve) => helper.startServer(resolve));
  });
  afterEach(async () => {
    sim.control.clearFaults();
    await helper.unload();
    await new Promise((resolve) => helper.stopServer(resolve));
    await sim.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('full deploy mid-sync with a second msg queued: both end ABORTED at once, seen by Catch', async () => {
    const flow = [
      { id: 'f1', type: 'tab', label: 'sync' },
      { id: 'p1', type: 'prusalink-printer', host: sim.host, port: String(sim.port), protocol: 'http', auth: 'apikey', timeout: '30', pollInterval: '5' },
      { id: 'catcher', type: 'catch', z: 'f1', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper', z: 'f1' },
      { id: 's1', type: 'prusalink-sync', z: 'f1', printer: 'p1', folder: '', target: 'sync', deleteExtras: false, dryRun: false, manifest: '', wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ];
    await new Promise((resolve, reject) => helper.load(NODES, flow, { p1: { apiKey: sim.credentials.password } }, (e) => (e ? reject(e) : resolve())));
    const s1 = helper.getNode('s1');
    const seen = [];
    helper.getNode('catcher').on('input', (msg) => seen.push(msg));
    sim.control.setFaults({ hang: true });
    s1.receive({ folder: dirs[0], topic: 'running' });
    s1.receive({ folder: dirs[1], topic: 'queued' });
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await helper.clearFlows();
    const ended = () => s1.error.getCalls().filter((c) => c.thisValue === s1 && c.args[1]).map((c) => `${c.args[1].topic} ${c.args[0].code}`);
    const end = Date.now() + BOUND_MS;
    while (ended().length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    assert.ok(Date.now() - started < BOUND_MS, `ended after ${Date.now() - started} ms`);
    assert.deepEqual(ended().sort(), ['queued ABORTED', 'running ABORTED']);
    assert.deepEqual(seen.map((m) => m.topic).sort(), ['queued', 'running'], 'the Catch node saw each msg');
    if (CATCH_HAS_CODE) assert.deepEqual(seen.map((m) => m.error.code), ['ABORTED', 'ABORTED']);
  });
});
