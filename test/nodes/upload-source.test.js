'use strict';
// Where an upload's bytes come from: msg.payload (a Buffer) or a local file the NODE is set to read. A msg never turns
// into a file read on the Node-RED server unless the node names a base folder, and then only inside it.
// (The test runtime has no catalogs: errors read as their keys; the words are checked in upload-source-plan.test.js.)
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./flow-helpers');

const GCODE = Buffer.from('; test\nG28\nG1 X10 Y10\n');
const SECRET = '{"$":"a-secret-that-must-stay-on-this-server"}';

describe('prusalink-upload: the source of the bytes', () => {
  let sim;
  let tmp;
  let base;
  beforeEach(async () => {
    sim = await h.startSimulator({ family: 'buddy' });
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-source-')));
    base = path.join(tmp, 'base');
    fs.mkdirSync(base);
    fs.writeFileSync(path.join(base, 'inside.gcode'), GCODE);
    fs.writeFileSync(path.join(tmp, 'flows_cred.json'), SECRET);
    fs.writeFileSync(path.join(tmp, 'outside.gcode'), SECRET);
    await h.startServer();
  });
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const load = (props) =>
    h.load(
      ...Object.values(
        h.flowWith(sim, [
          { id: 'up', type: 'prusalink-upload', folder: '', target: '', overwrite: false, print: false, ...props, wires: [['out']] },
          { id: 'out', type: 'helper', z: 'f1' },
        ]),
      ),
    );

  /** Sends msg; resolves with the Catch msg, failing if the upload went out as a success instead. */
  async function refused(msg) {
    const out = h.collect('out');
    const caught = h.collect('caught');
    h.helper.getNode('up').receive(msg);
    await h.waitFor(() => out.length + caught.length > 0, 8000, 'an answer');
    assert.equal(out.length, 0, `uploaded: ${JSON.stringify(out[0] && out[0].payload)}`);
    h.expectCode(caught[0], 'INVALID_ARGUMENT');
    const stored = sim.control.listFiles().filter((f) => !f.endsWith('/'));
    assert.deepEqual(stored, [], `stored on the printer: ${stored.join()}`);
    return caught[0].error.message;
  }
  async function uploaded(msg) {
    const got = h.nextMsg('out');
    h.helper.getNode('up').receive(msg);
    return got;
  }

  it('an mqtt string payload with msg.filename naming a server file: refused, naming the string (old node, no source set)', async () => {
    await load({ filename: '' });
    const message = await refused({ payload: 'G28', topic: 'prusalink/cmd/upload', filename: path.join(tmp, 'flows_cred.json') });
    assert.match(message, /prusalink-upload\.errors\.notBuffer$/);
  });

  it('msg.target + msg.filename naming flows_cred.json, no payload: refused, the file is not read', async () => {
    await load({ filename: '' });
    const message = await refused({ target: 'creds.gcode', filename: path.join(tmp, 'flows_cred.json') });
    assert.match(message, /prusalink-upload\.errors\.noPayload$/);
  });

  it('an object payload is an error that names it', async () => {
    await load({ source: 'payload' });
    const message = await refused({ payload: { file: 'x' }, filename: 'x.gcode' });
    assert.match(message, /prusalink-upload\.errors\.notBuffer$/);
  });

  it('source "file" without a base folder: msg.filename is refused, not read', async () => {
    await load({ source: 'file', filename: '' });
    const message = await refused({ filename: path.join(tmp, 'flows_cred.json'), target: 'creds.gcode' });
    assert.match(message, /prusalink-upload\.errors\.msgFileRefused$/);
  });

  it('source "file" with a base folder: a file inside it is uploaded (relative or absolute)', async () => {
    await load({ source: 'file', baseFolder: base });
    const first = await uploaded({ filename: 'inside.gcode' });
    assert.equal(first.payload.path, '/usb/inside.gcode');
    assert.deepEqual(sim.control.readFile('inside.gcode'), GCODE);
    const second = await uploaded({ filename: path.join(base, 'inside.gcode'), target: 'again.gcode' });
    assert.equal(second.payload.size, GCODE.length);
    assert.deepEqual(sim.control.readFile('again.gcode'), GCODE);
  });

  it('source "file" with a base folder: ".." is refused', async () => {
    await load({ source: 'file', baseFolder: base });
    const message = await refused({ filename: '../outside.gcode' });
    assert.match(message, /prusalink-upload\.errors\.dotdot$/);
  });

  it('source "file" with a base folder: an absolute path outside it is refused', async () => {
    await load({ source: 'file', baseFolder: base });
    const message = await refused({ filename: path.join(tmp, 'flows_cred.json'), target: 'creds.gcode' });
    assert.match(message, /prusalink-upload\.errors\.outside$/);
  });

  it('source "file" with a base folder: a symbolic link inside it pointing outside is refused', async () => {
    fs.symlinkSync(path.join(tmp, 'outside.gcode'), path.join(base, 'link.gcode'));
    fs.symlinkSync(tmp, path.join(base, 'up'));
    await load({ source: 'file', baseFolder: base });
    assert.match(await refused({ filename: 'link.gcode' }), /prusalink-upload\.errors\.outside$/);
    assert.match(await refused({ filename: 'up/flows_cred.json', target: 'creds.gcode' }), /prusalink-upload\.errors\.outside$/);
  });

  it('msg.target and msg.folder passed over by the node\'s own target and folder: warned once per node and property, as in every node', async () => {
    await load({ source: 'payload', folder: 'jobs', target: 'node.gcode', overwrite: true });
    const up = h.helper.getNode('up');
    await uploaded({ payload: GCODE, target: 'other.gcode' });
    await uploaded({ payload: GCODE, target: 'other.gcode', folder: 'elsewhere' });
    await uploaded({ payload: GCODE, target: 'other.gcode', folder: 'elsewhere' });
    assert.deepEqual(sim.control.readFile('jobs/node.gcode'), GCODE);
    assert.deepEqual(sim.control.listFiles().filter((f) => /other|elsewhere/.test(f)), [], 'the msg values were not used');
    const warnings = up.warn.getCalls().filter((c) => c.thisValue === up).map((c) => String(c.args[0]));
    const ignored = '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.warn.msgIgnored';
    assert.deepEqual(warnings, [ignored, ignored], 'one warning for target, one for folder, over three msgs');
  });

  it('a local file typed in an old node (no source set) is still uploaded; msg.filename is ignored with one warning', async () => {
    const local = path.join(tmp, 'typed.gcode');
    fs.writeFileSync(local, GCODE);
    await load({ filename: local, overwrite: true });
    const up = h.helper.getNode('up');
    await uploaded({ payload: 'not a Buffer', filename: path.join(tmp, 'flows_cred.json') });
    await uploaded({ filename: path.join(tmp, 'flows_cred.json') });
    assert.deepEqual(sim.control.readFile('typed.gcode'), GCODE);
    const warnings = up.warn.getCalls().filter((c) => c.thisValue === up).map((c) => String(c.args[0]));
    assert.deepEqual(warnings, ['@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.warn.msgIgnored'], 'one warning for two msgs');
    assert.equal(sim.control.listFiles().filter((f) => /cred/.test(f)).length, 0);
  });
});
