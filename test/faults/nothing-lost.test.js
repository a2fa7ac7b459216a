'use strict';
// Nothing lost, nothing done twice: a failed upload is never a success, a retry never leaves two files or
// starts two prints, the Print-After-Upload trap is "print started" without a retry, two uploads at once
// both complete one after the other, and a redeploy or a removed node aborts an upload in flight.
const { CATCH_HAS_CODE } = require('../lib/node-red-runtime');
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./lib/harness');

const BODY = Buffer.from('; part\nG28\n' + 'G1 X10 Y10 E0.5\n'.repeat(30000)); // ~480 KB
const caughtFrom = (id) => (msg) => msg.error && msg.error.source && msg.error.source.id === id;

function setFlows(flow, type, credentials) {
  return new Promise((resolve, reject) => h.helper.setFlows(flow, type, credentials, (e) => (e ? reject(e) : resolve())));
}

/** Successful upload requests the printer answered (PUT on v1 printers, POST multipart on the others). */
function storedUploads(sim) {
  return h.apiRequests(sim).filter((r) => (r.method === 'PUT' || (r.method === 'POST' && r.path.startsWith('/api/files'))) && r.status >= 200 && r.status < 300);
}

/** Client sockets carrying a request right now (idle keep-alive sockets excluded). */
function busySocketsTo(port) {
  return h.openSocketsTo(port).filter((s) => s._httpMessage);
}

function uploadFlow(sim, props = {}, printerExtra = {}) {
  return h.flowWith(
    sim,
    [
      { id: 'up', type: 'prusalink-upload', filename: '', folder: '', target: '', overwrite: false, print: false, ...props, wires: [['uploaded']] },
      { id: 'uploaded', type: 'helper', z: 'f1' },
    ],
    { timeout: '0.5', ...printerExtra },
  );
}

/** Ways an upload can fail: before the body, in the middle of it, and while waiting for the answer. */
const FAILURES = [
  { name: 'refused before the body (409 another transfer)', faults: { transferInProgress: true }, code: 'TRANSFER_IN_PROGRESS' },
  { name: 'refused before the body (503)', faults: { status: 503 }, code: 'SERVER_ERROR' },
  { name: 'connection reset in the middle of the body', faults: { resetAfterBytes: 100 * 1024 }, code: 'UNREACHABLE' },
  { name: 'no answer at all (hang)', faults: { hang: true }, code: 'TIMEOUT' },
];

for (const family of h.FAMILIES) {
  describe(`failed uploads on ${family}: never a success, a retry leaves one file and one print`, () => {
    let sim;
    let watch;
    beforeEach(async () => {
      sim = await h.startSimulator({ family, speed: 50 });
      await h.startServer();
      watch = h.watchProcess();
    });
    afterEach(async () => {
      await h.stopServer();
      assert.equal(await h.socketsLeftTo(sim.port), 0);
      await sim.stop();
      assert.deepEqual(watch.stop(), []);
    });

    it('fails at each point without a success, then one retry prints the file once', async () => {
      const { flow, credentials } = uploadFlow(sim, { print: true, target: 'part.gcode' });
      await h.load(flow, credentials);
      const up = h.helper.getNode('up');
      const out = h.collect('uploaded');
      // The printer's contents before any upload: every failure must leave exactly these, no partial file.
      const filesBefore = sim.control.listFiles();
      assert.ok(!filesBefore.includes('part.gcode'));
      for (const f of FAILURES) {
        sim.control.setFaults(f.faults);
        const caught = h.nextMsg('caught', 8000, caughtFrom('up'));
        up.receive({ payload: BODY, topic: f.name });
        const msg = await caught;
        if (CATCH_HAS_CODE) assert.equal(msg.error.code, f.code, `${f.name}: ${msg.error.message}`);
        assert.equal(msg.topic, f.name);
        assert.equal(out.length, 0, `${f.name} was reported as a success`);
        sim.control.clearFaults();
        assert.deepEqual(sim.control.listFiles(), filesBefore, `${f.name} changed the printer's files`);
        assert.notEqual(sim.control.state, 'PRINTING', `${f.name} started a print`);
      }
      const done = h.nextMsg('uploaded');
      up.receive({ payload: BODY });
      const msg = await done;
      assert.equal(msg.payload.printStarted, true);
      assert.equal(sim.control.state, 'PRINTING');
      assert.deepEqual(sim.control.listFiles().filter((p) => !p.endsWith('/')), ['part.gcode']);
      assert.equal(storedUploads(sim).length, 1, 'one upload stored, one print started');
    });

    it('the Print-After-Upload trap (an error although the print started) is "print started", not retried', async () => {
      const { flow, credentials } = uploadFlow(sim, { print: true, target: 'trap.gcode' });
      await h.load(flow, credentials);
      sim.control.setFaults({ printAfterUploadTrap: 409 });
      const caught = h.collect('caught');
      const done = h.nextMsg('uploaded');
      h.helper.getNode('up').receive({ payload: BODY });
      const msg = await done;
      assert.equal(msg.payload.printStarted, true);
      assert.equal(msg.payload.recoveredFromError, true);
      assert.equal(caught.length, 0);
      assert.equal(sim.control.state, 'PRINTING');
      const uploads = h.apiRequests(sim).filter((r) => r.method === 'PUT' || (r.method === 'POST' && r.path.startsWith('/api/files')));
      assert.equal(uploads.length, 1, 'the upload was sent once');
      assert.equal(h.lastStatus(h.helper.getNode('up')).text, h.NS + 'state.printing');
    });
  });
}

