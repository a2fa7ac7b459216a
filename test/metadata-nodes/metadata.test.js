'use strict';
// File metadata in the nodes: the files node reads a printer file's slicer metadata (a binary G-code download
// stops after its header blocks), and the upload node refuses a file sliced for another printer before sending it.
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../nodes/flow-helpers');
const { readMetadata } = require('@makerflows/node-red-prusalink/metadata');
const { makeSampleGcode, makeSampleBgcode } = require('@makerflows/node-red-prusalink/sim');

const BIG = 3 * 1024 * 1024;
const gcodeMK3S = makeSampleGcode({ name: 'plain', printerModel: 'MK3S', printSeconds: 5025, sizeBytes: BIG });
const bgcodeMK4 = makeSampleBgcode({ name: 'binary', printerModel: 'MK4', printSeconds: 3723, sizeBytes: BIG });
const gcodeMINI = makeSampleGcode({ name: 'mini', printerModel: 'MINI', printSeconds: 600 });
const gcodeMK4 = makeSampleGcode({ name: 'mk4', printerModel: 'MK4', printSeconds: 600 });

function pathOf(sim, name) {
  return new Promise((resolve, reject) => {
    const { PrusaLinkClient } = require('@makerflows/node-red-prusalink');
    const c = sim.credentials;
    const client = new PrusaLinkClient({ host: sim.host, port: sim.port, ...(c.password ? { user: c.user || 'maker', password: c.password } : { apiKey: c.apiKey }) });
    client
      .list('')
      .then((l) => resolve(l.entries.find((e) => e.display_name === name).path), reject)
      .finally(() => client.close());
  });
}

function downloadedBytes(sim) {
  return h
    .apiRequests(sim)
    .filter((r) => r.method === 'GET' && (r.path.startsWith('/usb/') || r.path.endsWith('/raw')))
    .map((r) => r.path);
}

describe('files node, mode metadata', () => {
  let sim;
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
  });

  async function readOn(family, name, content) {
    sim = await h.startSimulator({ family, files: { [name]: content } });
    await h.startServer();
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'meta', type: 'prusalink-files', mode: 'metadata', path: '', wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const path = await pathOf(sim, name);
    const got = h.nextMsg('out');
    h.helper.getNode('meta').receive({ path, topic: 'm' });
    return got;
  }

  it('Buddy, binary G-code: the same metadata as reading the file locally, after reading only its head', async () => {
    const msg = await readOn('buddy', 'binary part.bgcode', bgcodeMK4);
    const local = await readMetadata({ buffer: bgcodeMK4 });
    assert.equal(msg.topic, 'm');
    assert.equal(msg.payload.format, 'bgcode');
    assert.equal(msg.payload.estimatedPrintTime, 3723);
    assert.equal(msg.payload.printerModel, 'MK4');
    for (const k of ['estimatedPrintTime', 'filamentType', 'filamentWeight', 'nozzleDiameter', 'printerModel', 'thumbnails'])
      assert.deepEqual(msg.payload[k], local[k], k);
    assert.deepEqual(msg.payload.warnings, []);
    assert.ok(msg.bytesRead < BIG / 4, `read ${msg.bytesRead} of ${bgcodeMK4.length} bytes`);
    assert.equal(downloadedBytes(sim).length, 1);
    // Buddy does not tell its model: the file's MK4 cannot be held against it
    assert.equal(msg.compatibility.compatible, true);
  });

  it('Pi, plain G-code: the estimates at the end of the file are found; the check names the Pi\'s model', async () => {
    const msg = await readOn('pi', 'plain part.gcode', gcodeMK3S);
    const local = await readMetadata({ buffer: gcodeMK3S });
    assert.equal(msg.payload.format, 'gcode');
    assert.equal(msg.payload.estimatedPrintTime, 5025);
    for (const k of ['estimatedPrintTime', 'filamentType', 'filamentWeight', 'filamentLength', 'nozzleDiameter', 'printerModel', 'slicer'])
      assert.deepEqual(msg.payload[k], local[k], k);
    assert.equal(msg.bytesRead, gcodeMK3S.length);
    assert.deepEqual(msg.compatibility, { compatible: true, reasons: [], printerModel: 'MK3S', nozzleDiameter: 0.4 });
  });

  it('Pi, a file sliced for a MINI: the check says why it does not fit', async () => {
    const msg = await readOn('pi', 'mini part.gcode', gcodeMINI);
    assert.equal(msg.compatibility.compatible, false);
    assert.match(msg.compatibility.reasons.join(), /MINI.*MK3S/);
  });
});

