'use strict';
// The package's own entry point, as `require('@makerflows/node-red-prusalink')` resolves it (package.json `main`).
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const pkg = require('../../package.json');

describe('package entry point', () => {
  const entry = require(path.resolve(__dirname, '../..', pkg.main));

  it('exports the client, its error type, the sync, the metadata reader and the simulator', () => {
    for (const name of ['PrusaLinkClient', 'PrusaLinkError', 'isPrusaLinkError', 'syncFolder', 'readMetadata', 'checkCompatibility', 'startSimulator', 'startSimulators']) {
      assert.equal(typeof entry[name], 'function', name);
    }
  });

  it('a client from the entry point talks to a simulator from the entry point', async () => {
    const sim = await entry.startSimulator({ family: 'buddy', password: 'entry-pass' });
    const client = new entry.PrusaLinkClient({ host: sim.url, password: 'entry-pass' });
    try {
      const status = await client.status();
      assert.equal(status.state, 'IDLE');
      const profile = await client.detect();
      assert.equal(profile.family, 'buddy');
    } finally {
      client.close();
      await sim.stop();
    }
  });

  it('declares a types entry that the build produces', () => {
    assert.ok(pkg.types && require('node:fs').existsSync(path.resolve(__dirname, '../..', pkg.types)));
  });
});
