'use strict';
// Issue 9, point 3: MINI 4.4.1 stores every upload in the USB root. An upload into a subfolder fails with an error
// that says why, before any byte is sent; with "upload to the root" ticked it goes to the root with a warning.
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../nodes/flow-helpers');

const GCODE = Buffer.from('; part\nG28\n' + 'G1 X10 Y10 E1\n'.repeat(2000));

/** Requests that carried (part of) an upload: any POST or PUT to a files endpoint, whatever its answer. */
function uploadRequests(sim) {
  return h.apiRequests(sim).filter((r) => (r.method === 'POST' || r.method === 'PUT') && /^\/api\/(v1\/)?files/.test(r.path));
}

describe('upload node into a subfolder on MINI 4.4.1', () => {
  let sim;
  beforeEach(async () => {
    sim = await h.startSimulator({ family: 'mini-legacy' });
    await h.startServer();
  });
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
  });

  const uploadFlow = (props) =>
    h.flowWith(sim, [
      { id: 'up', type: 'prusalink-upload', filename: '', folder: 'parts', target: 'bracket.gcode', overwrite: false, print: false, ...props, wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ]);

  it('fails to a Catch node with a clear UNSUPPORTED error, and no upload request reaches the printer', async () => {
    const { flow, credentials } = uploadFlow({});
    await h.load(flow, credentials);
    const out = h.collect('out');
    const caught = h.nextMsg('caught');
    h.helper.getNode('up').receive({ payload: GCODE, topic: 'job 7' });
    const msg = await caught;
    h.expectCode(msg, 'UNSUPPORTED');
    assert.match(msg.error.message, /root of the USB/);
    assert.match(msg.error.message, /"parts"/);
    assert.match(msg.error.message, /MINI firmware 4\.4/);
    assert.equal(msg.topic, 'job 7');
    assert.equal(out.length, 0, 'no success message');
    assert.deepEqual(uploadRequests(sim), [], 'not a byte of the file was sent');
    assert.equal(h.apiRequests(sim).some((r) => r.bodyBytes > 0), false);
    assert.deepEqual(sim.control.listFiles(), []);
    assert.equal(h.lastStatus(h.helper.getNode('up')).fill, 'red');
  });

  it('with "upload to the root" the file goes to the root and the node warns', async () => {
    const { flow, credentials } = uploadFlow({ toRootIfUnsupported: true });
    await h.load(flow, credentials);
    const up = h.helper.getNode('up');
    const got = h.nextMsg('out');
    up.receive({ payload: GCODE });
    const msg = await got;
    assert.equal(msg.payload.path, '/usb/bracket.gcode');
    assert.match(msg.payload.warning, /cannot upload into a folder/);
    assert.deepEqual(sim.control.listFiles(), ['bracket.gcode']);
    assert.ok(sim.control.readFile('bracket.gcode').equals(GCODE), 'stored byte for byte');
    const warned = up.warn.getCalls().filter((c) => c.thisValue === up).map((c) => String(c.args[0]));
    assert.deepEqual(warned, [msg.payload.warning]);
    assert.equal(uploadRequests(sim).length, 1);
    assert.equal(h.lastStatus(up).fill, 'green');
  });
});
