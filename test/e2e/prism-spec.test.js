// Prusa's own OpenAPI specs as the judge: Stoplight Prism in proxy mode between the client and each simulator
// family, reporting in `sl-violations` what in each request or answer breaks the spec (test/e2e/lib/prism.js).
// - openapi.yaml (v1): Buddy and Pi PrusaLink, a full tour with X-Api-Key, and a short one with Digest (Prism checks
//   Digest by syntax only, shared/spec/SOURCES.md);
// - openapi-legacy.yaml: MINI 4.4.1 (the client's whole tour: it has only the legacy API), and the legacy
//   endpoints of Buddy and Pi PrusaLink (direct requests: the client uses v1 there).
// One Prism process per spec file serves every family of its describe. Every violation, including "route not
// found", fails the test unless prusalink-api.md names the difference (test/e2e/lib/spec-differences.js, each
// with its section). HEAD goes around Prism (HEAD_REASON: Prism's proxy answers 500 to it).
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { root, ensureCache, prerequisites } = require('./lib/env');
const { specDir, loadSpec, startSpecCheck, judge, HEAD_REASON } = require('./lib/prism');
const { addNestedPaths, addApiKeyScheme, oneOfAsAnyOf } = require('./lib/spec-copies');
const { V1, V1_DIGEST, LEGACY } = require('./lib/spec-differences');
const { request } = require('./lib/net');

const SPEC = path.join(specDir(), 'openapi.yaml');
const LEGACY_SPEC = path.join(specDir(), 'openapi-legacy.yaml');
const PASSWORD = 'prism-e2e-password';
const API_KEY = 'prism-e2e-key';

const skip = prerequisites([
  [fs.existsSync(SPEC) && fs.existsSync(LEGACY_SPEC), `Prusa's specs not found in ${specDir()} (set PRUSALINK_SPEC_DIR)`],
  [!ensureCache(['prism']), 'Stoplight Prism missing: node scripts/prepare-e2e.js prism'],
]);

// Digest and X-Api-Key both: one Prism judges the tours of either kind (the spec declares Digest only, §10 security).
const v1Spec = () => oneOfAsAnyOf(addApiKeyScheme(addNestedPaths(loadSpec(SPEC), '/api/v1/files/{storage}/{path}')));
const legacySpec = () => oneOfAsAnyOf(addNestedPaths(loadSpec(LEGACY_SPEC), '/api/files/{target}/{path}', { root: false }));

function load() {
  const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
  const { PrusaLinkClient } = require('@makerflows/node-red-prusalink');
  return { startSimulator, PrusaLinkClient };
}

/** The judgement of one tour: no unexplained violation, HEAD the only request around Prism; the differences met. */
function assertKeepsToSpec(t, exchanges, differences) {
  const { problems, met, bypassed } = judge(exchanges, differences);
  for (const m of met) t.diagnostic(`allowed difference met: ${m}`);
  for (const b of bypassed) t.diagnostic(`not judged: ${b}`);
  assert.deepEqual(problems, [], 'violations that prusalink-api.md does not name');
  assert.deepEqual(exchanges.filter((e) => e.bypassed && e.method !== 'HEAD'), []);
  assert.ok(exchanges.filter((e) => e.bypassed).every((e) => e.bypassed === HEAD_REASON));
  return met;
}

/**
 * Runs `fn` while an upload is under way on `sim`: a PUT sent straight to the simulator (not through Prism, which
 * would wait for the whole body) that has sent part of its declared length; the upload is abandoned afterwards.
 */
async function whileUploading(sim, family, fn) {
  const http = require('node:http');
  const key = family === 'pi' ? API_KEY : PASSWORD;
  const storage = family === 'pi' ? 'local' : 'usb';
  const req = http.request(`${sim.url}/api/v1/files/${storage}/big%20one.gcode`, {
    method: 'PUT',
    agent: false,
    headers: { 'X-Api-Key': key, 'Content-Type': 'text/x.gcode', 'Content-Length': 1_000_000 },
  });
  req.on('error', () => {}); // the abandoned upload ends with a reset
  req.write('G28\n'.repeat(4096));
  try {
    const deadline = Date.now() + 5000;
    while ((await request(`${sim.url}/api/v1/transfer`, { headers: { 'X-Api-Key': key } })).status !== 200) {
      if (Date.now() > deadline) assert.fail('the upload never showed in /api/v1/transfer');
      await new Promise((r) => setTimeout(r, 20));
    }
    return await fn();
  } finally {
    req.destroy();
  }
}

const calls = (exchanges) => new Set(exchanges.map((e) => `${e.method} ${e.path.replace(/^(\/api(\/v1)?\/files\/(usb|local)).+$/, '$1/…')}`));

