'use strict';
// Shared set-up for the queue engine tests: a simulated printer, a client, a queue over a temporary folder, and
// waiting for what the queue says.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { PrusaLinkClient } = require('@makerflows/node-red-prusalink');
const { PrintQueue, fileQueueStorage } = require('@makerflows/node-red-prusalink/queue');

/** A printed file of the simulator lasts 600 simulated seconds by default: at this speed, 0.3 s. */
const SPEED = 2000;
const POLL_MS = 40;

/** A G-code body (the printer only checks the extension). */
function gcode(label) {
  return `; ${label}\nG28\nG1 X1\n`;
}

async function startPrinter(family, options = {}) {
  const sim = await startSimulator({ family, speed: SPEED, ...options });
  const client = new PrusaLinkClient({ host: sim.url, ...sim.credentials, timeout: 2000 });
  return { sim, client };
}

function tempDir(prefix = 'prusalink-queue-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A queue that records its snapshots and events. */
function makeQueue(client, dir, options = {}) {
  const queue = new PrintQueue({ client, storage: fileQueueStorage(dir), bedClear: 'printer', pollMs: POLL_MS, ...options });
  const events = [];
  const changes = [];
  const errors = [];
  queue.on('event', (e) => events.push(e));
  queue.on('change', (s) => changes.push(s));
  queue.on('error', (e) => errors.push(e));
  return { queue, events, changes, errors };
}

/** Resolves when `check()` is truthy; fails after `ms` with `what` and the last value. */
async function waitFor(what, check, ms = 8000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Print starts the printer received: POSTs to a file (start) and uploads asking for a print. */
function startRequests(sim) {
  return sim.control.requests().filter((r) => {
    if (r.method === 'POST' && /^\/api\/(v1\/)?files\//.test(r.path)) return true;
    if (r.method === 'PUT' && /^\/api\/v1\/files\//.test(r.path)) return true;
    return false;
  });
}

/** Start requests the printer accepted (2xx). */
function acceptedStarts(sim) {
  return startRequests(sim).filter((r) => r.status >= 200 && r.status < 300);
}

/** What the printer is asked beyond reading: every request that is not a GET or HEAD. */
function writes(sim) {
  return sim.control.requests().filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
}

/** Plays the user who clears the bed and confirms on the printer's screen whenever the queue waits for it. */
function autoClearBed(sim, queue) {
  queue.on('event', (e) => {
    if (e.event === 'waiting-for-bed-clear') setTimeout(() => sim.control.setState('IDLE'), 20);
  });
}

const names = (events, name) => events.filter((e) => e.event === name);

module.exports = { SPEED, POLL_MS, gcode, startPrinter, tempDir, makeQueue, waitFor, startRequests, acceptedStarts, writes, names, autoClearBed };
