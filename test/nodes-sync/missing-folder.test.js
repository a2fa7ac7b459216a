'use strict';
// Issue 13.8: a local folder that does not exist gave the undocumented code ENOENT after the printer had been asked.
// It is INVALID_ARGUMENT, with words naming the folder, before any request.
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const helper = require('node-red-node-test-helper');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { NR_MAIN, expectCode } = require('../lib/node-red-runtime');

helper.init(NR_MAIN);
const NODES = [require('../../dist/nodes/prusalink-printer.js'), require('../../dist/nodes/prusalink-sync.js')];

describe('prusalink-sync: a local folder that is missing or not a folder', () => {
  let sim;
  let tmp;
  beforeEach(async () => {
    sim = await startSimulator({ family: 'buddy' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-missing-'));
    await new Promise((resolve) => helper.startServer(resolve));
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise((resolve) => helper.stopServer(resolve));
    await sim.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function caughtFor(folder) {
    const flow = [
      { id: 'f1', type: 'tab', label: 'sync' },
      { id: 'p1', type: 'prusalink-printer', host: sim.host, port: String(sim.port), protocol: 'http', auth: 'digest', timeout: '5', pollInterval: '5' },
      { id: 'catcher', type: 'catch', z: 'f1', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper', z: 'f1' },
      { id: 's1', type: 'prusalink-sync', z: 'f1', printer: 'p1', folder, target: '', deleteExtras: false, dryRun: false, manifest: '', wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ];
    await new Promise((resolve, reject) =>
      helper.load(NODES, flow, { p1: { user: 'maker', password: sim.credentials.password } }, (e) => (e ? reject(e) : resolve())),
    );
    sim.control.clearRequests();
    const caught = new Promise((resolve) => helper.getNode('caught').once('input', resolve));
    helper.getNode('s1').receive({ payload: true });
    return caught;
  }

  it('a missing folder: INVALID_ARGUMENT naming it, no request', async () => {
    const missing = path.join(tmp, 'not here');
    const msg = await caughtFor(missing);
    expectCode(msg, 'INVALID_ARGUMENT');
    assert.match(msg.error.message, /prusalink-sync\.errors\.noFolder$/);
    assert.deepEqual(sim.control.requests().filter((r) => !r.path.startsWith('/_sim/')), []);
  });

  it('a file where the folder should be: INVALID_ARGUMENT, no request', async () => {
    const file = path.join(tmp, 'a file');
    fs.writeFileSync(file, 'x');
    const msg = await caughtFor(file);
    expectCode(msg, 'INVALID_ARGUMENT');
    assert.match(msg.error.message, /prusalink-sync\.errors\.notFolder$/);
    assert.deepEqual(sim.control.requests().filter((r) => !r.path.startsWith('/_sim/')), []);
  });

  it('the words name the folder', () => {
    const errors = require('../../nodes/locales/en-US/prusalink-sync.json')['prusalink-sync'].errors;
    assert.match(errors.noFolder, /"__folder__" does not exist/);
    assert.match(errors.notFolder, /"__folder__" is not a folder/);
  });
});