describe('upload node, "refuse a file sliced for another printer"', () => {
  let sim;
  beforeEach(async () => {
    await h.startServer();
  });
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
  });

  /** `family`: a family name, or the simulator's options (e.g. a Buddy firmware generation). */
  async function uploadTo(family, buffer, target, extra = {}) {
    sim = await h.startSimulator(typeof family === 'string' ? { family } : family);
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'up', type: 'prusalink-upload', filename: '', folder: '', target, overwrite: false, print: false, check: true, model: '', ...extra, wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const up = h.helper.getNode('up');
    const warnings = [];
    up.on('call:warn', (c) => warnings.push(String(c.args[0])));
    const out = h.nextMsg('out').then((msg) => ({ msg }));
    const caught = h.nextMsg('caught').then((msg) => ({ error: msg.error, caughtMsg: msg }));
    up.receive({ payload: buffer });
    const result = await Promise.race([out, caught]);
    return { ...result, warnings };
  }

  it('Pi (MK3S): a file sliced for a MINI is refused with INCOMPATIBLE and never sent', async () => {
    const { error, caughtMsg } = await uploadTo('pi', gcodeMINI, 'mini.gcode');
    assert.ok(error, 'the upload should have failed');
    if (h.CATCH_HAS_CODE) assert.equal(error.code, 'INCOMPATIBLE');
    assert.match(error.message, /incompatible/); // the test helper does not translate: the message key
    assert.match(caughtMsg.compatibility.reasons.join(), /MINI.*MK3S/);
    assert.equal(caughtMsg.metadata.printerModel, 'MINI');
    assert.deepEqual(sim.control.listFiles(), [], 'nothing stored');
    assert.ok(!h.apiRequests(sim).some((r) => r.method === 'PUT' || r.method === 'POST'), 'no upload request');
  });

  it('Pi (MK3S): a file sliced for an MK3S is uploaded, with msg.metadata and msg.compatibility', async () => {
    const { msg, error } = await uploadTo('pi', gcodeMK3S, 'mk3s.gcode');
    assert.equal(error, undefined);
    assert.equal(msg.metadata.printerModel, 'MK3S');
    assert.equal(msg.metadata.estimatedPrintTime, 5025);
    assert.equal(msg.compatibility.compatible, true);
    assert.deepEqual(sim.control.listFiles(), ['mk3s.gcode']);
    assert.ok(sim.control.readFile('mk3s.gcode').equals(Buffer.from(gcodeMK3S)), 'stored byte for byte');
  });

  it('Buddy below 6.5.1, which does not report its model: the file passes with one warning', async () => {
    const { msg, warnings } = await uploadTo({ family: 'buddy', firmware: '6.4.1' }, gcodeMINI, 'mini.gcode');
    assert.equal(msg.payload.size, gcodeMINI.length, 'uploaded');
    assert.deepEqual(sim.control.listFiles(), ['mini.gcode']);
    assert.equal(msg.compatibility.compatible, true);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], /modelUnknown/);
  });

  it('Buddy 6.6 on an MK4, which names its model ("printer":"1.4.0"): an MK4 file passes without a warning, a MINI file is refused', async () => {
    let r = await uploadTo({ family: 'buddy', firmware: '6.6.0', model: 'MK4' }, gcodeMK4, 'mk4.gcode');
    assert.ok(r.msg, r.error && r.error.message);
    assert.deepEqual(r.warnings, []);
    await h.helper.unload();
    await sim.stop();
    r = await uploadTo({ family: 'buddy', firmware: '6.6.0', model: 'MK4' }, gcodeMINI, 'mini.gcode');
    assert.ok(r.error, 'refused');
    assert.match(r.caughtMsg.compatibility.reasons.join(), /MINI.*MK4/);
  });

  it('Buddy with the model set in the node (MK4): a MINI file is refused, an MK4 file passes', async () => {
    let r = await uploadTo('buddy', gcodeMINI, 'mini.gcode', { model: 'MK4' });
    assert.ok(r.error);
    if (h.CATCH_HAS_CODE) assert.equal(r.error.code, 'INCOMPATIBLE');
    await h.helper.unload();
    await sim.stop();
    r = await uploadTo('buddy', gcodeMK4, 'mk4.gcode', { model: 'MK4' });
    assert.equal(r.error, undefined);
    assert.equal(r.msg.payload.size, gcodeMK4.length);
    assert.deepEqual(sim.control.listFiles(), ['mk4.gcode']);
    assert.deepEqual(r.warnings, []);
  });
});
