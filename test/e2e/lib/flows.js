// Flow building blocks for the end-to-end tests: the package's node types, a printer config node pointing
// at a simulator, the package's example flows, and rewriting an example so that it talks to loopback only.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { root } = require('./env');
const { recorder } = require('./probe');

const MODULE = '@makerflows/node-red-prusalink';
const CONFIG_TYPE = 'prusalink-printer';
// Written out by hand (not read from package.json): a type dropped from the package must fail the tests.
const FLOW_TYPES = ['prusalink-status', 'prusalink-job', 'prusalink-files', 'prusalink-upload', 'prusalink-print', 'prusalink-rm', 'prusalink-sync', 'prusalink-queue'];
const ALL_TYPES = [CONFIG_TYPE, ...FLOW_TYPES];

/** Printer config node (with credentials, as POST /flows takes them) for a started simulator. */
function printerConfig(id, sim, { name = 'simulated printer', auth = 'digest' } = {}) {
  const credentials =
    auth === 'apikey' ? { apiKey: sim.credentials.apiKey } : { user: sim.credentials.user, password: sim.credentials.password };
  return {
    id,
    type: CONFIG_TYPE,
    name,
    host: sim.host,
    port: String(sim.port),
    protocol: 'http',
    allowSelfSigned: false,
    auth,
    timeout: '10',
    pollInterval: '',
    credentials,
  };
}

/** The example flows shipped in examples/: [{ name, file, flows }]. */
function examples() {
  const dir = path.join(root, 'examples');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), file: path.join(dir, f), flows: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
}

/** The example whose file name (without .json) or tab label matches `pattern` (case-insensitive RegExp source). */
function findExample(pattern) {
  const re = new RegExp(pattern, 'i');
  return examples().find((ex) => re.test(ex.name) || ex.flows.some((n) => n.type === 'tab' && re.test(n.label || '')));
}

const LOOPBACK = /^(127\.0\.0\.1|localhost|\[?::1\]?)$/i;

/**
 * A copy of an example that reaches only loopback: every printer config node points at `sim` (with its
 * credentials), every MQTT broker at 127.0.0.1:`mqttPort`. Throws when anything else in the flow names a
 * remote URL, since deploying it would send traffic off the machine.
 */
function localize(flows, { sim, mqttPort }) {
  const out = JSON.parse(JSON.stringify(flows));
  for (const n of out) {
    if (n.type === CONFIG_TYPE) {
      Object.assign(n, printerConfig(n.id, sim, { name: n.name || 'printer', auth: n.auth === 'apikey' ? 'apikey' : 'digest' }));
    } else if (n.type === 'mqtt-broker') {
      n.broker = '127.0.0.1';
      n.port = String(mqttPort);
      n.usetls = false;
    }
  }
  for (const n of out) {
    if (n.type === CONFIG_TYPE || n.type === 'mqtt-broker') continue;
    for (const [k, v] of Object.entries(n)) {
      const m = typeof v === 'string' && v.match(/^\w+:\/\/([^/:]+)/);
      if (m && !LOOPBACK.test(m[1])) throw new Error(`example node ${n.id} (${n.type}) property ${k} names a remote URL: ${v}`);
    }
  }
  return out;
}

/**
 * What the editor does on import: flow nodes without a tab (exported examples have none) go onto a new tab
 * `tabId`; config nodes (no `wires`) stay global.
 */
function placeOnTab(flows, tabId, label) {
  const placed = flows.map((n) => (n.z || n.type === 'tab' || !('wires' in n) ? n : { ...n, z: tabId }));
  return placed.some((n) => n.z === tabId) ? [{ id: tabId, type: 'tab', label }, ...placed] : placed;
}

/**
 * A Status node and a Catch node on every tab of `flows`, each wired to a recorder (`status:<tab>` and
 * `catch:<tab>`), so a test can read every status and every error that the flow's nodes reported.
 */
function watchTabs(flows) {
  const extra = [];
  for (const tab of flows.filter((n) => n.type === 'tab')) {
    extra.push(
      { id: `e2eSt_${tab.id}`, type: 'status', z: tab.id, name: '', scope: null, wires: [[`e2eStR_${tab.id}`]] },
      recorder(`e2eStR_${tab.id}`, tab.id, `status:${tab.id}`),
      { id: `e2eCt_${tab.id}`, type: 'catch', z: tab.id, name: '', scope: null, uncaught: false, wires: [[`e2eCtR_${tab.id}`]] },
      recorder(`e2eCtR_${tab.id}`, tab.id, `catch:${tab.id}`),
    );
  }
  return [...flows, ...extra];
}

/** Log lines in which Node-RED reports an error from one of our nodes (or about our package). */
function ourLogProblems(log) {
  return log.split('\n').filter((l) => /\[error\]/.test(l) && /prusalink/i.test(l));
}

module.exports = { MODULE, CONFIG_TYPE, FLOW_TYPES, ALL_TYPES, printerConfig, examples, findExample, localize, placeOnTab, watchTabs, ourLogProblems };
