'use strict';
// Each fault of the simulator, met by the nodes over real HTTP in the real Node-RED runtime of the test
// helper: a flow request fails with an error a Catch node receives (the printer and the cause in words,
// the client's code), a red ring with a short reason, no unhandled rejection, no socket left open, and
// once the fault is gone the nodes work again without a redeploy, the log holding one warning for the
// outage and one for the recovery.
const { CATCH_HAS_CODE } = require('../lib/node-red-runtime');
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./lib/harness');

const RED_RING = (reason) => ({ fill: 'red', shape: 'ring', text: h.NS + 'reason.' + reason });

/** A status node polling every 0.5 s, a files node for flow requests, both feeding helper nodes. */
function faultFlow(sim, printerExtra = {}) {
  return h.flowWith(
    sim,
    [
      { id: 'st', type: 'prusalink-status', interval: '0.5', output: 'poll', wires: [['polled']] },
      { id: 'polled', type: 'helper', z: 'f1' },
      { id: 'fl', type: 'prusalink-files', mode: 'list', path: '', recursive: false, wires: [['listed']] },
      { id: 'listed', type: 'helper', z: 'f1' },
    ],
    { timeout: '0.5', ...printerExtra },
  );
}

const caughtFrom = (id) => (msg) => msg.error && msg.error.source && msg.error.source.id === id;
const isGreen = (node) => {
  const s = h.lastStatus(node);
  return s && s.fill === 'green' && s.shape === 'dot';
};

/** Fault cases whose outage the poller sees; `on` breaks the printer, `off` mends it. */
const OUTAGES = [
  { name: 'printer refuses the connection', on: (sim) => sim.control.refuse(), off: (sim) => sim.control.listen(), code: 'UNREACHABLE', words: /connection (refused|reset)/, reason: 'offline' },
  { name: 'printer hangs (accepts, never answers)', faults: { hang: true }, code: 'TIMEOUT', words: /did not answer/, reason: 'timeout' },
  { name: 'HTTP 500 answers', faults: { status: 500 }, code: 'SERVER_ERROR', words: /internal error/, reason: 'error' },
  { name: 'HTTP 503 answers', faults: { status: 503 }, code: 'SERVER_ERROR', words: /not ready/, reason: 'error' },
  { name: 'malformed JSON', faults: { badJson: 'malformed' }, code: 'PROTOCOL', words: /malformed JSON/, reason: 'error' },
  { name: 'truncated JSON', faults: { badJson: 'truncated' }, code: 'PROTOCOL', words: /malformed JSON/, reason: 'error' },
  { name: 'a response far larger than any real one (9 MiB)', faults: { hugeResponseBytes: 9 * 1024 * 1024 }, code: 'PROTOCOL', words: /larger than \d+ bytes/, reason: 'error' },
  { name: 'a body so slow it passes the timeout', faults: { slowBodyMs: 60 }, code: 'TIMEOUT', words: /did not answer/, reason: 'timeout' },
];

