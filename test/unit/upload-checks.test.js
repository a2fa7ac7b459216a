'use strict';
// Unit tests of the upload checks of src/client/upload/upload.ts: what an upload refuses or adjusts before it sends a byte.
// No server: the real ClientContext over a fake transport that answers from a table and records every request.
// Inputs and expected values: the facts document (prusalink-api.md) §1 (printable types, MINI 4.4 uploads into
// the USB root), §4.4 (Pi's read-only sdcard), §4.6 (409 for an existing name), §9 (name limits: Buddy 103-byte
// target, MINI 4.4 103 characters, Pi's forbidden characters); the MINI 4.4.1 listing is PrusaLinkPy's README body.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { ClientContext } = require('../../dist/client/context');
const { uploadTarget, refuseExistingOnMini, refuseExistingOnPi } = require('../../dist/client/upload/upload');

const LABEL = 'printer-under-test';
/** PrusaLinkError puts the printer's label before the message. */
const said = (text) => `PrusaLink ${LABEL}: ${text}`;

/** A ClientContext whose transport answers `answers[METHOD target]` (status, JSON body) and records what was asked. */
function fakeContext(answers = {}) {
  const asked = [];
  const transport = {
    async send(spec) {
      const key = `${spec.method} ${spec.target}`;
      asked.push(key);
      const a = answers[key];
      if (!a) throw new Error(`unexpected request ${key}`);
      return { status: a.status, headers: {}, body: Buffer.from(a.json === undefined ? '' : JSON.stringify(a.json)) };
    },
  };
  const scheduler = { run: (_upload, fn) => fn() };
  const ctx = new ClientContext(LABEL, transport, scheduler);
  return { ctx, asked };
}

const BUDDY = {
  family: 'buddy',
  capabilities: { uploadByPut: true, v1: true },
  storages: [{ name: 'usb', display_name: 'usb', type: 'USB', read_only: false, available: true }],
  defaultStorage: 'usb',
};
// §4.4: Pi PrusaLink's `local` (writable) and `sdcard` (read-only), the writable one first.
const PI = {
  family: 'pi',
  capabilities: { uploadByPut: true, v1: true },
  storages: [
    { name: 'local', display_name: 'PrusaLink gcodes', type: 'LOCAL', read_only: false, available: true },
    { name: 'sdcard', type: 'SDCARD', read_only: true, available: true },
  ],
  defaultStorage: 'local',
};
const MINI = {
  family: 'mini-legacy',
  capabilities: { uploadByPut: false, v1: false },
  storages: [{ name: 'usb', read_only: false, available: true }],
  defaultStorage: 'usb',
};

// PrusaLinkPy's README, MINI 4.4.1 `GET /api/files`.
const { MINI_FILES } = require('./fixtures/prusalinkpy-mini');

async function codeOf(promiseOrFn) {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    return e;
  }
  assert.fail('expected an error');
}

describe('upload-checks: uploadTarget, where the file will go', () => {
  it('Buddy, a printable name in a folder: the path as asked, no warning, no request', () => {
    const { ctx, asked } = fakeContext();
    assert.deepEqual(uploadTarget(ctx, BUDDY, '/usb/DIR/a.gcode', {}), { pp: { storage: 'usb', segments: ['DIR', 'a.gcode'] } });
    assert.deepEqual(asked, []);
  });
  it('Pi, a printable name on the writable storage (local): the path as asked', () => {
    const { ctx } = fakeContext();
    assert.deepEqual(uploadTarget(ctx, PI, '/local/a.gcode', {}), { pp: { storage: 'local', segments: ['a.gcode'] } });
  });
  it('a file that is not printable (§1): UNSUPPORTED_FILE, labelled with the printer', async () => {
    const e = await codeOf(() => uploadTarget(fakeContext().ctx, BUDDY, '/usb/notes.txt', {}));
    assert.equal(e.code, 'UNSUPPORTED_FILE');
    assert.equal(e.printer, LABEL);
    assert.match(e.message, /"notes\.txt" is not a printable file/);
  });
  it('Buddy, an upload target over 103 bytes (§9): NAME_TOO_LONG before any request, labelled', async () => {
    // "/usb/" + 99 characters = 104 bytes
    const { ctx, asked } = fakeContext();
    const e = await codeOf(() => uploadTarget(ctx, BUDDY, '/usb/' + 'a'.repeat(93) + '.gcode', {}));
    assert.equal(e.code, 'NAME_TOO_LONG');
    assert.equal(e.printer, LABEL);
    assert.deepEqual(asked, []);
  });
  it('Pi, a forbidden character (§9, "#"): INVALID_PATH, labelled', async () => {
    const e = await codeOf(() => uploadTarget(fakeContext().ctx, PI, '/local/part#2.gcode', {}));
    assert.equal(e.code, 'INVALID_PATH');
    assert.equal(e.printer, LABEL);
    assert.match(e.message, /the character "#"/);
  });
  it('MINI 4.4, a name over 103 characters (§9): NAME_TOO_LONG', async () => {
    const e = await codeOf(() => uploadTarget(fakeContext().ctx, MINI, '/usb/' + 'a'.repeat(98) + '.gcode', {}));
    assert.equal(e.code, 'NAME_TOO_LONG');
  });
  it('Pi, the read-only sdcard (§4.4): FORBIDDEN, naming the storage', async () => {
    const e = await codeOf(() => uploadTarget(fakeContext().ctx, PI, '/sdcard/a.gcode', {}));
    assert.equal(e.code, 'FORBIDDEN');
    assert.equal(e.message, said('the storage "sdcard" is read-only'));
    assert.equal(e.printer, LABEL);
  });
  it('MINI 4.4, a file in the root: the path as asked, no warning (even with toRootIfUnsupported)', () => {
    const { ctx } = fakeContext();
    assert.deepEqual(uploadTarget(ctx, MINI, '/usb/a.gcode', {}), { pp: { storage: 'usb', segments: ['a.gcode'] } });
    assert.deepEqual(uploadTarget(ctx, MINI, '/usb/a.gcode', { toRootIfUnsupported: true }), { pp: { storage: 'usb', segments: ['a.gcode'] } });
  });
  it('MINI 4.4, a file in a folder (§1: it stores in the USB root only): UNSUPPORTED, naming the folder', async () => {
    const e = await codeOf(() => uploadTarget(fakeContext().ctx, MINI, '/usb/A/B/a.gcode', {}));
    assert.equal(e.code, 'UNSUPPORTED');
    assert.equal(
      e.message,
      said('this printer (MINI firmware 4.4) can only upload into the root of the USB stick, not into "A/B"; upload to the root or set toRootIfUnsupported'),
    );
    assert.equal(e.printer, LABEL);
  });
  it('MINI 4.4, a file in a folder with toRootIfUnsupported: stored in the root, with a warning saying where', () => {
    assert.deepEqual(uploadTarget(fakeContext().ctx, MINI, '/usb/A/B/a.gcode', { toRootIfUnsupported: true }), {
      pp: { storage: 'usb', segments: ['a.gcode'] },
      warning: 'this printer (MINI firmware 4.4) cannot upload into a folder: the file was stored as /usb/a.gcode instead of /usb/A/B/a.gcode',
    });
  });
});

