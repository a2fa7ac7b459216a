'use strict';
// Shared set-up for the node tests: the Node-RED test helper on the installed runtime, a simulated
// printer per test, and small waiting utilities (they fail after a timeout; they never assert time).
const helper = require('node-red-node-test-helper');
const simulator = require('@makerflows/node-red-prusalink/sim');
const { withTestGeneration } = require('../lib/buddy-generation');

/** The simulator, on the Buddy generation PRUSALINK_TEST_BUDDY_FIRMWARE asks for (default: the newest). */
const startSimulator = (opts) => simulator.startSimulator(withTestGeneration(opts));

const { NR_MAIN, NR_VERSION, CATCH_HAS_CODE, expectCode } = require('../lib/node-red-runtime');
helper.init(NR_MAIN);

const NODES = {
  printer: require('../../dist/nodes/prusalink-printer.js'),
  status: require('../../dist/nodes/prusalink-status.js'),
  job: require('../../dist/nodes/prusalink-job.js'),
  files: require('../../dist/nodes/prusalink-files.js'),
  upload: require('../../dist/nodes/prusalink-upload.js'),
  print: require('../../dist/nodes/prusalink-print.js'),
  rm: require('../../dist/nodes/prusalink-rm.js'),
};
const ALL_NODES = Object.values(NODES);

const FAMILIES = ['buddy', 'mini-legacy', 'pi'];

function startServer() {
  return new Promise((resolve) => helper.startServer(resolve));
}
async function stopServer() {
  try {
    await helper.unload();
  } finally {
    await new Promise((resolve) => helper.stopServer(resolve));
  }
}

/** The config node for a simulator, and its credentials keyed by node id (the helper's 3rd argument). */
function printerConfig(sim, extra = {}) {
  const id = extra.id || 'printer1';
  const auth = sim.family === 'mini-legacy' ? 'apikey' : 'digest';
  const node = {
    id,
    type: 'prusalink-printer',
    name: 'sim-' + sim.family,
    host: sim.host,
    port: String(sim.port),
    protocol: 'http',
    auth,
    timeout: '5',
    pollInterval: '1',
    ...extra,
  };
  const creds =
    auth === 'apikey'
      ? { apiKey: sim.credentials.apiKey }
      : { user: sim.credentials.user || 'maker', password: sim.credentials.password };
  return { node, credentials: { [id]: creds } };
}

/** A tab, the printer, a catch node wired to `caught`, and the given nodes, all on tab `f1`. */
function flowWith(sim, nodes, printerExtra) {
  const cfg = printerConfig(sim, printerExtra);
  const flow = [
    { id: 'f1', type: 'tab', label: 'test' },
    cfg.node,
    { id: 'catcher', type: 'catch', z: 'f1', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'f1' },
    ...nodes.map((n) => ({ z: 'f1', printer: cfg.node.id, ...n })),
  ];
  return { flow, credentials: cfg.credentials };
}

function load(flow, credentials) {
  return new Promise((resolve, reject) => {
    helper.load(ALL_NODES, flow, credentials, (err) => (err ? reject(err) : resolve()));
  });
}

/** Resolves with the next message a helper node receives (fails after `ms`). */
function nextMsg(id, ms = 8000, accept = () => true) {
  const n = helper.getNode(id);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      n.removeListener('input', onInput);
      reject(new Error(`no message at ${id} within ${ms} ms`));
    }, ms);
    function onInput(msg) {
      if (!accept(msg)) return;
      clearTimeout(timer);
      n.removeListener('input', onInput);
      resolve(msg);
    }
    n.on('input', onInput);
  });
}

/** Collects every message a helper node receives. */
function collect(id) {
  const list = [];
  helper.getNode(id).on('input', (msg) => list.push(msg));
  return list;
}

/** Waits until `check()` returns something truthy (fails after `ms`). */
async function waitFor(check, ms = 8000, what = 'condition') {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The last status a node showed (helper spies on Node.prototype.status). */
function lastStatus(node) {
  return statuses(node).at(-1);
}

function statuses(node) {
  return node.status.getCalls().filter((c) => c.thisValue === node).map((c) => c.args[0]);
}

/** Requests the simulator saw on API paths (its own /_sim/ control calls excluded). */
function apiRequests(sim) {
  return sim.control.requests().filter((r) => !r.path.startsWith('/_sim/'));
}

module.exports = {
  helper,
  NR_VERSION,
  CATCH_HAS_CODE,
  expectCode,
  startSimulator,
  NODES,
  FAMILIES,
  startServer,
  stopServer,
  printerConfig,
  flowWith,
  load,
  nextMsg,
  collect,
  waitFor,
  lastStatus,
  statuses,
  apiRequests,
};
