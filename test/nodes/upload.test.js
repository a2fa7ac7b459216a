'use strict';
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./flow-helpers');

const GCODE = Buffer.from('; test\nG28\n' + 'G1 X10 Y10 E1\n'.repeat(20000));

for (const family of h.FAMILIES) {
  describe(`prusalink-upload on ${family}`, () => {
    let sim;
    let tmp;
    beforeEach(async () => {
      sim = await h.startSimulator({ family, speed: 1 });
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-upload-'));
      await h.startServer();
    });
    afterEach(async () => {
      await h.stopServer();
      await sim.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    const uploadFlow = (props) =>
      h.flowWith(sim, [
        { id: 'up', type: 'prusalink-upload', filename: '', folder: '', target: '', overwrite: false, print: false, ...props, wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);

    it('uploads the Buffer in msg.payload under msg.filename, showing progress', async () => {
      const { flow, credentials } = uploadFlow({});
      await h.load(flow, credentials);
      const got = h.nextMsg('out');
      h.helper.getNode('up').receive({ payload: GCODE, filename: 'from buffer.gcode', topic: 'u' });
      const msg = await got;
      assert.equal(msg.topic, 'u');
      assert.equal(msg.payload.size, GCODE.length);
      assert.equal(msg.payload.printStarted, false);
      assert.ok(sim.control.listFiles().some((f) => f.endsWith('from buffer.gcode')), sim.control.listFiles().join());
      const texts = h.statuses(h.helper.getNode('up')).map((s) => s.text);
      assert.ok(texts.includes('prusalink-upload.status.uploading'), texts.join());
    });

    it('uploads a local file from the node setting and prints it', async () => {
      const local = path.join(tmp, 'local part.gcode');
      fs.writeFileSync(local, GCODE);
      const { flow, credentials } = uploadFlow({ filename: local, print: true });
      await h.load(flow, credentials);
      const got = h.nextMsg('out');
      h.helper.getNode('up').receive({ payload: 'ignored, not a Buffer' });
      const msg = await got;
      assert.equal(msg.payload.printStarted, true);
      await h.waitFor(() => sim.control.state === 'PRINTING', 5000, 'printing');
    });

    it('an existing file without overwrite reaches Catch with FILE_EXISTS, never as success', async () => {
      sim.control.addFile('dup.gcode', 'G28\n');
      const { flow, credentials } = uploadFlow({ target: 'dup.gcode' });
      await h.load(flow, credentials);
      const out = h.collect('out');
      const caught = h.nextMsg('caught');
      h.helper.getNode('up').receive({ payload: GCODE });
      const msg = await caught;
      h.expectCode(msg, 'FILE_EXISTS');
      assert.equal(out.length, 0);
      assert.match(h.lastStatus(h.helper.getNode('up')).text, /reason\.exists$/);
    });

    if (family === 'mini-legacy') {
      it('overwrite cannot replace a file on MINI 4.4.1: Catch gets FILE_EXISTS (delete it first) before any byte is sent', async () => {
        sim.control.addFile('dup.gcode', 'G28\n');
        const { flow, credentials } = uploadFlow({ target: 'dup.gcode', overwrite: true });
        await h.load(flow, credentials);
        const out = h.collect('out');
        const caught = h.nextMsg('caught');
        h.helper.getNode('up').receive({ payload: GCODE });
        const msg = await caught;
        h.expectCode(msg, 'FILE_EXISTS');
        assert.match(msg.error.message, /cannot replace a file/);
        assert.match(msg.error.message, /delete it first \(e\.g\. with the rm node\)/);
        assert.equal(out.length, 0);
        assert.deepEqual(h.apiRequests(sim).filter((r) => r.method !== 'GET'), [], 'no upload, no delete');
        assert.equal(sim.control.readFile('dup.gcode').toString(), 'G28\n');
      });
    } else {
      it('overwrite replaces an existing file', async () => {
        sim.control.addFile('dup.gcode', 'G28\n');
        const { flow, credentials } = uploadFlow({ target: 'dup.gcode', overwrite: true });
        await h.load(flow, credentials);
        const got = h.nextMsg('out');
        h.helper.getNode('up').receive({ payload: GCODE });
        await got;
        assert.equal(sim.control.readFile('dup.gcode').length, GCODE.length);
      });
    }

    if (family !== 'mini-legacy') {
      for (const overwrite of [false, true]) {
        it(`print after upload of the name being printed${overwrite ? ' (overwrite)' : ''} is an error, never "uploaded and printing"`, async () => {
          const old = Buffer.from('; the old file\nG28\n' + 'G1 X1 Y1\n'.repeat(2000));
          sim.control.addFile('busy.gcode', old);
          sim.control.startPrint('busy.gcode');
          const { flow, credentials } = uploadFlow({ target: 'busy.gcode', print: true, overwrite });
          await h.load(flow, credentials);
          const out = h.collect('out');
          const caught = h.collect('caught');
          h.helper.getNode('up').receive({ payload: GCODE });
          await h.waitFor(() => out.length + caught.length > 0, 8000, 'an answer');
          assert.equal(out.length, 0, `reported as a success: ${JSON.stringify(out[0] && out[0].payload)}`);
          const msg = caught[0];
          // The printer refuses with 409: "File already exists", or with overwrite "File is busy" (the file is being printed).
          h.expectCode(msg, overwrite ? 'FILE_BUSY' : 'FILE_EXISTS');
          assert.deepEqual(sim.control.readFile('busy.gcode'), old, 'the old file is still the one stored');
        });
      }
    }

    it('queues uploads: two msgs, two files, one after the other', async () => {
      const { flow, credentials } = uploadFlow({});
      await h.load(flow, credentials);
      const out = h.collect('out');
      const caught = h.collect('caught');
      const up = h.helper.getNode('up');
      sim.control.clearRequests();
      // Slow answers keep each upload open long enough that two running at once would overlap.
      sim.control.setFaults({ latencyMs: 200 });
      up.receive({ payload: GCODE, filename: 'one.gcode' });
      up.receive({ payload: GCODE, filename: 'two.gcode' });
      await h.waitFor(() => out.length + caught.length === 2, 15000, 'two answers');
      const sent = h.apiRequests(sim).filter((r) => r.method === 'PUT' || (r.method === 'POST' && r.path.startsWith('/api/files')));
      assert.deepEqual(sent.map((r) => r.status), [201, 201], 'the printer took both (it refuses a second transfer at once)');
      assert.deepEqual(caught.map((m) => m.error.message), []);
      assert.deepEqual(out.map((m) => m.payload.path.split('/').pop()), ['one.gcode', 'two.gcode']);
      // The second upload's request arrived only after the first one's answer had been sent: no overlap.
      assert.ok(sent[1].time >= sent[0].endTime, `the second upload began ${sent[0].endTime - sent[1].time} ms before the first ended`);
    });

    it('without a source the input fails with INVALID_ARGUMENT and sends no request', async () => {
      const { flow, credentials } = uploadFlow({});
      await h.load(flow, credentials);
      sim.control.clearRequests();
      const caught = h.nextMsg('caught');
      h.helper.getNode('up').receive({ payload: 123 });
      h.expectCode(await caught, 'INVALID_ARGUMENT');
      assert.equal(h.apiRequests(sim).length, 0);
    });
  });
}

describe('prusalink-upload specifics', () => {
  let sim;
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
  });

  it('MINI 4.4.1: a subfolder target goes to the root with toRootIfUnsupported, with a warning saying so', async () => {
    sim = await h.startSimulator({ family: 'mini-legacy' });
    await h.startServer();
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'up', type: 'prusalink-upload', folder: 'sub', target: 'x.gcode', toRootIfUnsupported: true, wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const got = h.nextMsg('out');
    const up = h.helper.getNode('up');
    up.receive({ payload: GCODE });
    const msg = await got;
    assert.equal(msg.payload.path, '/usb/x.gcode');
    const words = 'this printer (MINI firmware 4.4) cannot upload into a folder: the file was stored as /usb/x.gcode instead of /usb/sub/x.gcode';
    assert.equal(msg.payload.warning, words);
    assert.deepEqual(up.warn.getCalls().filter((c) => c.thisValue === up).map((c) => c.args[0]), [words]);
  });

  it('Pi (lists a new file 150 ms late): upload wired straight into print prints the file, no NOT_FOUND', async () => {
    sim = await h.startSimulator({ family: 'pi', piListingDelayMs: 150 });
    await h.startServer();
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'up', type: 'prusalink-upload', source: 'payload', target: 'next.gcode', wires: [['pr']] },
      { id: 'pr', type: 'prusalink-print', path: '', wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const caught = h.collect('caught');
    const got = h.nextMsg('out');
    h.helper.getNode('up').receive({ payload: GCODE });
    await got;
    assert.deepEqual(caught.map((m) => m.error.message), []);
    await h.waitFor(() => sim.control.state === 'PRINTING', 5000, 'printing');
  });

  it('closing the flow aborts an upload in flight and completes it with ABORTED', async () => {
    sim = await h.startSimulator({ family: 'buddy' });
    await h.startServer();
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'up', type: 'prusalink-upload', target: 'slow.gcode', wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const up = h.helper.getNode('up');
    // Warm up detection, then make every answer slow so the upload is still running at close.
    const warm = h.nextMsg('out');
    up.receive({ payload: Buffer.from('G28\n'), filename: 'warm.gcode' });
    await warm;
    sim.control.setFaults({ latencyMs: 20000 });
    up.receive({ payload: GCODE });
    await h.waitFor(() => h.statuses(up).some((s) => s.text === 'prusalink-upload.status.uploading'), 5000, 'upload started');
    await h.helper.clearFlows();
    await h.waitFor(
      () => up.error.getCalls().some((c) => c.thisValue === up && c.args[0] && c.args[0].code === 'ABORTED'),
      2000,
      'aborted upload completed',
    );
    assert.deepEqual(h.lastStatus(up), {});
    sim.control.clearFaults();
  });
});
