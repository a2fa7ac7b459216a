'use strict';
// Bad input, table-driven: every row is refused with a clear error that a Catch node receives, and the
// printer never sees a request for it (control.requests()). Flow-node rows run after detection (a
// running flow has detected its printer long before): what they must not send is the request itself.
const { CATCH_HAS_CODE } = require('../lib/node-red-runtime');
const { describe, it, before, after, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./lib/harness');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-bad-input-'));
const localFile = path.join(tmp, 'real.gcode');
fs.writeFileSync(localFile, 'G28\n');
fs.mkdirSync(path.join(tmp, 'sub'));
const caughtFrom = (id) => (msg) => msg.error && msg.error.source && msg.error.source.id === id;

// the test runtime fills no placeholders: the catalog's own words are what a row can see
const NOT_TEXT = /^Error: msg\.__what__ must be text \(a string\); got: __type__$/;

/** Flow nodes and the msg each row sends; every row names the code and words of the error it must give. */
const NODE_ROWS = [
  // files: info of a path, listing of a folder
  { node: 'fInfo', msg: { path: '../etc/passwd' }, code: 'INVALID_PATH', words: /"\." and "\.\." segments/ },
  { node: 'fInfo', msg: { path: 'a/../../b.gcode' }, code: 'INVALID_PATH', words: /\.\./ },
  { node: 'fInfo', msg: { path: 'a\u0000b.gcode' }, code: 'INVALID_PATH', words: /control character/ },
  { node: 'fInfo', msg: { path: 'dir\\file.gcode' }, code: 'INVALID_PATH', words: /backslash/ },
  { node: 'fInfo', msg: { path: '~/file.gcode' }, code: 'INVALID_PATH', words: /leading "~"/ },
  { node: 'fInfo', msg: { path: 42 }, code: 'INVALID_ARGUMENT', words: NOT_TEXT },
  { node: 'fInfo', msg: {}, code: 'INVALID_ARGUMENT', words: /^Error: Missing .*set it in the node or in msg/ },
  { node: 'fList', msg: { path: '../..' }, code: 'INVALID_PATH', words: /\.\./ },
  // a path that is not text is an error, not a listing of the root (issue 13.8)
  { node: 'fList', msg: { path: 42 }, code: 'INVALID_ARGUMENT', words: NOT_TEXT },
  { node: 'fList', msg: { path: { folder: 'x' } }, code: 'INVALID_ARGUMENT', words: NOT_TEXT },
  { node: 'fList', msg: { path: false }, code: 'INVALID_ARGUMENT', words: NOT_TEXT },
  { node: 'fList', msg: { path: 'x\u0007y' }, code: 'INVALID_PATH', words: /control character/ },
  // print
  { node: 'nPrint', msg: { path: '../box.gcode' }, code: 'INVALID_PATH', words: /\.\./ },
  { node: 'nPrint', msg: { path: 'box\u0000.gcode' }, code: 'INVALID_PATH', words: /control character/ },
  { node: 'nPrint', msg: { path: 'usb\\box.gcode' }, code: 'INVALID_PATH', words: /backslash/ },
  { node: 'nPrint', msg: { path: '~box.gcode' }, code: 'INVALID_PATH', words: /leading "~"/ },
  { node: 'nPrint', msg: { path: 'model.stl' }, code: 'UNSUPPORTED_FILE', words: /not a printable file/ },
  { node: 'nPrint', msg: { path: 'notes.txt' }, code: 'UNSUPPORTED_FILE', words: /not a printable file/ },
  { node: 'nPrint', msg: { payload: 12345 }, code: 'INVALID_ARGUMENT', words: /^Error: Missing .*set it in the node or in msg/ },
  { node: 'nPrint', msg: { payload: { path: 'box.gcode' } }, code: 'INVALID_ARGUMENT', words: /^Error: Missing .*set it in the node or in msg/ },
  { node: 'nPrint', msg: { path: '/usb/' }, code: 'INVALID_PATH', words: /names no file/ },
  // rm
  { node: 'rmFile', msg: { path: '../box.gcode' }, code: 'INVALID_PATH', words: /\.\./ },
  { node: 'rmFile', msg: { path: 'a\\b.gcode' }, code: 'INVALID_PATH', words: /backslash/ },
  { node: 'rmFile', msg: { path: '~' }, code: 'INVALID_PATH', words: /leading "~"/ },
  { node: 'rmFile', msg: { path: '/' }, code: 'INVALID_PATH', words: /storage root|root/ },
  { node: 'rmFolder', msg: { path: '/usb' }, code: 'INVALID_PATH', words: /root/ },
  { node: 'rmFolder', msg: {}, code: 'INVALID_PATH', words: /root/ },
  { node: 'rmAll', msg: { path: '/usb/' }, code: 'INVALID_PATH', words: /root/ },
  { node: 'rmFile', msg: { path: ['box.gcode'] }, code: 'INVALID_ARGUMENT', words: NOT_TEXT },
  // upload
  { node: 'nUpload', msg: { payload: Buffer.from('G28\n'), filename: '../up.gcode', target: '../up.gcode' }, code: 'INVALID_PATH', words: /\.\./ },
  { node: 'nUpload', msg: { payload: Buffer.from('G28\n'), target: 'up\u0000.gcode' }, code: 'INVALID_PATH', words: /control character/ },
  { node: 'nUpload', msg: { payload: Buffer.from('G28\n'), target: 'dir\\up.gcode' }, code: 'INVALID_PATH', words: /backslash/ },
  { node: 'nUpload', msg: { payload: Buffer.from('G28\n'), folder: '~', target: 'up.gcode' }, code: 'INVALID_PATH', words: /leading "~"/ },
  { node: 'nUpload', msg: { payload: Buffer.from('G28\n'), target: 'x'.repeat(168) + '.gcode' }, code: 'NAME_TOO_LONG', words: /longer than 167/ },
  { node: 'nUpload', msg: { payload: Buffer.from('G28\n'), folder: 'folder-number-one-is-long/folder-number-two-is-long/folder-three-x', target: 'this-file-name-is-long-too.gcode' /* 104 bytes with /usb/: one over */ }, code: 'NAME_TOO_LONG', words: /103/ },
  { node: 'nUpload', msg: { payload: Buffer.from('G28\n'), target: 'part.stl' }, code: 'UNSUPPORTED_FILE', words: /not a printable file/ },
  { node: 'nUpload', msg: { payload: Buffer.from('G28\n'), target: 'part.3mf' }, code: 'UNSUPPORTED_FILE', words: /not a printable file/ },
  { node: 'nUploadFile', msg: { filename: path.join(tmp, 'missing.gcode') }, code: 'INVALID_ARGUMENT', words: /^Error: Cannot read msg\.filename/ },
  { node: 'nUploadFile', msg: { filename: path.join(tmp, 'sub'), target: 'dir.gcode' }, code: 'INVALID_ARGUMENT', words: /is not a file/ },
  { node: 'nUploadFile', msg: { filename: '/etc/hostname', target: 'host.gcode' }, code: 'INVALID_ARGUMENT', words: /is outside the base folder/ },
  { node: 'nUpload', msg: { filename: localFile, target: 'local.gcode' }, code: 'INVALID_ARGUMENT', words: /^Error: Nothing to upload: the node uploads msg\.payload/ },
  { node: 'nUpload', msg: { payload: Buffer.alloc(0), target: 'empty.gcode' }, code: 'INVALID_ARGUMENT', words: /empty/ },
  { node: 'nUpload', msg: { payload: 12345, target: 'n.gcode' }, code: 'INVALID_ARGUMENT', words: /^Error: msg\.payload is .*; the upload node needs a Buffer/ },
  { node: 'nUpload', msg: { payload: { data: [1, 2] }, target: 'o.gcode' }, code: 'INVALID_ARGUMENT', words: /^Error: msg\.payload is .*; the upload node needs a Buffer/ },
  { node: 'nUpload', msg: { payload: Buffer.from('G28\n') }, code: 'INVALID_ARGUMENT', words: /No target name/ },
  { node: 'nUpload', msg: { filename: { path: localFile } }, code: 'INVALID_ARGUMENT', words: /Nothing to upload/ },
  // job
  { node: 'nJob', msg: { action: 'explode' }, code: 'INVALID_ARGUMENT', words: /Unknown action/ },
  { node: 'nJob', msg: { action: 42 }, code: 'INVALID_ARGUMENT', words: /Unknown action/ },
];

