'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startSimulator, startSimulators } = require('@makerflows/node-red-prusalink/sim');
const { request } = require('./helpers');

// The self-signed certificate for 127.0.0.1 committed beside the client tests (valid until 2126): a test that
// made its own with openssl had to skip where openssl is missing, and a skipped test catches nothing.
const FIXTURES = path.join(__dirname, '..', 'client', 'fixtures');
const tls = { key: fs.readFileSync(path.join(FIXTURES, 'selfsigned.key')), cert: fs.readFileSync(path.join(FIXTURES, 'selfsigned.crt')) };

describe('HTTPS', () => {
  let p;
  before(async () => {
    p = await startSimulator({ family: 'buddy', tls });
  });
  after(() => p.stop());

  it('serves the API over TLS with the given certificate', async () => {
    assert.match(p.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const r = await request(p.url, '/api/version', { headers: { 'X-Api-Key': 'password' }, ca: tls.cert });
    assert.equal(r.status, 200);
    assert.equal(r.json().text, 'PrusaLink');
  });
});

describe('startSimulators', () => {
  let printers;
  before(async () => {
    printers = await startSimulators(3, { family: 'mini-legacy' });
  });
  after(() => Promise.all(printers.map((p) => p.stop())));

  it('gives distinct printers sharing one control token', async () => {
    assert.equal(new Set(printers.map((p) => p.port)).size, 3);
    assert.equal(new Set(printers.map((p) => p.controlToken)).size, 1);
    for (const p of printers) {
      const v = (await request(p.url, '/api/version', { headers: { 'X-Api-Key': 'apikey' } })).json();
      assert.equal(v.text, 'PrusaLink MINI');
    }
  });

  it('rejects bad options', async () => {
    await assert.rejects(startSimulator({ family: 'octoprint' }), /unknown simulator family/);
    await assert.rejects(startSimulator({ family: 'buddy', port: 70000 }), /port out of range/);
  });
});
