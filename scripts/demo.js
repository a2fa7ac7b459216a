#!/usr/bin/env node
// `npm start`: simulated Prusa printers plus a throw-away Node-RED with this package, Dashboard 2.0 and the example
// flows deployed. Every example talks to the Buddy simulator, except the farm dashboard, whose three printers are
// one simulator of each family. Env: PORT (editor and dashboard, default 1880), SIM_PORT (Buddy printer, default
// 8087; the MINI 4.4 and the Pi simulators take the next two ports). Ctrl-C stops everything and removes the temp dir.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const { startSimulator, makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');

const HOST = '127.0.0.1';
const UI_PORT = Number(process.env.PORT || 1880);
const SIM_PORT = Number(process.env.SIM_PORT || 8087);
const SIM_PASSWORD = 'demo-pass-8087';
const MINI_API_KEY = 'demo-key-mini';
const PI_PASSWORD = 'demo-pass-pi';
const DASHBOARD_MODULE = '@flowfuse/node-red-dashboard';
/** The farm dashboard example's printer config nodes, by id: which simulator each one talks to. */
const DASHBOARD_PRINTERS = { 'fd-printer-mk4': 'buddy', 'fd-printer-mini': 'mini-legacy', 'fd-printer-pi': 'pi' };
const MQTT_TYPES = new Set(['mqtt in', 'mqtt out']);
/** Nodes whose `baseFolder` (Local folder) limits the local files they read. */
const LOCAL_FOLDER_TYPES = new Set(['prusalink-queue', 'prusalink-upload']);

function brokerAnswers() {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port: 1883, timeout: 1000 });
    const finish = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    socket.once('timeout', () => finish(false));
  });
}