/** Config node settings that cannot work: the printer is never asked anything. */
const CONFIG_ROWS = [
  { name: 'a host with a path', printer: { host: '127.0.0.1/admin' }, words: /path, query or fragment/ },
  { name: 'a host with a query', printer: { host: '127.0.0.1?x=1' }, words: /path, query or fragment/ },
  { name: 'a URL with a path', printer: { host: 'http://127.0.0.1/api' }, words: /path, query or fragment/ },
  { name: 'a host with user information', printer: { host: 'maker@127.0.0.1' }, words: /user information/ },
  { name: 'a host with a space', printer: { host: 'my printer' }, words: /not a valid host name/ },
  { name: 'an unsupported scheme', printer: { host: 'ftp://127.0.0.1' }, words: /unsupported scheme/ },
  { name: 'port 0', printer: { port: '0' }, words: /1 to 65535/ },
  { name: 'port 70000', printer: { port: '70000' }, words: /1 to 65535/ },
  { name: 'a port that is not a number', printer: { port: 'eighty' }, words: /1 to 65535/ },
  { name: 'an empty password', printer: { auth: 'digest' }, creds: { user: 'maker', password: '' }, words: /password is empty/ },
  { name: 'an empty API key', printer: { auth: 'apikey' }, creds: { apiKey: '' }, words: /API key is empty/ },
];

