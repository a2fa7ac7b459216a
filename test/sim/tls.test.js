'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startSimulator, startSimulators } = require('../../dist/sim');
const { request } = require('./helpers');

function makeCert() {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simtls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const tls = makeCert();

describe('HTTPS', { skip: tls ? false : 'openssl not available' }, () => {
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
