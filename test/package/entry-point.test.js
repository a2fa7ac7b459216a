'use strict';
// The package's entry points, as a user's `require` resolves them through package.json's `exports` map: the client
// at `@makerflows/node-red-prusalink`, the sync, the metadata reader and the simulator at their own subpaths.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const pkg = require('../../package.json');

const NAME = '@makerflows/node-red-prusalink';

describe('package entry point', () => {
  const entry = require(NAME);
  const sim = require(`${NAME}/sim`);
  const NAMES_BY_ENTRY = {
    [NAME]: ['PrusaLinkClient', 'PrusaLinkError', 'isPrusaLinkError'],
    [`${NAME}/sync`]: ['syncFolder'],
    [`${NAME}/metadata`]: ['readMetadata', 'checkCompatibility'],
    [`${NAME}/sim`]: ['startSimulator', 'startSimulators'],
  };

  it('exports the client, its error type, the sync, the metadata reader and the simulator', () => {
    for (const [from, names] of Object.entries(NAMES_BY_ENTRY)) {
      const mod = require(from);
      for (const name of names) assert.equal(typeof mod[name], 'function', name);
    }
  });

  it('a client from the entry point talks to a simulator from the entry point', async () => {
    const printer = await sim.startSimulator({ family: 'buddy', password: 'entry-pass' });
    const client = new entry.PrusaLinkClient({ host: printer.url, password: 'entry-pass' });
    try {
      const status = await client.status();
      assert.equal(status.state, 'IDLE');
      const profile = await client.detect();
      assert.equal(profile.family, 'buddy');
    } finally {
      client.close();
      await printer.stop();
    }
  });

  it('declares a types entry that the build produces', () => {
    assert.ok(pkg.types && require('node:fs').existsSync(path.resolve(__dirname, '../..', pkg.types)));
  });
});