describe('upload-checks: refuseExistingOnMini, one listing of the USB root (PrusaLinkPy body)', () => {
  const listing = () => fakeContext({ 'GET /api/files': { status: 200, json: MINI_FILES } });
  const target = (name) => ({ storage: 'usb', segments: [name] });

  it('a name not in the root: resolves, after asking GET /api/files once', async () => {
    const { ctx, asked } = listing();
    assert.equal(await refuseExistingOnMini(ctx, MINI, target('other.gcode'), false), undefined);
    assert.deepEqual(asked, ['GET /api/files']);
  });
  it('the 8.3 name in another case: FILE_EXISTS naming the long path', async () => {
    const e = await codeOf(refuseExistingOnMini(listing().ctx, MINI, target('debouc~1.gco'), false));
    assert.equal(e.code, 'FILE_EXISTS');
    assert.equal(e.message, said('/usb/DEBOUCHAGE.gcode already exists on the printer'));
    assert.equal(e.printer, LABEL);
  });
  it('the long (display) name in another case: FILE_EXISTS', async () => {
    const e = await codeOf(refuseExistingOnMini(listing().ctx, MINI, target('deboUCHAGE.GCODE'), false));
    assert.equal(e.code, 'FILE_EXISTS');
    assert.equal(e.message, said('/usb/DEBOUCHAGE.gcode already exists on the printer'));
  });
  it('with overwrite: still FILE_EXISTS (the MINI cannot replace), saying the file is not deleted', async () => {
    const e = await codeOf(refuseExistingOnMini(listing().ctx, MINI, target('DEBOUCHAGE.gcode'), true));
    assert.equal(e.code, 'FILE_EXISTS');
    assert.equal(
      e.message,
      said('/usb/DEBOUCHAGE.gcode already exists on the printer, and this printer (MINI firmware 4.4) cannot replace a file. It is not deleted automatically, because a failed upload would then lose it: delete it first (e.g. with the rm node), then upload again'),
    );
  });
});

describe('upload-checks: refuseExistingOnPi, one existence check (§4.6: Pi answers 409 before the body)', () => {
  it('with overwrite: no request at all, resolves', async () => {
    const { ctx, asked } = fakeContext();
    assert.equal(await refuseExistingOnPi(ctx, PI, { storage: 'local', segments: ['a.gcode'] }, true), undefined);
    assert.deepEqual(asked, []);
  });
  it('a name that is not there (404): resolves, after one GET of the file', async () => {
    const { ctx, asked } = fakeContext({ 'GET /api/v1/files/local/DIR/a.gcode': { status: 404 } });
    assert.equal(await refuseExistingOnPi(ctx, PI, { storage: 'local', segments: ['DIR', 'a.gcode'] }, false), undefined);
    assert.deepEqual(asked, ['GET /api/v1/files/local/DIR/a.gcode']);
  });
  it('a name that is there (200), no overwrite: FILE_EXISTS with status 409, naming the path', async () => {
    const { ctx } = fakeContext({ 'GET /api/v1/files/local/DIR/a.gcode': { status: 200, json: { name: 'a.gcode', type: 'PRINT_FILE' } } });
    const e = await codeOf(refuseExistingOnPi(ctx, PI, { storage: 'local', segments: ['DIR', 'a.gcode'] }, false));
    assert.equal(e.code, 'FILE_EXISTS');
    assert.equal(e.status, 409);
    assert.equal(e.message, said('/local/DIR/a.gcode already exists on the printer (set overwrite to replace it)'));
    assert.equal(e.printer, LABEL);
  });
});
