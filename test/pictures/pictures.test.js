'use strict';
// Pictures as PNG Buffers: a file's thumbnail (files node), the current job's thumbnail and a camera
// snapshot (job node), and the client's cameraSnapshot() on each family, all over HTTP against the simulator.
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../nodes/flow-helpers');
const { PrusaLinkClient } = require('@makerflows/node-red-prusalink');
const { makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');

/** Width and height from a PNG's IHDR chunk (fails on anything that is not a PNG). */
function pngSize(buf) {
  assert.ok(Buffer.isBuffer(buf), 'not a Buffer');
  assert.equal(buf.readUInt32BE(0), 0x89504e47, 'not a PNG');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

/** MINI 4.4.1 has no folders: its file sits in the root. */
const partOf = (family) => (family === 'mini-legacy' ? 'Long bracket name.gcode' : 'parts/Long bracket name.gcode');
const seedFor = (family) => ({ [partOf(family)]: makeSampleGcode({ name: 'bracket', thumbnails: [[16, 16], [64, 48]] }) });

function clientFor(sim) {
  const c = sim.credentials;
  return new PrusaLinkClient({ host: sim.host, port: sim.port, ...(c.apiKey && !c.password ? { apiKey: c.apiKey } : { user: c.user || 'maker', password: c.password }) });
}

describe('client.cameraSnapshot()', () => {
  let sim;
  let client;
  afterEach(async () => {
    client?.close();
    await sim?.stop();
  });

  it('Pi with a camera: the default camera and the camera by id give a picture', async () => {
    sim = await h.startSimulator({ family: 'pi', camera: true });
    client = clientFor(sim);
    // The simulator's camera sends a 64x48 frame (src/sim/families/snapshot-png.ts): the client hands it over whole.
    sim.control.clearRequests();
    assert.deepEqual(pngSize(await client.cameraSnapshot()), [64, 48]);
    assert.deepEqual(pngSize(await client.cameraSnapshot('sim-camera-1')), [64, 48]);
    assert.deepEqual(
      sim.control.requests().filter((r) => r.path.startsWith('/api/v1/cameras')).map((r) => `${r.method} ${r.path} ${r.status}`),
      ['GET /api/v1/cameras/snap 200', 'GET /api/v1/cameras/sim-camera-1/snap 200'],
    );
  });

  it('Pi without a camera: NOT_FOUND', async () => {
    sim = await h.startSimulator({ family: 'pi' });
    client = clientFor(sim);
    await assert.rejects(client.cameraSnapshot(), (e) => e.code === 'NOT_FOUND' && /no camera/.test(e.message));
  });

  for (const family of ['buddy', 'mini-legacy']) {
    it(`${family}: UNSUPPORTED, without asking the printer for a camera`, async () => {
      sim = await h.startSimulator({ family });
      client = clientFor(sim);
      await assert.rejects(client.cameraSnapshot(), (e) => e.code === 'UNSUPPORTED');
      assert.ok(!sim.control.requests().some((r) => r.path.includes('camera')));
    });
  }
});

for (const family of h.FAMILIES) {
  describe(`pictures in the nodes on ${family}`, () => {
    let sim;
    beforeEach(async () => {
      sim = await h.startSimulator({ family, files: seedFor(family), camera: family === 'pi' });
      await h.startServer();
    });
    afterEach(async () => {
      await h.stopServer();
      await sim.stop();
    });

    async function filePath() {
      const c = clientFor(sim);
      try {
        const listing = await c.list('', { recursive: family !== 'mini-legacy' });
        const flat = [];
        const walk = (l) => l.forEach((e) => (flat.push(e), e.children && walk(e.children)));
        walk(listing.entries);
        return flat.find((e) => e.display_name === 'Long bracket name.gcode').path;
      } finally {
        c.close();
      }
    }

    it('files node, mode thumbnail: the large and the small picture as PNG Buffers', async () => {
      const path = await filePath();
      const { flow, credentials } = h.flowWith(sim, [
        { id: 'big', type: 'prusalink-files', mode: 'thumbnail', path, size: 'large', wires: [['out']] },
        { id: 'any', type: 'prusalink-files', mode: 'thumbnail', path: '', size: '', wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);
      await h.load(flow, credentials);
      let got = h.nextMsg('out');
      h.helper.getNode('big').receive({ topic: 't' });
      let msg = await got;
      assert.equal(msg.topic, 't');
      assert.equal(msg.contentType, 'image/png');
      // named after the file as the node was given it (the 8.3 name on Buddy), with the picture's extension
      assert.match(msg.filename, /\.png$/);
      assert.equal(msg.path, path);
      const large = pngSize(msg.payload);
      // the seed's larger thumbnail (seedFor: 16x16 and 64x48)
      assert.deepEqual(large, [64, 48]);

      if (family !== 'pi') {
        // msg.path and msg.size fill the blank fields; Pi has no small icon (refs.icon is null), so the large one comes back
        got = h.nextMsg('out');
        h.helper.getNode('any').receive({ path, size: 'small' });
        msg = await got;
        assert.deepEqual(pngSize(msg.payload), [16, 16]);
      }
    });

    it('files node, mode thumbnail: a missing file reaches the Catch node with NOT_FOUND', async () => {
      const { flow, credentials } = h.flowWith(sim, [
        { id: 'big', type: 'prusalink-files', mode: 'thumbnail', path: 'nope/missing.gcode', size: 'large', wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);
      await h.load(flow, credentials);
      const caught = h.nextMsg('caught');
      h.helper.getNode('big').receive({});
      const msg = await caught;
      h.expectCode(msg, 'NOT_FOUND');
    });

    it('job node, action thumbnail: the current job\'s picture while printing, NO_JOB when idle', async () => {
      const { flow, credentials } = h.flowWith(sim, [
        { id: 'job', type: 'prusalink-job', action: 'thumbnail', size: 'large', wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);
      await h.load(flow, credentials);
      const caught = h.nextMsg('caught');
      h.helper.getNode('job').receive({});
      h.expectCode(await caught, 'NO_JOB');

      sim.control.startPrint(partOf(family));
      const got = h.nextMsg('out');
      h.helper.getNode('job').receive({ topic: 'pic' });
      const msg = await got;
      assert.equal(msg.action, 'thumbnail');
      assert.equal(msg.job.file.display_name, 'Long bracket name.gcode', 'msg.job carries the job');
      assert.equal(msg.path, msg.job.file.path);
      assert.deepEqual(pngSize(msg.payload), [64, 48], 'the seed’s larger thumbnail');
      assert.match(msg.filename, /^Long bracket name\.png$/);
    });

    it('job node, action snapshot: the camera picture on Pi, UNSUPPORTED elsewhere', async () => {
      const { flow, credentials } = h.flowWith(sim, [
        { id: 'job', type: 'prusalink-job', action: 'msg', wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);
      await h.load(flow, credentials);
      if (family === 'pi') {
        const got = h.nextMsg('out');
        h.helper.getNode('job').receive({ action: 'snapshot' });
        const msg = await got;
        assert.equal(msg.contentType, 'image/png');
        pngSize(msg.payload);
      } else {
        const caught = h.nextMsg('caught');
        h.helper.getNode('job').receive({ action: 'snapshot' });
        h.expectCode(await caught, 'UNSUPPORTED');
      }
    });
  });
}
