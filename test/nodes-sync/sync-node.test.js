'use strict';
// prusalink-sync in a running Node-RED (test helper) against the simulator.
const { describe, it, before, after, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const helper = require('node-red-node-test-helper');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');

const { NR_MAIN, expectCode } = require('../lib/node-red-runtime');

helper.init(NR_MAIN);

const NODES = [require('../../dist/nodes/prusalink-printer.js'), require('../../dist/nodes/prusalink-sync.js')];

function flowFor(sim, syncProps) {
  const auth = sim.family === 'mini-legacy' ? 'apikey' : 'digest';
  const creds = auth === 'apikey' ? { apiKey: sim.credentials.apiKey } : { user: sim.credentials.user || 'maker', password: sim.credentials.password };
  return {
    flow: [
      { id: 'f1', type: 'tab', label: 'sync' },
      { id: 'p1', type: 'prusalink-printer', host: sim.host, port: String(sim.port), protocol: 'http', auth, timeout: '5', pollInterval: '5' },
      { id: 'catcher', type: 'catch', z: 'f1', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper', z: 'f1' },
      { id: 's1', type: 'prusalink-sync', z: 'f1', printer: 'p1', folder: '', target: '', deleteExtras: false, dryRun: false, manifest: '', ...syncProps, wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ],
    credentials: { p1: creds },
  };
}

const load = (flow, credentials) => new Promise((resolve, reject) => helper.load(NODES, flow, credentials, (e) => (e ? reject(e) : resolve())));

function next(id, ms = 8000) {
  const n = helper.getNode(id);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message at ${id}`)), ms);
    n.once('input', (msg) => {
      clearTimeout(timer);
      resolve(msg);
    });
  });
}

function statusTexts(node) {
  return node.status.getCalls().filter((c) => c.thisValue === node).map((c) => c.args[0].text);
}

for (const family of ['buddy', 'mini-legacy', 'pi']) {
  describe(`prusalink-sync node on ${family}`, () => {
    let sim;
    let dir;
    before(() => new Promise((resolve) => helper.startServer(resolve)));
    after(() => new Promise((resolve) => helper.stopServer(resolve)));
    beforeEach(async () => {
      sim = await startSimulator({ family });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-sync-node-'));
      fs.writeFileSync(path.join(dir, 'one.gcode'), 'G28\nG1 X1\n');
      fs.writeFileSync(path.join(dir, 'two.gcode'), 'G28\nG1 X2\n');
    });
    afterEach(async () => {
      await helper.unload();
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('syncs the folder set in the node, emits the summary and shows progress then the result', async () => {
      const { flow, credentials } = flowFor(sim, { folder: dir });
      await load(flow, credentials);
      const got = next('out');
      helper.getNode('s1').receive({ topic: 'go' });
      const msg = await got;
      assert.equal(msg.topic, 'go');
      assert.deepEqual(msg.payload.uploaded.map((u) => u.path).sort(), ['one.gcode', 'two.gcode']);
      assert.deepEqual(msg.payload.failed, []);
      const texts = statusTexts(helper.getNode('s1'));
      // "working" on input, progress, then the result. The helper does not translate, so each text is its key:
      // "syncing 1/2" and "syncing 2/2" both read 'prusalink-sync.status.syncing', and the node's status board shows a
      // dot only when it differs from the one shown, so the second reads as no change here.
      assert.deepEqual(texts, [
        '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.state.working',
        'prusalink-sync.status.syncing',
        'prusalink-sync.status.done',
      ]);
      assert.deepEqual(sim.control.listFiles().sort(), ['one.gcode', 'two.gcode']);
    });

    it('takes msg.folder, msg.target and msg.dryRun for blank fields; a dry run writes nothing', async () => {
      const { flow, credentials } = flowFor(sim, {});
      await load(flow, credentials);
      const got = next('out');
      sim.control.clearRequests();
      helper.getNode('s1').receive({ folder: dir, target: family === 'mini-legacy' ? '' : 'from msg', dryRun: true });
      const msg = await got;
      assert.equal(msg.payload.dryRun, true);
      assert.equal(msg.payload.uploaded.length, 2);
      assert.equal(msg.payload.remoteFolder, family === 'mini-legacy' ? '/usb' : family === 'pi' ? '/local/from msg' : '/usb/from msg');
      assert.deepEqual(sim.control.requests().filter((r) => r.method !== 'GET'), []);
      assert.deepEqual(sim.control.listFiles(), []);
    });

    it('a watch-node message (msg.filename inside the folder) syncs too', async () => {
      const { flow, credentials } = flowFor(sim, { folder: dir, target: '' });
      await load(flow, credentials);
      let got = next('out');
      helper.getNode('s1').receive({ payload: 1 });
      await got;
      const changed = path.join(dir, 'one.gcode');
      fs.writeFileSync(changed, 'G28\nG1 X9 Y9\n');
      got = next('out');
      helper.getNode('s1').receive({ payload: changed, filename: changed, file: 'one.gcode', type: 'file', topic: dir });
      const msg = await got;
      if (family === 'mini-legacy') {
        // the change is seen; the MINI cannot replace a file, so it is reported rather than deleted and sent again
        assert.deepEqual(msg.payload.skipped.map((k) => [k.path, k.code]), [['one.gcode', 'CANNOT_REPLACE']]);
      } else {
        assert.deepEqual(msg.payload.uploaded.map((u) => u.path), ['one.gcode']);
      }
    });

    it('ignores a watch event about its own manifest (no sync loop)', async () => {
      const { flow, credentials } = flowFor(sim, { folder: dir });
      await load(flow, credentials);
      const outputs = [];
      helper.getNode('out').on('input', (m) => outputs.push(m));
      const first = next('out');
      helper.getNode('s1').receive({ payload: 1 });
      await first;
      sim.control.clearRequests();
      const manifest = path.join(dir, '.prusalink-sync.json');
      helper.getNode('s1').receive({ payload: manifest, filename: manifest, file: '.prusalink-sync.json', type: 'file' });
      // a following real trigger is answered, and the manifest event before it produced nothing
      const second = next('out');
      helper.getNode('s1').receive({ payload: 2 });
      await second;
      assert.equal(outputs.length, 2);
      assert.equal(outputs[1].payload.unchanged.length, 2);
    });

    it('without a folder the msg goes to Catch with INVALID_ARGUMENT', async () => {
      const { flow, credentials } = flowFor(sim, {});
      await load(flow, credentials);
      const caught = next('caught');
      helper.getNode('s1').receive({ payload: 1 });
      const msg = await caught;
      expectCode(msg, 'INVALID_ARGUMENT');
    });

    it('an unreachable printer goes to Catch with UNREACHABLE', async () => {
      const { flow, credentials } = flowFor(sim, { folder: dir });
      await load(flow, credentials);
      await sim.control.refuse();
      const caught = next('caught', 15000);
      helper.getNode('s1').receive({ payload: 1 });
      const msg = await caught;
      expectCode(msg, 'UNREACHABLE');
    });
  });
}