function request(method, urlPath, body) {
  return new Promise((resolve, reject) => {
    const data = body ? Buffer.from(JSON.stringify(body)) : undefined;
    const req = http.request(
      {
        host: HOST,
        port: UI_PORT,
        method,
        path: urlPath,
        headers: {
          'Content-Type': 'application/json',
          'Node-RED-API-Version': 'v2',
          'Node-RED-Deployment-Type': 'full',
          ...(data ? { 'Content-Length': data.length } : {}),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function waitForEditor(child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error('Node-RED exited during start-up');
    try {
      if ((await request('GET', '/settings')).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('Node-RED did not answer on ' + UI_PORT);
}

/** Every example on its own tab, one shared printer and broker config node, the printer's password set. */
// Each example that watches a local folder gets its own folder in the demo's user dir, named after the example.
function localFolderFor(userDir, label) {
  const dir = path.join(userDir, label.toLowerCase().replace(/[^a-z0-9]+/g, '-'));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function demoFlows(userDir, mqttAvailable, sims) {
  const examplesDir = path.join(root, 'examples');
  const flows = [];
  const configs = new Map();
  for (const file of fs.readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort()) {
    const label = path.basename(file, '.json');
    const nodes = JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8'));
    const needsBroker = nodes.some((n) => MQTT_TYPES.has(n.type));
    const disabled = needsBroker && !mqttAvailable;
    const disabledInfo = 'Disabled by the demo: no MQTT broker answered on 127.0.0.1:1883. Start one and enable this flow.';
    // An example that brings its own tab (the farm instance, with its subflow) is deployed as it is: moving its
    // nodes onto a demo tab would pull a subflow's inner nodes out of it.
    const ownTab = nodes.find((n) => n.type === 'tab');
    const subflows = new Set(nodes.filter((n) => n.type === 'subflow').map((n) => n.id));
    const tabId = ownTab ? ownTab.id : 'demo-tab-' + flows.filter((n) => n.type === 'tab').length;
    if (!ownTab) flows.push({ id: tabId, type: 'tab', label, disabled, info: disabled ? disabledInfo : '' });
    const watchesFolder = nodes.some((n) => n.type === 'watch');
    for (const n of nodes) {
      if (n === ownTab) {
        flows.push({ ...n, disabled: disabled || Boolean(n.disabled), info: disabled ? disabledInfo : n.info || '' });
        continue;
      }
      // Config nodes (printers, broker, the dashboard's base, page, theme and groups) stay global, as on import.
      if (!('wires' in n) || subflows.has(n.z)) {
        configs.set(n.id, n);
        continue;
      }
      const copy = { ...n, z: tabId };
      if (copy.type === 'watch') copy.files = localFolderFor(userDir, label);
      if (copy.type === 'prusalink-sync') copy.folder = localFolderFor(userDir, label);
      // The nodes fed by the watch node only take files under their Local folder: the watched one, not the example's.
      if (watchesFolder && LOCAL_FOLDER_TYPES.has(copy.type)) copy.baseFolder = localFolderFor(userDir, label);
      flows.push(copy);
    }
  }
  for (const cfg of configs.values()) {
    const copy = { ...cfg };
    // A printer whose address comes from the environment (a farm slot) stays as it is: unset, it is not configured.
    const fromEnv = typeof copy.host === 'string' && copy.host.startsWith('${');
    if (copy.type === 'prusalink-printer' && !fromEnv) Object.assign(copy, printerSettings(sims[DASHBOARD_PRINTERS[copy.id] || 'buddy']));
    flows.push(copy);
  }
  return flows;
}

/** A printer config node's address and credentials for one of the demo's simulators. */
function printerSettings(sim) {
  const { user, password, apiKey } = sim.credentials;
  const settings = { host: HOST, port: String(sim.port) };
  if (sim.family === 'mini-legacy') return { ...settings, auth: 'apikey', credentials: { apiKey } };
  return { ...settings, auth: 'digest', credentials: { user, password } };
}

/** The same few files on every printer, so that the file lists show something (MINI 4.4 has no folders to list). */
function sampleFiles(withFolder) {
  const files = {
    'Sample part.gcode': makeSampleGcode({ name: 'Sample part', printSeconds: 1800 }),
    'Calibration cube.gcode': makeSampleGcode({ name: 'Calibration cube', printSeconds: 900, thumbnails: [] }),
  };
  if (withFolder) {
    files['old/First layer test.gcode'] = makeSampleGcode({ name: 'First layer test', printSeconds: 300 });
    files['old/Bracket v1.gcode'] = makeSampleGcode({ name: 'Bracket v1', printSeconds: 1200 });
  }
  return files;
}

/** One simulator per family: Buddy on SIM_PORT (every example), MINI 4.4 and Pi on the next ports (the dashboard). */
async function startSimulators() {
  const started = [];
  try {
    started.push(await startSimulator({ family: 'buddy', port: SIM_PORT, speed: 30, password: SIM_PASSWORD, files: sampleFiles(true) }));
    started.push(await startSimulator({ family: 'mini-legacy', port: SIM_PORT + 1, speed: 30, apiKey: MINI_API_KEY, files: sampleFiles(false) }));
    started.push(await startSimulator({ family: 'pi', port: SIM_PORT + 2, speed: 30, password: PI_PASSWORD, files: sampleFiles(true) }));
  } catch (err) {
    await Promise.all(started.map((sim) => sim.stop()));
    throw err;
  }
  return Object.fromEntries(started.map((sim) => [sim.family, sim]));
}

async function main() {
  const sims = await startSimulators();

  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-demo-'));
  // Installed the way npm link does it: Node-RED scans userDir/node_modules for packages with a "node-red" section.
  const linkDir = path.join(userDir, 'node_modules', ...pkg.name.split('/'));
  fs.mkdirSync(path.dirname(linkDir), { recursive: true });
  fs.symlinkSync(root, linkDir, 'dir');
  // Dashboard 2.0 (a dev dependency here; in a user's Node-RED, installed from the palette) loaded the same way.
  const dashboardDir = path.dirname(require.resolve(DASHBOARD_MODULE + '/package.json', { paths: [root] }));
  const dashboardLink = path.join(userDir, 'node_modules', ...DASHBOARD_MODULE.split('/'));
  fs.mkdirSync(path.dirname(dashboardLink), { recursive: true });
  fs.symlinkSync(dashboardDir, dashboardLink, 'dir');
  const settingsFile = path.join(userDir, 'settings.js');
  const settings = {
    uiHost: HOST,
    uiPort: UI_PORT,
    flowFile: 'flows.json',
    credentialSecret: 'prusalink-demo-secret',
    editorTheme: { tours: false, palette: { catalogues: [] } },
    logging: { console: { level: 'info' } },
    // The dashboard's file picker sends the whole file through its socket: room for a large G-code file.
    dashboard: { maxHttpBufferSize: 64 * 1024 * 1024 },
  };
  fs.writeFileSync(settingsFile, 'module.exports = ' + JSON.stringify(settings, null, 2) + ';\n');

  const redJs = require.resolve('node-red/red.js', { paths: [root] });
  const child = spawn(process.execPath, [redJs, '-u', userDir, '-s', settingsFile], { stdio: ['ignore', 'inherit', 'inherit'] });

  let stopping = false;
  async function stop(code) {
    if (stopping) return;
    stopping = true;
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await Promise.all(Object.values(sims).map((sim) => sim.stop()));
    fs.rmSync(userDir, { recursive: true, force: true });
    process.exit(code);
  }
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  child.on('exit', () => void stop(child.exitCode || 0));

  await waitForEditor(child);
  const mqttAvailable = await brokerAnswers();
  const deployed = await request('POST', '/flows', { flows: demoFlows(userDir, mqttAvailable, sims) });
  if (deployed.status !== 200) throw new Error(`deploy failed: ${deployed.status} ${deployed.body}`);

  console.log('\n--- PrusaLink demo -------------------------------------------------');
  console.log(`Node-RED editor:     http://${HOST}:${UI_PORT}/`);
  console.log(`Farm dashboard:      http://${HOST}:${UI_PORT}/dashboard  (Dashboard 2.0; flow "Farm dashboard (Dashboard 2.0)")`);
  console.log(`Simulated printer:   ${sims.buddy.url}  (Buddy/MK4, user maker, password ${SIM_PASSWORD}; every example)`);
  console.log(`Dashboard's MINI:    ${sims['mini-legacy'].url}  (MINI 4.4 legacy, API key ${MINI_API_KEY})`);
  console.log(`Dashboard's Pi:      ${sims.pi.url}  (Raspberry Pi PrusaLink, user maker, password ${PI_PASSWORD})`);
  console.log(`Watched folders:     ${userDir}/upload-new-g-code-files-from-a-watched-folder, ${userDir}/print-queue-fed-from-a-folder and ${userDir}/sync-a-local-folder-to-the-printer  (drop .gcode files there)`);
  console.log(
    mqttAvailable
      ? 'MQTT examples:       deployed (broker on 127.0.0.1:1883)'
      : 'MQTT examples:       deployed disabled (no broker on 127.0.0.1:1883)',
  );
  console.log('Ctrl-C stops Node-RED and the simulator.');
  console.log('--------------------------------------------------------------------\n');
}

main().catch((err) => {
  console.error('demo:', err && err.message ? err.message : err);
  process.exit(1);
});
