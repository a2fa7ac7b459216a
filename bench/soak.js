#!/usr/bin/env node
// Soak: 10,000 status calls and 200 uploads through the nodes, in an embedded Node-RED runtime, against
// the simulator, with faults switched on and off along the way. Prints RSS and open handles at the
// start and at the end. Budget: RSS growth under 10 MB, no handle left open.
// Not a test: run `node scripts/build.js && node bench/soak.js`. The test helper is not used: its spies
// record every status() and send() call, which a soak would measure instead of our nodes.
'use strict';
const v8 = require('node:v8');
const vm = require('node:vm');
const net = require('node:net');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { startEmbeddedNodeRed } = require('./lib/embedded-node-red');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const STATUS_CALLS = Number(process.env.SOAK_STATUS_CALLS || 10000);
const UPLOADS = Number(process.env.SOAK_UPLOADS || 200);
const IN_FLIGHT = 4;
const RSS_BUDGET_MB = 10;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

/** Faults cycled through the status calls (a block of calls each) and the uploads. */
const STATUS_FAULTS = [null, { status: 503 }, null, { badJson: 'truncated' }, null, { latencyMs: 5 }, null, { status: 500 }, null, { staleNonceAlways: true }];
const UPLOAD_FAULTS = [null, { transferInProgress: true }, null, { resetAfterBytes: 16 * 1024 }, null, { status: 503 }];

function handleCounts() {
  const counts = {};
  for (const hd of process._getActiveHandles()) {
    // stdout and stderr become handles when first written to: not ours to close.
    if (hd instanceof net.Socket && hd._handle && hd._handle.fd >= 0 && hd._handle.fd <= 2) continue;
    const name = hd instanceof net.Socket ? (hd.remotePort ? 'Socket(tcp)' : 'Socket(other)') : hd.constructor.name;
    counts[name] = (counts[name] || 0) + 1;
  }
  return counts;
}

function snapshot(label) {
  gc();
  gc();
  const rss = process.memoryUsage().rss;
  const handles = handleCounts();
  const timers = typeof process.getActiveResourcesInfo === 'function' ? process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length : NaN;
  console.log(`${label}: rss ${(rss / 1048576).toFixed(1)} MB, handles ${JSON.stringify(handles)}, timers ${timers}`);
  return { rss, handles, timers };
}

/**
 * Sends msgs to `nodeId`, `IN_FLIGHT` at a time; each is settled by the node's output or by the Catch
 * node's (both observed by wrapping their send()).
 */
async function drive(RED, nodeId, total, msgFor, onBlock) {
  const counts = { ok: 0, error: 0, codes: {} };
  const node = RED.nodes.getNode(nodeId);
  const catcher = RED.nodes.getNode('soak-catch');
  const sends = [node.send, catcher.send];
  let sent = 0;
  let settled = 0;
  await new Promise((resolve) => {
    const pump = () => {
      while (sent - settled < IN_FLIGHT && sent < total) {
        if (onBlock) onBlock(sent);
        node.receive(msgFor(sent++));
      }
    };
    const settle = (kind, msg) => {
      counts[kind]++;
      if (kind === 'error') counts.codes[msg.error.code] = (counts.codes[msg.error.code] || 0) + 1;
      settled++;
      if (settled < total) return pump();
      [node.send, catcher.send] = sends;
      resolve();
    };
    node.send = (msg) => settle('ok', msg);
    catcher.send = (msg) => (msg.error && msg.error.source && msg.error.source.id === nodeId ? settle('error', msg) : undefined);
    pump();
  });
  return counts;
}

function buildFlow(sim) {
  const flow = [
    { id: 'soak-tab', type: 'tab', label: 'soak' },
    { id: 'soak-printer', type: 'prusalink-printer', name: 'soak', host: sim.host, port: String(sim.port), protocol: 'http', auth: 'digest', timeout: '1', pollInterval: '0.5' },
    { id: 'soak-catch', type: 'catch', z: 'soak-tab', scope: null, uncaught: false, wires: [[]] },
    { id: 'st', type: 'prusalink-status', z: 'soak-tab', printer: 'soak-printer', interval: '0', output: 'poll', topic: '', wires: [[]] },
    { id: 'poll', type: 'prusalink-status', z: 'soak-tab', printer: 'soak-printer', interval: '0.5', output: 'change', topic: '', wires: [[]] },
    { id: 'up', type: 'prusalink-upload', z: 'soak-tab', printer: 'soak-printer', filename: '', folder: '', target: '', overwrite: true, print: false, wires: [[]] },
  ];
  return { flow, credentials: { 'soak-printer': { user: 'maker', password: sim.credentials.password } } };
}