/** The client's whole v1 tour on `storage` ('/usb' or '/local'). */
async function v1Tour(client, sim, storage) {
  assert.equal((await client.status()).state, 'IDLE');
  assert.equal(await client.job(), null);
  assert.equal(await client.transfer(), null);
  await client.info();
  await client.storage();
  await client.list(storage);
  await client.upload({ buffer: Buffer.from('; prism tour\nG28\nG1 X10 Y10 F3000\n') }, `${storage}/tour.gcode`);
  await client.upload({ buffer: Buffer.from('; to delete\nG28\n') }, `${storage}/scrap.gcode`);
  await client.createFolder(`${storage}/tourdir`);
  await client.upload({ buffer: Buffer.from('; nested\nG28\n') }, `${storage}/tourdir/nested.gcode`);
  await client.list(`${storage}/tourdir`);
  assert.equal((await client.fileInfo(`${storage}/tour.gcode`)).display_name, 'tour.gcode');
  assert.equal(await client.exists(`${storage}/tour.gcode`), true);
  await client.print(`${storage}/tour.gcode`);
  assert.equal((await client.job()).state, 'PRINTING');
  await client.pause();
  assert.equal(sim.control.state, 'PAUSED');
  await client.resume();
  assert.equal(sim.control.state, 'PRINTING');
  await client.stop();
  await client.job();
  await client.status();
  await client.delete(`${storage}/scrap.gcode`);
  await client.delete(`${storage}/tourdir`, { recursive: true });
  // Refused requests, so that error bodies pass Prism too.
  await assert.rejects(client.fileInfo(`${storage}/nope.gcode`), (err) => err.code === 'NOT_FOUND');
  await assert.rejects(client.delete(`${storage}/nope.gcode`), (err) => err.code === 'NOT_FOUND');
}

const V1_CALLS = ['GET /api/version', 'GET /api/v1/status', 'GET /api/v1/job', 'GET /api/v1/info', 'GET /api/v1/storage', 'GET /api/v1/transfer',
  'PUT /api/v1/job/1/pause', 'PUT /api/v1/job/1/resume', 'DELETE /api/v1/job/1'];

describe("the client and the simulators against Prusa's v1 spec, openapi.yaml (Prism proxy)", { skip }, () => {
  let lib;
  let check;
  before(async () => {
    lib = load();
    check = await startSpecCheck(v1Spec(), 'http://127.0.0.1:9');
  });
  after(() => check && check.stop());

  for (const [family, storage] of [['buddy', '/usb'], ['pi', '/local']]) {
    it(`${family}: a full tour with X-Api-Key breaks the spec only where prusalink-api.md says the firmware differs`, async (t) => {
      const sim = await lib.startSimulator({ family, password: PASSWORD, apiKey: API_KEY });
      check.setUpstream(sim.url, family);
      const from = check.exchanges.length;
      const client = new lib.PrusaLinkClient({ host: '127.0.0.1', port: check.port, apiKey: family === 'pi' ? API_KEY : PASSWORD });
      try {
        await v1Tour(client, sim, storage);
        await whileUploading(sim, family, async () => {
          assert.equal((await client.transfer()).display_name, 'big one.gcode');
          await client.status();
        });
      } finally {
        client.close();
        await sim.stop();
      }
      const exchanges = check.exchanges.slice(from);
      const root = storage.replace('/', '');
      const used = calls(exchanges);
      for (const call of [...V1_CALLS, `GET /api/v1/files/${root}`, `GET /api/v1/files/${root}/…`, `PUT /api/v1/files/${root}/…`,
        `POST /api/v1/files/${root}/…`, `DELETE /api/v1/files/${root}/…`,
        // exists() asks the Pi with GET: its HEAD 404 carries a body that breaks HTTP parsing (issue 14.4)
        ...(family === 'pi' ? [] : [`HEAD /api/v1/files/${root}/…`])]) {
        assert.ok(used.has(call), `the tour never made ${call}`);
      }
      assert.deepEqual(exchanges.filter((e) => e.auth !== 'apikey').map((e) => `${e.method} ${e.path}`), [], 'every request should carry X-Api-Key');
      const met = assertKeepsToSpec(t, exchanges, V1);
      // Prism really judged: /api/version lacks the spec's required `version` on both families.
      assert.ok(met.some((m) => m.startsWith('§10 /api/version')), 'Prism reported nothing at all: is it validating?');
    });
  }

  for (const [family, storage] of [['buddy', '/usb'], ['pi', '/local']]) {
    it(`${family}: with Digest, only the challenge and Prism’s syntax-only Digest check differ as well`, async (t) => {
      const sim = await lib.startSimulator({ family, password: PASSWORD });
      check.setUpstream(sim.url, family);
      const from = check.exchanges.length;
      const client = new lib.PrusaLinkClient({ host: '127.0.0.1', port: check.port, user: 'maker', password: PASSWORD });
      try {
        await client.status();
        await client.job();
        await client.list(storage);
      } finally {
        client.close();
        await sim.stop();
      }
      const exchanges = check.exchanges.slice(from);
      assert.ok(exchanges.some((e) => e.auth === 'digest' && e.status === 200), 'no authenticated Digest exchange');
      assertKeepsToSpec(t, exchanges, [...V1, ...V1_DIGEST]);
    });
  }
});

