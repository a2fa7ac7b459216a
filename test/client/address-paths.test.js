'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { parseAddress } = require('../../dist/client/options');
const { parseUserPath, encodeSegments, checkPrintable, checkUploadLimits } = require('../../dist/client/files/paths');
const { PrusaLinkClient, PrusaLinkError } = require('@makerflows/node-red-prusalink');
const { extractPrinterMessage, codeForStatus, httpError } = require('../../dist/client/errors');

function code(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PrusaLinkError, `not a PrusaLinkError: ${e}`);
    return e.code;
  }
  assert.fail('did not throw');
}

describe('host parsing', () => {
  const cases = [
    ['192.168.0.123', undefined, 'http://192.168.0.123:80', '192.168.0.123:80'],
    ['prusa-mk4.local:8080', undefined, 'http://prusa-mk4.local:8080', 'prusa-mk4.local:8080'],
    ['http://10.0.0.5/', undefined, 'http://10.0.0.5:80', '10.0.0.5:80'],
    ['https://h:8443', undefined, 'https://h:8443', 'h:8443'],
    ['https://printer', undefined, 'https://printer:443', 'printer:443'],
    ['::1', undefined, 'http://[::1]:80', '[::1]:80'],
    ['[::1]:8080', undefined, 'http://[::1]:8080', '[::1]:8080'],
    ['127.0.0.1', 9000, 'http://127.0.0.1:9000', '127.0.0.1:9000'],
  ];
  for (const [host, port, url, label] of cases) {
    it(`${host}${port ? ' port ' + port : ''}`, () => {
      const a = parseAddress(host, port);
      assert.equal(a.baseUrl, url);
      assert.equal(a.label, label);
    });
  }
  for (const bad of ['', '   ', 'http://h/path', 'h?x=1', 'h:0', 'h:65536', 'h:abc', 'ftp://h', 'user:pw@h', 'bad host', '[zz]:80']) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.equal(code(() => parseAddress(bad)), 'INVALID_ARGUMENT'));
  }
  it('refuses a port option out of range and a bad constructor option', () => {
    assert.equal(code(() => new PrusaLinkClient({ host: 'h', port: 70000 })), 'INVALID_ARGUMENT');
    assert.equal(code(() => new PrusaLinkClient({ host: 'h', timeout: -1 })), 'INVALID_ARGUMENT');
    assert.equal(code(() => new PrusaLinkClient({ host: 'http://h', allowSelfSigned: true })), 'INVALID_ARGUMENT');
  });
  it('label never carries a credential', () => {
    const c = new PrusaLinkClient({ host: '127.0.0.1:1', password: 'sekret', apiKey: 'kkk' });
    assert.equal(c.label, '127.0.0.1:1');
    c.close();
  });
});