describe('faults at the level of the nodes (Buddy over real HTTP)', () => {
  let sim;
  let watch;
  beforeEach(async () => {
    sim = await h.startSimulator({ family: 'buddy', speed: 50, files: { 'box.gcode': 'G28\n' } });
    await h.startServer();
    watch = h.watchProcess();
  });
  afterEach(async () => {
    await h.stopServer();
    assert.equal(await h.socketsLeftTo(sim.port), 0, 'no socket to the printer left open once the flow is gone');
    await sim.stop();
    assert.deepEqual(watch.stop(), [], 'no unhandled rejection or uncaught exception');
  });

  for (const c of OUTAGES) {
    it(`${c.name}: Catch gets ${c.code} with the printer and the cause, red ring, one warning each way, recovers by itself`, async () => {
      const { flow, credentials } = faultFlow(sim);
      await h.load(flow, credentials);
      const [printer, st, fl] = ['printer1', 'st', 'fl'].map((id) => h.helper.getNode(id));
      const caught = h.collect('caught');
      await h.nextMsg('polled');

      if (c.on) await c.on(sim);
      else sim.control.setFaults(c.faults);

      // A flow request fails: one catchable error naming the printer and the cause.
      const gotCaught = h.nextMsg('caught', 8000, caughtFrom('fl'));
      fl.receive({ topic: 'ask', payload: 'list' });
      const err = (await gotCaught).error;
      if (CATCH_HAS_CODE) assert.equal(err.code, c.code);
      assert.ok(err.message.includes(`127.0.0.1:${sim.port}`), `names the printer: ${err.message}`);
      assert.match(err.message, c.words);
      assert.deepEqual(h.lastStatus(fl), RED_RING(c.reason));

      // The poller declares the outage once, shows it, and backs off.
      await h.waitFor(() => h.warnings(printer).length >= 1, 8000, 'the offline warning');
      await h.waitFor(() => h.lastStatus(st).fill === 'red', 3000, 'the status node red');
      assert.deepEqual(h.lastStatus(st), RED_RING(c.reason));

      if (c.off) await c.off(sim);
      else sim.control.clearFaults();
      await h.waitFor(() => isGreen(st), 8000, 'the status node green again');

      const logged = h.warnings(printer);
      assert.equal(logged.length, 2, logged.join('\n'));
      assert.match(logged[0], /prusalink-printer\.log\.offline/);
      assert.match(logged[1], /prusalink-printer\.log\.online/);
      assert.equal(caught.filter(caughtFrom('st')).length, 1, 'the background outage reaches Catch once');
      assert.equal(caught.filter(caughtFrom('fl')).length, 1);

      // The flow request works again, without a redeploy.
      const listed = h.nextMsg('listed');
      fl.receive({ payload: 'list' });
      assert.deepEqual((await listed).payload.map((e) => e.display_name), ['box.gcode']);
      assert.ok(isGreen(fl));
    });
  }

  it('a slow body within the timeout succeeds', async () => {
    const { flow, credentials } = faultFlow(sim, { timeout: '5' });
    flow.find((n) => n.id === 'st').interval = '0';
    await h.load(flow, credentials);
    const warm = h.nextMsg('listed');
    h.helper.getNode('fl').receive({});
    await warm;
    sim.control.setFaults({ slowBodyMs: 2 });
    const listed = h.nextMsg('listed');
    h.helper.getNode('fl').receive({});
    assert.deepEqual((await listed).payload.map((e) => e.display_name), ['box.gcode']);
  });

  it('stale nonces on every request are no error: one retry per request, then success', async () => {
    const { flow, credentials } = faultFlow(sim);
    flow.find((n) => n.id === 'st').interval = '0';
    await h.load(flow, credentials);
    const st = h.helper.getNode('st');
    const first = h.nextMsg('polled');
    st.receive({});
    await first; // detection and the Digest challenge are behind us
    sim.control.setFaults({ staleNonceAlways: true });
    sim.control.clearRequests();
    const caught = h.collect('caught');
    const got = h.nextMsg('polled');
    st.receive({});
    assert.equal((await got).payload.state, 'IDLE');
    const seen = h.apiRequests(sim);
    assert.deepEqual(
      seen.map((r) => [r.path, r.status]),
      [
        ['/api/v1/status', 401],
        ['/api/v1/status', 200],
      ],
    );
    assert.equal(caught.length, 0);
  });

  it('409 "another transfer in progress": the upload reaches Catch as TRANSFER_IN_PROGRESS, busy ring, polling unaffected', async () => {
    const { flow, credentials } = faultFlow(sim);
    flow.push({ id: 'up', type: 'prusalink-upload', z: 'f1', printer: 'printer1', filename: '', folder: '', target: '', overwrite: false, print: false, wires: [['uploaded']] });
    flow.push({ id: 'uploaded', type: 'helper', z: 'f1' });
    await h.load(flow, credentials);
    await h.nextMsg('polled');
    sim.control.setFaults({ transferInProgress: true });
    const out = h.collect('uploaded');
    const caught = h.nextMsg('caught', 8000, caughtFrom('up'));
    h.helper.getNode('up').receive({ payload: Buffer.from('G28\n'.repeat(1000)), filename: 'a.gcode' });
    const err = (await caught).error;
    if (CATCH_HAS_CODE) assert.equal(err.code, 'TRANSFER_IN_PROGRESS');
    assert.match(err.message, /another transfer/i);
    assert.ok(err.message.includes(`127.0.0.1:${sim.port}`));
    assert.deepEqual(h.lastStatus(h.helper.getNode('up')), RED_RING('busy'));
    assert.equal(out.length, 0);
    assert.deepEqual(sim.control.listFiles(), ['box.gcode'], 'the refused upload stored nothing');
    sim.control.clearFaults();
    const done = h.nextMsg('uploaded');
    h.helper.getNode('up').receive({ payload: Buffer.from('G28\n'.repeat(1000)), filename: 'a.gcode' });
    assert.equal((await done).payload.printStarted, false);
    assert.ok(isGreen(h.helper.getNode('st')));
  });

  it('a reset in the middle of an upload reaches Catch as UNREACHABLE, stores nothing, and the next upload works', async () => {
    const { flow, credentials } = faultFlow(sim);
    flow.push({ id: 'up', type: 'prusalink-upload', z: 'f1', printer: 'printer1', filename: '', folder: '', target: '', overwrite: false, print: false, wires: [['uploaded']] });
    flow.push({ id: 'uploaded', type: 'helper', z: 'f1' });
    await h.load(flow, credentials);
    sim.control.setFaults({ resetAfterBytes: 64 * 1024 });
    const out = h.collect('uploaded');
    const body = Buffer.from('G1 X1 Y1\n'.repeat(40000));
    const caught = h.nextMsg('caught', 8000, caughtFrom('up'));
    h.helper.getNode('up').receive({ payload: body, filename: 'cut.gcode' });
    const err = (await caught).error;
    if (CATCH_HAS_CODE) assert.equal(err.code, 'UNREACHABLE');
    assert.match(err.message, /reset|closed/);
    assert.ok(err.message.includes(`127.0.0.1:${sim.port}`));
    assert.equal(h.lastStatus(h.helper.getNode('up')).fill, 'red');
    assert.equal(out.length, 0);
    // The simulator started with box.gcode alone: the cut upload left no file, partial or whole.
    assert.deepEqual(sim.control.listFiles(), ['box.gcode']);
    sim.control.clearFaults();
    const done = h.nextMsg('uploaded');
    h.helper.getNode('up').receive({ payload: body, filename: 'cut.gcode' });
    assert.equal((await done).payload.size, body.length);
    assert.ok(sim.control.readFile('cut.gcode').equals(body), 'stored byte for byte');
  });
});

