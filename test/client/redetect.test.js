'use strict';
// The client detects the printer's family again when the printer it knew is gone (unreachable) or answers in a way
// that no longer fits (a v1 endpoint it had answers 404, as after a firmware change). Here the printer behind one
// address is swapped for one of another family, with the same API key.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { PrusaLinkClient } = require('@makerflows/node-red-prusalink');

const KEY = 'swap-key-1234';
const simOf = (family, port) =>
  startSimulator(family === 'buddy' ? { family, port, password: KEY } : { family, port, apiKey: KEY });

describe('detection after the printer changed', () => {
  it('a v1 endpoint answering 404 (Buddy replaced by MINI 4.4.1 between two calls) leads to a new detection', async () => {
    let sim = await simOf('buddy', 0);
    const port = sim.port;
    const client = new PrusaLinkClient({ host: '127.0.0.1', port, apiKey: KEY });
    try {
      assert.equal((await client.detect()).family, 'buddy');
      assert.equal((await client.status()).state, 'IDLE');
      await sim.stop();
      sim = await simOf('mini-legacy', port);
      const status = await client.status();
      assert.equal(status.state, 'IDLE');
      assert.equal((await client.detect()).family, 'mini-legacy');
      // The cached Buddy profile asks v1 status; the MINI answers 404 (facts §3, step 4), so the client detects
      // again (version) and asks the legacy endpoints (§6); the detect() after it uses the new profile, no request.
      assert.deepEqual(
        sim.control.requests().map((r) => `${r.method} ${r.path} ${r.status}`),
        ['GET /api/v1/status 404', 'GET /api/version 200', 'GET /api/printer 200', 'GET /api/job 200'],
      );
    } finally {
      client.close();
      await sim.stop();
    }
  });

  it('after UNREACHABLE the next call detects again (Buddy gone, a Pi PrusaLink answers later)', async () => {
    let sim = await simOf('buddy', 0);
    const port = sim.port;
    const client = new PrusaLinkClient({ host: '127.0.0.1', port, apiKey: KEY });
    try {
      assert.equal((await client.detect()).family, 'buddy');
      await sim.stop();
      await assert.rejects(client.status(), (e) => e.code === 'UNREACHABLE');
      sim = await simOf('pi', port);
      assert.equal((await client.status()).state, 'IDLE');
      assert.equal((await client.detect()).family, 'pi');
    } finally {
      client.close();
      await sim.stop();
    }
  });
});