describe('paths', () => {
  const storages = ['local', 'sdcard'];
  it('splits storage and relative paths', () => {
    assert.deepEqual(parseUserPath('/usb/dir/a.gcode', ['usb'], 'usb'), { storage: 'usb', segments: ['dir', 'a.gcode'] });
    assert.deepEqual(parseUserPath('dir/a.gcode', ['usb'], 'usb'), { storage: 'usb', segments: ['dir', 'a.gcode'] });
    assert.deepEqual(parseUserPath('/dir/a.gcode', storages, 'local'), { storage: 'local', segments: ['dir', 'a.gcode'] });
    assert.deepEqual(parseUserPath('/sdcard/x.gcode', storages, 'local'), { storage: 'sdcard', segments: ['x.gcode'] });
    assert.deepEqual(parseUserPath('', storages, 'local'), { storage: 'local', segments: [] });
  });
  for (const bad of ['../x.gcode', 'a/./b.gcode', 'a/../../etc', 'a\\b.gcode', 'a\u0000.gcode', 'a\nb.gcode', '~/x.gcode']) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.equal(code(() => parseUserPath(bad, ['usb'], 'usb')), 'INVALID_PATH'));
  }
  it('encodes each segment, + as %2B', () => {
    assert.equal(encodeSegments(['a b', 'c+d#?.gcode', 'ü']), 'a%20b/c%2Bd%23%3F.gcode/%C3%BC');
  });
  it('printable types per family', () => {
    assert.doesNotThrow(() => checkPrintable('buddy', { storage: 'usb', segments: ['a.bgcode'] }, 'a.bgcode'));
    assert.equal(code(() => checkPrintable('pi', { storage: 'local', segments: ['a.bgcode'] }, 'a.bgcode')), 'UNSUPPORTED_FILE');
    assert.equal(code(() => checkPrintable('mini-legacy', { storage: 'usb', segments: ['a.txt'] }, 'a.txt')), 'UNSUPPORTED_FILE');
  });
  it('Buddy upload target ≤ 103 bytes, names ≤ 167; MINI 4.4 names ≤ 103', () => {
    const ok = 'a'.repeat(92) + '.gcode'; // "/usb/" + 98 = 103 bytes
    assert.doesNotThrow(() => checkUploadLimits('buddy', { storage: 'usb', segments: [ok] }, ok));
    const over = 'ä'.repeat(47) + '.gcode'; // 100 bytes of name
    assert.equal(code(() => checkUploadLimits('buddy', { storage: 'usb', segments: [over] }, over)), 'NAME_TOO_LONG');
    const mini = 'm'.repeat(100) + '.gcode';
    assert.equal(code(() => checkUploadLimits('mini-legacy', { storage: 'usb', segments: [mini] }, mini)), 'NAME_TOO_LONG');
  });
});

describe('error mapping', () => {
  it('reads the printer message from JSON, text/plain and HTML', () => {
    assert.equal(extractPrinterMessage(Buffer.from('{"title":"409: Conflict","message":"File already exists"}'), 'application/json'), 'File already exists');
    assert.equal(extractPrinterMessage(Buffer.from('409: Conflict\n\nFile already exists\n'), 'text/plain'), 'File already exists');
    assert.equal(extractPrinterMessage(Buffer.from('<html><head><title>x</title></head><body><h1>Not Found</h1></body></html>'), 'text/html'), 'Not Found');
  });
  it('maps 409 variants and the other statuses', () => {
    assert.equal(codeForStatus(409, 'Another transfer in progress'), 'TRANSFER_IN_PROGRESS');
    assert.equal(codeForStatus(409, 'File already exists'), 'FILE_EXISTS');
    assert.equal(codeForStatus(409, 'File is busy'), 'FILE_BUSY');
    assert.equal(codeForStatus(409, "Can't print right now"), 'NOT_READY');
    assert.equal(codeForStatus(409, 'whatever'), 'PRINTER_BUSY');
    assert.equal(codeForStatus(415), 'UNSUPPORTED_FILE');
    assert.equal(codeForStatus(414), 'NAME_TOO_LONG');
    assert.equal(codeForStatus(431), 'NAME_TOO_LONG');
    assert.equal(codeForStatus(404), 'NOT_FOUND');
    assert.equal(codeForStatus(503), 'SERVER_ERROR');
  });
  it("the Pi's 409 for a folder that is not empty is FOLDER_NOT_EMPTY, not a busy printer", () => {
    // PrusaLink 0.8.1, prusa/link/conditions.py DirectoryNotEmpty, as its JSON error body (Accept: application/json)
    const body = Buffer.from(JSON.stringify({ title: 'Directory is not empty', message: "Directory can't be deleted, because it's not empty." }));
    const err = httpError(409, body, 'application/json', { method: 'DELETE', path: '/api/v1/files/local/x', printer: 'pi:80' });
    assert.equal(err.code, 'FOLDER_NOT_EMPTY');
    assert.equal(err.printerMessage, "Directory can't be deleted, because it's not empty.");
  });
});