function startNodeRed(sim) {
  const { flow, credentials } = buildFlow(sim);
  return startEmbeddedNodeRed({ flow, credentials, waitFor: ['st', 'up', 'soak-catch'], logLevel: 'off', prefix: 'prusalink-soak-' });
}

/** Unhandled rejections and uncaught exceptions during the run. */
function watchProcess() {
  const seen = [];
  const on = (e) => seen.push(e);
  process.on('unhandledRejection', on);
  process.on('uncaughtException', on);
  return () => {
    process.off('unhandledRejection', on);
    process.off('uncaughtException', on);
    return seen;
  };
}

async function main() {
  const start = snapshot('process start');
  const sim = await startSimulator({ family: 'buddy', speed: 50, discardUploads: true });
  const stopWatching = watchProcess();
  const { RED, stop } = await startNodeRed(sim);
  const body = Buffer.alloc(64 * 1024, 'G1 X1 Y1\n');
  const uploadMsg = (prefix) => (i) => ({ topic: `${prefix}${i}`, payload: body, filename: `soak-${i % 10}.gcode` });
  // The baseline is taken once Node-RED, the flow and the code paths are warm: what grows after it is what a long run keeps.
  await drive(RED, 'st', 500, (i) => ({ topic: `warm-${i}` }));
  await drive(RED, 'up', 20, uploadMsg('warm-'));
  sim.control.clearRequests();
  const warm = snapshot('start of the run (Node-RED and the flow up, warm)');

  // Faults change every `block` calls; the simulator's request log is emptied too, so that it does not count.
  const block = Math.max(1, Math.floor(STATUS_CALLS / (STATUS_FAULTS.length * 5)));
  const faultsEvery = (list, size) => (i) => {
    if (i % size !== 0) return;
    sim.control.clearRequests();
    const f = list[(i / size) % list.length];
    if (f) sim.control.setFaults(f);
    else sim.control.clearFaults();
  };
  const t0 = Date.now();
  const status = await drive(RED, 'st', STATUS_CALLS, (i) => ({ topic: `st-${i}` }), faultsEvery(STATUS_FAULTS, block));
  const uploads = await drive(RED, 'up', UPLOADS, uploadMsg('up-'), faultsEvery(UPLOAD_FAULTS, 10));
  sim.control.clearFaults();
  sim.control.clearRequests();
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const during = snapshot('end of the run (flow still deployed)');
  await stop();
  await sim.stop();
  await sleep(200);
  const end = snapshot('end (Node-RED and the simulator stopped)');
  const problems = stopWatching();

  const growthMb = (during.rss - warm.rss) / 1048576;
  const leftOpen = Object.entries(end.handles).filter(([k, n]) => n > (start.handles[k] || 0));
  console.log(`status calls: ${STATUS_CALLS} (${status.ok} ok, ${status.error} errors ${JSON.stringify(status.codes)})`);
  console.log(`uploads: ${UPLOADS} (${uploads.ok} ok, ${uploads.error} errors ${JSON.stringify(uploads.codes)})`);
  console.log(
    `time ${secs} s; rss growth ${growthMb.toFixed(1)} MB (budget ${RSS_BUDGET_MB}); handles left open: ${leftOpen.length ? JSON.stringify(leftOpen) : 'none'}; ` +
      `timers at start ${start.timers}, at end ${end.timers}; unhandled rejections: ${problems.length}`,
  );
  const ok = growthMb < RSS_BUDGET_MB && leftOpen.length === 0 && end.timers <= start.timers && problems.length === 0;
  console.log(ok ? 'SOAK OK' : 'SOAK FAILED');
  process.exitCode = ok ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