describe('bad input to the flow nodes: a clear error, no request (Buddy)', () => {
  let sim;
  let watch;
  before(async () => {
    sim = await h.startSimulator({ family: 'buddy', speed: 50, files: { 'box.gcode': 'G28\n' } });
    await h.startServer();
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'fInfo', type: 'prusalink-files', mode: 'info', path: '', recursive: false, wires: [['out']] },
      { id: 'fList', type: 'prusalink-files', mode: 'list', path: '', recursive: false, wires: [['out']] },
      { id: 'nPrint', type: 'prusalink-print', path: '', wires: [['out']] },
      { id: 'rmFile', type: 'prusalink-rm', path: '', mode: 'file', allowRoot: false, allowPrinted: false, wires: [['out']] },
      { id: 'rmFolder', type: 'prusalink-rm', path: '', mode: 'folder', allowRoot: false, allowPrinted: false, wires: [['out']] },
      { id: 'rmAll', type: 'prusalink-rm', path: '', mode: 'all-files', allowRoot: false, allowPrinted: false, wires: [['out']] },
      { id: 'nUpload', type: 'prusalink-upload', filename: '', folder: '', target: '', overwrite: false, print: false, wires: [['out']] },
      { id: 'nUploadFile', type: 'prusalink-upload', source: 'file', baseFolder: tmp, filename: '', folder: '', target: '', overwrite: false, print: false, wires: [['out']] },
      { id: 'nJob', type: 'prusalink-job', action: 'msg', wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const listed = h.nextMsg('out');
    h.helper.getNode('fList').receive({}); // detection, as a running flow has done long before
    await listed;
    watch = h.watchProcess();
  });
  after(async () => {
    await h.stopServer();
    await sim.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
    assert.deepEqual(watch.stop(), []);
  });

  for (const row of NODE_ROWS) {
    const shown = JSON.stringify(row.msg, (k, v) => (v && v.type === 'Buffer' ? `<Buffer ${v.data.length} bytes>` : v)).replace(/\\u0000/g, '\\0');
    it(`${row.node} ${shown.slice(0, 90)} → ${row.code}`, async () => {
      sim.control.clearRequests();
      const out = h.collect('out');
      const caught = h.nextMsg('caught', 5000, caughtFrom(row.node));
      h.helper.getNode(row.node).receive({ ...row.msg });
      const err = (await caught).error;
      if (CATCH_HAS_CODE) assert.equal(err.code, row.code, err.message);
      assert.match(h.translate(err.message), row.words);
      assert.equal(h.lastStatus(h.helper.getNode(row.node)).fill, 'red');
      assert.deepEqual(h.apiRequests(sim).map((r) => `${r.method} ${r.path}`), [], 'no request for a bad input');
      assert.equal(out.length, 0);
    });
  }
});

