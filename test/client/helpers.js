'use strict';
// Shared set-up for the client's integration tests: a simulator of one family and a client with its credentials.
const simulator = require('@makerflows/node-red-prusalink/sim');
const { withTestGeneration } = require('../lib/buddy-generation');

/** The simulator, on the Buddy generation PRUSALINK_TEST_BUDDY_FIRMWARE asks for (default: the newest). */
const startSimulator = (opts) => simulator.startSimulator(withTestGeneration(opts));
const { PrusaLinkClient, PrusaLinkError } = require('@makerflows/node-red-prusalink');
const assert = require('node:assert/strict');

// No stand-in when this fails to load: a 3-line file would quietly turn every upload test into a test of a tiny file.
const sampleGcode = require('@makerflows/node-red-prusalink/sim').makeSampleGcode;

/** A client with the family's usual credentials (Digest; an API key on MINI 4.4.1), `over` merged in. */
function clientFor(sim, over = {}) {
  const creds =
    sim.family === 'mini-legacy'
      ? { apiKey: sim.credentials.apiKey }
      : { user: sim.credentials.user, password: sim.credentials.password };
  return new PrusaLinkClient({ host: sim.url, ...creds, ...over });
}

async function withSim(simOpts, fn) {
  const sim = await startSimulator(simOpts);
  const clients = [];
  const make = (over) => {
    const c = clientFor(sim, over);
    clients.push(c);
    return c;
  };
  try {
    return await fn(sim, make);
  } finally {
    for (const c of clients) c.close();
    await sim.stop();
  }
}

async function rejectsWith(promise, code, re) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof PrusaLinkError, `expected PrusaLinkError, got ${e && e.stack}`);
    assert.equal(e.code, code, `code ${e.code} (${e.message})`);
    if (re) assert.match(e.message, re);
    return e;
  }
  assert.fail(`expected ${code}, resolved`);
}

/** Polls until `fn` returns truthy (the simulated printer moves on its own clock). */
async function eventually(fn, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail('condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const FAMILIES = ['buddy', 'pi', 'mini-legacy'];

module.exports = { withSim, clientFor, rejectsWith, eventually, sampleGcode, FAMILIES, startSimulator, PrusaLinkClient, PrusaLinkError };
