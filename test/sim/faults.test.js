'use strict';
const { describe, it, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const net = require('node:net');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');
const { request, parseChallenge, buddyAuthorization, buddyNonce, waitFor, startUpload, control } = require('./helpers');

const KEY = { 'X-Api-Key': 'password', Accept: 'application/json' };

describe('faults (buddy)', () => {
  let p;
  before(async () => {
    p = await startSimulator({ family: 'buddy', files: { 'a.gcode': makeSampleGcode({ printSeconds: 3600 }) } });
  });
  after(() => p.stop());
  beforeEach(() => {
    p.control.clearFaults();
    p.control.setState('IDLE');
  });
  const get = (path) => request(p.url, path, { headers: KEY });

  it('latencyMs delays answers (they still arrive)', async () => {
    p.control.setFaults({ latencyMs: 50 });
    const t0 = Date.now();
    assert.equal((await get('/api/version')).status, 200);
    assert.ok(Date.now() - t0 >= 45);
  });

  it('status 500 / 503 answers every API request', async () => {
    const paths = ['/api/version', '/api/v1/info', '/api/v1/status', '/api/v1/job', '/api/v1/storage', '/api/v1/transfer', '/api/v1/files/usb', '/api/printer', '/api/job', '/api/files'];
    for (const status of [503, 500]) {
      p.control.setFaults({ status });
      const answers = [];
      for (const path of paths) answers.push(`${path} ${(await get(path)).status}`);
      answers.push(`/api/version without credentials ${(await request(p.url, '/api/version')).status}`);
      assert.deepEqual(answers, [...paths.map((path) => `${path} ${status}`), `/api/version without credentials ${status}`]);
    }
  });

  it('badJson malformed and truncated bodies do not parse; hugeResponseBytes pads a valid answer', async () => {
    p.control.setFaults({ badJson: 'malformed' });
    const m = await get('/api/v1/status');
    assert.throws(() => JSON.parse(m.text));
    p.control.setFaults({ badJson: 'truncated' });
    const t = await get('/api/v1/status');
    assert.equal(t.status, 200);
    assert.throws(() => JSON.parse(t.text));
    p.control.setFaults({ hugeResponseBytes: 2_000_000 });
    const big = await get('/api/v1/status');
    assert.equal(big.body.length, 2_000_000, 'padded to exactly hugeResponseBytes');
    assert.equal(big.json().printer.state, 'IDLE');
  });

  it('slowBodyMs sends the body in small pieces (complete in the end)', async () => {
    p.control.setFaults({ slowBodyMs: 1 });
    const url = new URL(p.url);
    const chunks = await new Promise((resolve, reject) => {
      http.get({ host: url.hostname, port: url.port, path: '/api/version', headers: KEY, agent: false }, (res) => {
        const parts = [];
        res.on('data', (c) => parts.push(c));
        res.on('end', () => resolve(parts));
      }).on('error', reject);
    });
    assert.ok(chunks.length > 3);
    assert.equal(JSON.parse(Buffer.concat(chunks).toString()).api, '2.0.0');
  });

  it('transferInProgress: uploads get 409 Another transfer in progress', async () => {
    p.control.setFaults({ transferInProgress: true });
    const r = await request(p.url, '/api/v1/files/usb/x.gcode', { method: 'PUT', headers: { ...KEY, 'Content-Length': 4 }, body: 'G28\n' });
    assert.equal(r.status, 409);
    assert.match(r.text, /Another transfer in progress/);
  });

  it('resetAfterBytes destroys the connection mid-upload and keeps no file', async () => {
    p.control.setFaults({ resetAfterBytes: 500 });
    const u = startUpload(p.url, '/api/v1/files/usb/reset.gcode', { headers: KEY, length: 5000 });
    const outcome = u.response.then(() => 'answered', () => 'error');
    await u.write(Buffer.alloc(1000, 0x20));
    const closed = await Promise.race([outcome, new Promise((r) => setTimeout(() => r('closed'), 300))]);
    assert.notEqual(closed, 'answered');
    u.destroy();
    await waitFor(async () => (await get('/api/v1/transfer')).status === 204);
    assert.equal(p.control.readFile('reset.gcode'), undefined);
  });

  it('printAfterUploadTrap: error status although the file is stored and the print started', async () => {
    p.control.setFaults({ printAfterUploadTrap: 404 });
    const r = await request(p.url, '/api/v1/files/usb/trap.gcode', {
      method: 'PUT',
      headers: { ...KEY, 'Content-Length': 4, 'Print-After-Upload': '?1' },
      body: 'G28\n',
    });
    assert.equal(r.status, 404);
    assert.equal(p.control.readFile('trap.gcode').toString(), 'G28\n', 'the file was stored whole');
    assert.equal((await get('/api/v1/status')).json().printer.state, 'PRINTING');
  });

  it('staleNonceAlways: a correct Digest answer gets stale=true once, the retry works', async () => {
    p.control.setFaults({ staleNonceAlways: true });
    const nonce = await buddyNonce(p.url);
    const first = await request(p.url, '/api/version', { headers: { Authorization: buddyAuthorization('password', nonce, 'GET', '/api/version') } });
    assert.equal(first.status, 401);
    const c = parseChallenge(first.headers['www-authenticate']);
    assert.equal(c.stale, 'true');
    const retry = await request(p.url, '/api/version', { headers: { Authorization: buddyAuthorization('password', c.nonce, 'GET', '/api/version') } });
    assert.equal(retry.status, 200);
    const wrong = await request(p.url, '/api/version', { headers: { Authorization: buddyAuthorization('bad', c.nonce, 'GET', '/api/version') } });
    assert.equal(parseChallenge(wrong.headers['www-authenticate']).stale, 'false');
  });

  it('hang: requests are accepted and never answered; stop() still ends them', async () => {
    const q = await startSimulator({ family: 'buddy' });
    q.control.setFaults({ hang: true });
    const url = new URL(q.url);
    const req = http.get({ host: url.hostname, port: url.port, path: '/api/version', headers: KEY, agent: false });
    const ended = new Promise((resolve) => {
      req.on('error', () => resolve('error'));
      req.on('response', () => resolve('response'));
    });
    await waitFor(() => q.control.requests().length === 1);
    assert.equal(q.control.requests()[0].status, 0);
    await q.stop();
    assert.equal(await ended, 'error');
  });

  it('refuse(): connections are refused; listen() serves again on the same port', async () => {
    await p.control.refuse();
    const err = await new Promise((resolve) => {
      const s = net.connect(p.port, '127.0.0.1');
      s.on('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.on('error', (e) => resolve(e.code));
    });
    assert.equal(err, 'ECONNREFUSED');
    await p.control.listen();
    assert.equal((await get('/api/version')).status, 200);
  });

  it('unknown faults are refused', () => {
    assert.throws(() => p.control.setFaults({ nope: true }), /unknown fault/);
  });
});

describe('control endpoints over HTTP', () => {
  let p;
  before(async () => {
    p = await startSimulator({ family: 'buddy', speed: 10, files: { 'a.gcode': makeSampleGcode({ printSeconds: 3600 }) } });
  });
  after(() => p.stop());

  it('403 without the right X-Sim-Token, and control calls are not recorded', async () => {
    p.control.clearRequests();
    assert.equal((await control(p, 'state', { method: 'GET', token: 'wrong' })).status, 403);
    assert.equal((await request(p.url, '/_sim/state')).status, 403);
    assert.equal(p.control.requests().length, 0);
  });

  it('state, print, faults, requests, files, main-screen, speed, reboot', async () => {
    assert.deepEqual((await control(p, 'state', { method: 'GET' })).json(), { state: 'IDLE' });
    assert.equal((await control(p, 'print', { body: { path: 'a.gcode' } })).status, 200);
    assert.equal((await control(p, 'state', { method: 'GET' })).json().state, 'PRINTING');
    assert.equal((await control(p, 'filament-runout')).status, 200);
    assert.equal(p.control.state, 'ATTENTION');
    assert.equal((await control(p, 'state', { body: { state: 'ERROR', reason: 'thermal' } })).status, 200);
    assert.equal(p.control.state, 'ERROR');
    assert.equal((await control(p, 'state', { body: { state: 'NOPE' } })).status, 400);
    await control(p, 'state', { body: { state: 'IDLE' } });
    assert.equal((await control(p, 'faults', { body: { status: 503 } })).status, 200);
    assert.equal((await request(p.url, '/api/version', { headers: KEY })).status, 503);
    assert.equal((await control(p, 'faults', { method: 'DELETE' })).status, 200);
    assert.equal((await request(p.url, '/api/version', { headers: KEY })).status, 200);
    const recs = (await control(p, 'requests', { method: 'GET' })).json();
    // The last two API requests: the one the 503 fault answered, and the one after the faults were cleared.
    assert.deepEqual(recs.slice(-2).map((r) => [r.method, r.path, r.status]), [['GET', '/api/version', 503], ['GET', '/api/version', 200]]);
    assert.ok(recs.every((r) => r.path.startsWith('/api')));
    await control(p, 'requests', { method: 'DELETE' });
    assert.equal(p.control.requests().length, 0);
    assert.equal((await control(p, 'files/sub%20dir/new.gcode', { method: 'PUT', body: Buffer.from('G28\n') })).status, 200);
    assert.ok((await control(p, 'files', { method: 'GET' })).json().includes('sub dir/new.gcode'));
    assert.equal((await control(p, 'main-screen', { body: { onMain: false } })).status, 200);
    assert.equal((await control(p, 'speed', { body: { speed: 5 } })).status, 200);
    assert.equal((await control(p, 'speed', { body: { speed: -1 } })).status, 400);
    const before = await buddyNonce(p.url);
    assert.equal((await control(p, 'reboot')).status, 200);
    assert.notEqual((await buddyNonce(p.url)).slice(0, 8), before.slice(0, 8));
    assert.equal((await control(p, 'nothing', { method: 'GET' })).status, 404);
  });
});

describe('recording', () => {
  it('keeps at most 10,000 requests', async () => {
    const p = await startSimulator({ family: 'mini-legacy' });
    try {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 3 });
      for (let i = 0; i < 10_050; i += 50) {
        await Promise.all(Array.from({ length: 50 }, () => request(p.url, '/api/version', { agent })));
      }
      agent.destroy();
      assert.equal(p.control.requests().length, 10_000);
    } finally {
      await p.stop();
    }
  });
});