describe('bad config node settings: a clear error, no request', () => {
  let sim;
  let watch;
  beforeEach(async () => {
    sim = await h.startSimulator({ family: 'buddy', speed: 50 });
    await h.startServer();
    watch = h.watchProcess();
  });
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
    assert.deepEqual(watch.stop(), []);
  });

  for (const row of CONFIG_ROWS) {
    it(`${row.name} → INVALID_ARGUMENT, "no printer" ring, for input and for polling`, async () => {
      const { flow, credentials } = h.flowWith(
        sim,
        [
          { id: 'st', type: 'prusalink-status', interval: '0.5', output: 'poll', wires: [[]] },
          { id: 'fl', type: 'prusalink-files', mode: 'list', path: '', recursive: false, wires: [[]] },
        ],
        row.printer,
      );
      await h.load(flow, row.creds ? { printer1: row.creds } : credentials);
      const polled = h.nextMsg('caught', 5000, caughtFrom('st'));
      const caught = h.nextMsg('caught', 5000, caughtFrom('fl'));
      h.helper.getNode('fl').receive({});
      for (const err of [(await caught).error, (await polled).error]) {
        if (CATCH_HAS_CODE) assert.equal(err.code, 'INVALID_ARGUMENT');
        assert.match(err.message, row.words);
      }
      assert.deepEqual(h.lastStatus(h.helper.getNode('fl')), { fill: 'red', shape: 'ring', text: h.NS + 'reason.invalid' });
      assert.deepEqual(h.apiRequests(sim), []);
    });
  }
});

// A farm instance's unused slot: its host comes from an environment variable that is not set (examples/Printer farm
// instance over MQTT.json). It must stay quiet: no request, no error per poll, nothing in the log.
describe('an empty host: a printer not configured', () => {
  let sim;
  beforeEach(async () => {
    sim = await h.startSimulator({ family: 'buddy', speed: 50 });
    await h.startServer();
  });
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
  });

  // '${PRINTER_HOST}': what Node-RED 3.1 leaves of a placeholder whose variable is empty, and 4.1 of one not set.
  for (const host of ['', '${PRINTER_HOST}']) it(`host "${host}": a polling status node shows a grey "not configured", polls nothing and raises no error; a msg still gets "host is empty"`, async () => {
    const { flow, credentials } = h.flowWith(
      sim,
      [
        { id: 'st', type: 'prusalink-status', interval: '0.5', output: 'poll', wires: [['out']] },
        { id: 'fl', type: 'prusalink-files', mode: 'list', path: '', recursive: false, wires: [[]] },
        { id: 'out', type: 'helper', z: 'f1' },
      ],
      { host },
    );
    await h.load(flow, { printer1: { user: '', password: '' } });
    const caughtAll = h.collect('caught');
    const out = h.collect('out');
    // Four poll intervals: a printer that polled, or told its watchers of an unusable config, would have by now.
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual(caughtAll.map((m) => m.error.message), [], 'no error for an unused printer');
    assert.equal(out.length, 0);
    const shown = h.lastStatus(h.helper.getNode('st'));
    assert.equal(shown.fill, 'grey');
    assert.equal(h.translate(shown.text), 'not configured');
    assert.deepEqual(h.logLines().filter((l) => /"level":20\b/.test(l)), [], 'no error in the log');
    assert.deepEqual(h.apiRequests(sim), []);

    const caught = h.nextMsg('caught', 5000, caughtFrom('fl'));
    h.helper.getNode('fl').receive({});
    const err = (await caught).error;
    if (CATCH_HAS_CODE) assert.equal(err.code, 'INVALID_ARGUMENT');
    assert.match(err.message, /host is empty/);
    assert.deepEqual(h.apiRequests(sim), []);
  });
});

describe('IPv6 literals are valid hosts, with and without brackets', () => {
  let sim;
  beforeEach(async () => {
    sim = await h.startSimulator({ family: 'buddy', speed: 50, host: '::1' });
    await h.startServer();
  });
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
  });
  for (const host of ['::1', '[::1]']) {
    it(`host ${host} reaches a printer listening on ::1`, async () => {
      const { flow, credentials } = h.flowWith(sim, [{ id: 'st', type: 'prusalink-status', interval: '0', output: 'poll', wires: [['out']] }, { id: 'out', type: 'helper', z: 'f1' }], { host });
      await h.load(flow, credentials);
      const got = h.nextMsg('out');
      h.helper.getNode('st').receive({});
      assert.equal((await got).payload.state, 'IDLE');
      assert.equal(h.helper.getNode('printer1').printerName, 'sim-buddy');
      assert.equal(h.helper.getNode('printer1').getClient().label, `[::1]:${sim.port}`);
    });
  }
});