/** Legacy requests made directly (the client uses v1 on Buddy and the Pi), with X-Api-Key. */
async function legacyTour(base, key, storage) {
  const send = async (method, p, body) => (await request(base + p, { method, headers: { 'X-Api-Key': key }, body })).status;
  const statuses = {};
  for (const p of ['/api/version', '/api/printer', '/api/job', '/api/files', `/api/files/${storage}`, `/api/files/${storage}/box.gcode`,
    `/api/files/${storage}/sub/inner.gcode`, '/api/transfer']) {
    statuses[`GET ${p}`] = await send('GET', p);
  }
  const start = storage === 'local' ? { command: 'select', print: true } : { command: 'start' };
  statuses.start = await send('POST', `/api/files/${storage}/box.gcode`, start);
  statuses.pause = await send('POST', '/api/job', { command: 'pause', action: 'pause' });
  statuses.resume = await send('POST', '/api/job', { command: 'pause', action: 'resume' });
  statuses.cancel = await send('POST', '/api/job', { command: 'cancel' });
  statuses.jobAfter = await send('GET', '/api/job');
  statuses.delete = await send('DELETE', `/api/files/${storage}/sub/inner.gcode`);
  statuses.deleteMissing = await send('DELETE', `/api/files/${storage}/nope.gcode`);
  return statuses;
}

describe("the simulators' legacy API against Prusa's openapi-legacy.yaml (Prism proxy)", { skip }, () => {
  let lib;
  let check;
  before(async () => {
    lib = load();
    check = await startSpecCheck(legacySpec(), 'http://127.0.0.1:9');
  });
  after(() => check && check.stop());

  it('mini-legacy: the client’s whole tour breaks the legacy spec only where prusalink-api.md says the firmware differs', async (t) => {
    const sim = await lib.startSimulator({ family: 'mini-legacy', apiKey: API_KEY, files: { 'box.gcode': 'G28\nG1 X1\n' } });
    check.setUpstream(sim.url, 'mini-legacy');
    const from = check.exchanges.length;
    const client = new lib.PrusaLinkClient({ host: '127.0.0.1', port: check.port, apiKey: API_KEY });
    try {
      assert.equal((await client.status()).state, 'IDLE');
      assert.equal(await client.job(), null);
      assert.equal(await client.transfer(), null);
      await client.list('/usb');
      await client.upload({ buffer: Buffer.from('; tour\nG28\nG1 X10\n') }, '/usb/tour.gcode');
      assert.equal((await client.fileInfo('/usb/tour.gcode')).display_name, 'tour.gcode');
      await client.print('/usb/tour.gcode');
      await client.pause();
      await client.resume();
      await client.stop();
      await client.status();
      await client.delete('/usb/box.gcode');
      await assert.rejects(client.delete('/usb/nope.gcode'), (err) => err.code === 'NOT_FOUND');
    } finally {
      client.close();
      await sim.stop();
    }
    const exchanges = check.exchanges.slice(from);
    const used = calls(exchanges);
    for (const call of ['GET /api/version', 'GET /api/printer', 'GET /api/job', 'POST /api/job', 'GET /api/files', 'POST /api/files/local',
      'POST /api/files/usb/…', 'DELETE /api/files/usb/…']) {
      assert.ok(used.has(call), `the tour never made ${call}`);
    }
    assertKeepsToSpec(t, exchanges, LEGACY);
  });

  for (const [family, storage] of [['buddy', 'usb'], ['pi', 'local']]) {
    it(`${family}: the legacy endpoints break the legacy spec only where prusalink-api.md says the firmware differs`, async (t) => {
      const sim = await lib.startSimulator({ family, password: PASSWORD, apiKey: API_KEY, files: { 'box.gcode': 'G28\nG1 X1\n', 'sub/inner.gcode': 'G28\n' } });
      check.setUpstream(sim.url, family);
      const from = check.exchanges.length;
      let statuses;
      try {
        statuses = await legacyTour(check.url, family === 'pi' ? API_KEY : PASSWORD, storage);
        const key = family === 'pi' ? API_KEY : PASSWORD;
        statuses.transferRunning = await whileUploading(sim, family, async () =>
          (await request(`${check.url}/api/transfer`, { headers: { 'X-Api-Key': key } })).status);
      } finally {
        await sim.stop();
      }
      // prusalink-api.md §6: every one of these exists on both families; /api/transfer is 204 when idle.
      assert.deepEqual(statuses, {
        'GET /api/version': 200, 'GET /api/printer': 200, 'GET /api/job': 200, 'GET /api/files': 200, [`GET /api/files/${storage}`]: 200,
        [`GET /api/files/${storage}/box.gcode`]: 200, [`GET /api/files/${storage}/sub/inner.gcode`]: 200, 'GET /api/transfer': 204,
        start: 204, pause: 204, resume: 204, cancel: 204, jobAfter: 200, delete: 204, deleteMissing: 404, transferRunning: 200,
      });
      assertKeepsToSpec(t, check.exchanges.slice(from), LEGACY);
    });
  }
});
