'use strict';
// Shared set-up for the sync tests: a simulated printer, a client for it, and a local folder built from a map.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { PrusaLinkClient } = require('@makerflows/node-red-prusalink');

async function startPrinter(family, options = {}) {
  const sim = await startSimulator({ family, ...options });
  const client = new PrusaLinkClient({ host: sim.url, ...sim.credentials });
  return { sim, client };
}

function makeLocalFolder(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-sync-'));
  for (const [rel, content] of Object.entries(files)) writeLocal(dir, rel, content);
  return dir;
}

function writeLocal(dir, rel, content) {
  const abs = path.join(dir, ...rel.split('/'));
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  return abs;
}

/** A G-code body of a given size (the printer only checks the extension). */
function gcode(label, size = 200) {
  const head = `; ${label}\nG28\n`;
  return head + 'G1 X1\n'.repeat(Math.max(0, Math.ceil((size - head.length) / 6)));
}

/** Requests that write or start something on the printer. */
function writes(sim) {
  return sim.control.requests().filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
}

/** Every request is a GET of a file listing (v1 files or legacy files). */
function onlyListings(sim) {
  const reqs = sim.control.requests();
  const others = reqs.filter((r) => !(r.method === 'GET' && /^\/api\/(v1\/)?files(\/|$)/.test(r.path)));
  return { count: reqs.length, others: others.map((r) => `${r.method} ${r.url}`) };
}

module.exports = { startPrinter, makeLocalFolder, writeLocal, gcode, writes, onlyListings };