describe('uploads in parallel with other work, and uploads cut short by a deploy', () => {
  let sim;
  let watch;
  beforeEach(async () => {
    sim = await h.startSimulator({ family: 'buddy', speed: 50 });
    await h.startServer();
    watch = h.watchProcess();
  });
  afterEach(async () => {
    await h.stopServer();
    assert.equal(await h.socketsLeftTo(sim.port), 0);
    await sim.stop();
    assert.deepEqual(watch.stop(), []);
  });

  it('two uploads sent at once from two nodes to one printer both complete, one after the other', async () => {
    const { flow, credentials } = uploadFlow(sim, { target: 'one.gcode' });
    flow.push({ id: 'up2', type: 'prusalink-upload', z: 'f1', printer: 'printer1', filename: '', folder: '', target: 'two.gcode', overwrite: false, print: false, wires: [['uploaded2']] });
    flow.push({ id: 'uploaded2', type: 'helper', z: 'f1' });
    await h.load(flow, credentials);
    const caught = h.collect('caught');
    const a = h.nextMsg('uploaded');
    const b = h.nextMsg('uploaded2');
    h.helper.getNode('up').receive({ payload: BODY });
    h.helper.getNode('up2').receive({ payload: BODY });
    await Promise.all([a, b]);
    assert.equal(caught.length, 0, caught.map((m) => m.error.message).join());
    assert.ok(sim.control.readFile('one.gcode').equals(BODY), 'one.gcode stored byte for byte');
    assert.ok(sim.control.readFile('two.gcode').equals(BODY), 'two.gcode stored byte for byte');
    // The printer takes one transfer at a time (facts §4.5): a second one at once would have been answered 409.
    // Exactly two uploads, both stored at the first try.
    assert.deepEqual(
      h.apiRequests(sim).filter((r) => r.method === 'PUT').map((r) => `${r.path} ${r.status}`).sort(),
      ['/api/v1/files/usb/one.gcode 201', '/api/v1/files/usb/two.gcode 201'],
    );
    assert.deepEqual(h.apiRequests(sim).filter((r) => r.status === 409), []);
  });

  it(
    'status polling goes on during an upload without breaking it (a poll reaches the printer while the upload is in flight)',
    async () => {
      const { flow, credentials } = uploadFlow(sim, { target: 'long.gcode' }, { auth: 'apikey', timeout: '5' });
      flow.push({ id: 'st', type: 'prusalink-status', z: 'f1', printer: 'printer1', interval: '0.5', output: 'poll', wires: [['polled']] });
      flow.push({ id: 'polled', type: 'helper', z: 'f1' });
      await h.load(flow, { printer1: { apiKey: sim.credentials.password } });
      await h.nextMsg('polled');
      // Every answer waits 1.5 s: an upload takes that long, and a poll beside it shows as a request the
      // printer received while the upload's answer was still pending.
      sim.control.setFaults({ latencyMs: 1500 });
      const done = h.nextMsg('uploaded');
      h.helper.getNode('up').receive({ payload: BODY });
      let overlapped = false;
      const watchOverlap = async () => {
        for (;;) {
          const seen = h.apiRequests(sim);
          const put = seen.find((r) => r.method === 'PUT');
          if (put && put.status !== 0) return;
          if (put && seen.some((r) => r.path === '/api/v1/status' && r.time >= put.time)) overlapped = true;
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      await Promise.all([done, watchOverlap()]);
      assert.ok(sim.control.readFile('long.gcode').equals(BODY), 'long.gcode stored byte for byte');
      assert.ok(overlapped, 'a status request reached the printer while the upload was running');
    },
  );

  for (const how of ['redeploy', 'removed node']) {
    it(`a ${how} in the middle of an upload aborts it at once, reports ABORTED and leaves no request open`, async () => {
      const { flow, credentials } = uploadFlow(sim, { target: 'cut.gcode' }, { auth: 'apikey', timeout: '30' });
      const creds = { printer1: { apiKey: sim.credentials.password } };
      await h.load(flow, creds);
      // Detection first, so that the upload itself is what is in flight.
      h.helper.getNode('printer1');
      await new Promise((resolve, reject) => h.helper.getNode('printer1').getClient().detect().then(resolve, reject));
      // The printer never answers (and the stall timer is 90 s): whatever ends the upload now is us.
      sim.control.setFaults({ hang: true });
      const up = h.helper.getNode('up');
      h.helper.getNode('up').receive({ payload: BODY });
      await h.waitFor(() => h.apiRequests(sim).some((r) => r.method === 'PUT'), 5000, 'the upload on the wire');
      const aborted = new Promise((resolve) => {
        up.on('call:error', (call) => resolve(call.args[0]));
      });
      if (how === 'redeploy') await setFlows(flow, 'full', creds);
      else await setFlows(flow.filter((n) => n.id !== 'up' && n.id !== 'uploaded'), 'nodes', creds);
      const err = await aborted;
      if (CATCH_HAS_CODE) assert.equal(err.code, 'ABORTED');
      assert.match(String(err.message), /abort/i);
      await h.waitFor(() => busySocketsTo(sim.port).length === 0, 1000, 'the upload socket closed');
      assert.equal(h.apiRequests(sim).find((r) => r.method === 'PUT').status, 0, 'the printer never answered: we ended it');
      assert.deepEqual(sim.control.listFiles(), [], 'the printer started empty and holds no part of the cut upload');
    });
  }
});