describe('discardUploads', () => {
  it('reads and throws away upload bodies, still recording their size', async () => {
    const p = await startSimulator({ family: 'buddy', discardUploads: true });
    try {
      const body = Buffer.alloc(3 * 1024 * 1024, 0x20);
      const r = await request(p.url, '/api/v1/files/usb/big.gcode', { method: 'PUT', headers: { ...KEY, 'Content-Length': body.length }, body });
      assert.equal(r.status, 201);
      assert.deepEqual(p.control.listFiles(), ['big.gcode']);
      assert.equal(p.control.requests().at(-1).bodyBytes, body.length);
      const info = (await request(p.url, '/api/v1/files/usb/big.gcode', { headers: KEY })).json();
      assert.equal(info.size, body.length);
    } finally {
      await p.stop();
    }
  });
});

describe('filesDir', () => {
  it('serves files from a real folder and writes uploads there', async () => {
    const fs = require('node:fs');
    const os = require('node:os');
    const path = require('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simfiles-'));
    fs.writeFileSync(path.join(dir, 'seed.gcode'), 'G28\n');
    const p = await startSimulator({ family: 'pi', filesDir: dir, apiKey: 'k' });
    try {
      const h = { 'X-Api-Key': 'k', Accept: 'application/json' };
      assert.equal((await request(p.url, '/api/v1/files/local/seed.gcode', { headers: h })).status, 200);
      const r = await request(p.url, '/api/v1/files/local/up.gcode', {
        method: 'PUT', headers: { ...h, 'Content-Type': 'text/x.gcode', 'Content-Length': 3 }, body: 'M84',
      });
      assert.equal(r.status, 201);
      assert.equal(fs.readFileSync(path.join(dir, 'up.gcode'), 'utf8'), 'M84');
    } finally {
      await p.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