/**
 * Wrong credentials on every family: the 401 or 403 of facts §2 becomes AUTH_FAILED, "unauthorized", with the
 * reason the printer's answer tells (`words`, ending in the HTTP status).
 */
const AUTH_CASES = [
  // 401 with a Digest challenge again
  { family: 'buddy', auth: 'digest', creds: { user: 'maker', password: 'not-the-password' }, words: /: wrong password or API key \(HTTP 401\)$/ },
  // 401 + WWW-Authenticate: ApiKey
  { family: 'buddy', auth: 'apikey', creds: { apiKey: 'not-the-password' }, words: /: wrong API key \(HTTP 401\)$/ },
  // Buddy 4.4 legacy: 401 without WWW-Authenticate
  { family: 'mini-legacy', auth: 'apikey', creds: { apiKey: 'not-the-key' }, words: /: wrong API key \(HTTP 401\)$/ },
  { family: 'mini-legacy', auth: 'digest', creds: { user: 'maker', password: 'apikey' }, words: /: this printer accepts only an API key \(X-Api-Key\), not a user and password; .* \(HTTP 401\)$/ },
  { family: 'pi', auth: 'digest', creds: { user: 'maker', password: 'not-the-password' }, words: /: wrong password or API key \(HTTP 401\)$/ },
  // Pi PrusaLink: 403 "Bad X-Api-Key."
  { family: 'pi', auth: 'apikey', creds: { apiKey: 'not-the-key' }, sim: { apiKey: 'pi-key' }, words: /: wrong API key, or the printer has no API key configured .* \(HTTP 403\)$/ },
];

describe('401 and 403: wrong key and wrong password on each family', () => {
  let sims = [];
  let watch;
  beforeEach(async () => {
    sims = [];
    await h.startServer();
    watch = h.watchProcess();
  });
  afterEach(async () => {
    await h.stopServer();
    for (const sim of sims) {
      assert.equal(await h.socketsLeftTo(sim.port), 0);
      await sim.stop();
    }
    assert.deepEqual(watch.stop(), []);
  });

  for (const c of AUTH_CASES) {
    it(`${c.family} with a wrong ${c.auth === 'apikey' ? 'API key' : 'password'}: unauthorized, one warning, healed by a deploy of the right one`, async () => {
      const sim = await h.startSimulator({ family: c.family, speed: 50, ...(c.sim || {}) });
      sims.push(sim);
      const { flow } = faultFlow(sim, { auth: c.auth });
      await h.load(flow, { printer1: c.creds });
      const [printer, st, fl] = ['printer1', 'st', 'fl'].map((id) => h.helper.getNode(id));
      const gotCaught = h.nextMsg('caught', 8000, caughtFrom('fl'));
      fl.receive({});
      const err = (await gotCaught).error;
      if (CATCH_HAS_CODE) assert.equal(err.code, 'AUTH_FAILED');
      assert.ok(err.message.includes(`127.0.0.1:${sim.port}`), err.message);
      assert.match(err.message, c.words);
      assert.deepEqual(h.lastStatus(fl), RED_RING('unauthorized'));
      await h.waitFor(() => h.lastStatus(st).fill === 'red', 8000, 'the status node red');
      assert.deepEqual(h.lastStatus(st), RED_RING('unauthorized'));
      // The log says the credentials were refused, not that the printer does not answer.
      assert.deepEqual(h.warnings(printer), ['prusalink-printer.log.unauthorized']);

      // The right credentials, deployed: green again.
      const good = faultFlow(sim);
      await new Promise((resolve, reject) => h.helper.setFlows(good.flow, 'full', good.credentials, (e) => (e ? reject(e) : resolve())));
      await h.waitFor(() => isGreen(h.helper.getNode('st')), 8000, 'green after the right credentials');
    });
  }
});
