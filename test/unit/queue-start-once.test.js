'use strict';
// Starting a queue job once (src/queue/start-once.ts) against a fake printer that records every call, so that each
// case can say exactly which requests went out. The rules come from the facts document
// (../shared/docs/prusalink-api.md): §11.1 after ANY upload error ask the printer before reporting or retrying (a
// blind retry risks a double print), and 409 "Can't print right now" means the file is stored; §7 409 is "not now";
// §11.9 Buddy names a stored file by its 8.3 alias.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startOnce, uploadTarget, uploadSource, printPath } = require('../../dist/queue/start-once');

const err = (code, message = code) => Object.assign(new Error(message), { code });
const IDLE = { state: 'IDLE', printer: { state: 'IDLE' } };
const runningFile = (p, id) => ({
  state: 'PRINTING',
  printer: { state: 'PRINTING' },
  job: { ...(id === undefined ? {} : { id }), state: 'PRINTING', progress: 1, file: { name: path.basename(p), display_name: path.basename(p), path: p, display_path: p } },
});

/**
 * A fake printer. `answers` gives what each call does: a value, an Error to throw, or a function of the arguments.
 * Every call is recorded as [method, ...args].
 */
function fakeClient(answers = {}) {
  const calls = [];
  const client = {};
  for (const method of ['status', 'exists', 'print', 'upload', 'detect']) {
    client[method] = async (...args) => {
      calls.push([method, ...args]);
      let a = answers[method];
      if (typeof a === 'function') a = a(...args);
      if (a instanceof Error) throw a;
      return a;
    };
  }
  return { client, calls, methods: () => calls.map((c) => c[0]) };
}
function storage(bytes = {}) {
  return {
    loadBytes: async (id) => {
      if (!(id in bytes)) throw err('ENOENT', `no spool for ${id}`);
      return bytes[id];
    },
  };
}
const deps = (client, family = 'buddy', extra = {}) => ({ client, storage: storage(), family, defaultStorage: 'usb', ...extra });
const printerJob = (p = '/usb/a.gcode', extra = {}) => ({ id: 'q-1', source: { kind: 'printer', path: p }, copies: 1, copiesDone: 0, state: 'starting', ...extra });
const bufferJob = (extra = {}) => ({ id: 'q-2', source: { kind: 'buffer', name: 'b.gcode' }, copies: 1, copiesDone: 0, state: 'uploading', printerPath: '/usb/b.gcode', ...extra });

let dir;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-start-unit-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('queue start once: a file on the printer', () => {
  it('a print the printer accepts: started, one print request and nothing else', async () => {
    const f = fakeClient();
    assert.deepEqual(await startOnce(printerJob(), deps(f.client)), { kind: 'started' });
    assert.deepEqual(f.calls, [['print', '/usb/a.gcode']]);
  });

  it('an error while the printer shows our file running: started (recovered), with its job id, never sent again', async () => {
    const f = fakeClient({ print: err('TIMEOUT'), status: runningFile('/usb/a.gcode', 42) });
    assert.deepEqual(await startOnce(printerJob(), deps(f.client)), { kind: 'started', recovered: true, printerJobId: 42 });
    assert.deepEqual(f.methods(), ['print', 'status']);
  });

  it('recovered on a printer without job ids (MINI): started, recovered, no printerJobId', async () => {
    const f = fakeClient({ print: err('HTTP_ERROR'), status: runningFile('/usb/a.gcode') });
    assert.deepEqual(await startOnce(printerJob(), deps(f.client, 'mini-legacy')), { kind: 'started', recovered: true });
  });

  it('no answer and the printer cannot be asked: "unknown" (decided later from the printer), the start not sent again', async () => {
    const f = fakeClient({ print: err('TIMEOUT', 'timed out'), status: err('UNREACHABLE') });
    assert.deepEqual(await startOnce(printerJob(), deps(f.client)), { kind: 'unknown', error: { code: 'TIMEOUT', message: 'timed out' } });
    assert.deepEqual(f.methods(), ['print', 'status']);
  });

  it('no answer and an idle printer: still "unknown", not a retry (the start may yet show up)', async () => {
    for (const code of ['TIMEOUT', 'UNREACHABLE', 'HTTP_ERROR', 'ERROR']) {
      const f = fakeClient({ print: err(code), status: IDLE });
      assert.equal((await startOnce(printerJob(), deps(f.client))).kind, 'unknown', code);
    }
  });

  it('another file running after an error is not ours: the error decides', async () => {
    const f = fakeClient({ print: err('PRINTER_BUSY'), status: runningFile('/usb/other.gcode', 3) });
    assert.deepEqual(await startOnce(printerJob(), deps(f.client)), { kind: 'retry', error: { code: 'PRINTER_BUSY', message: 'PRINTER_BUSY' }, waitingFor: 'printer-busy' });
  });

  it('"not now" answers (409) with nothing running: retry, waiting for "printer-busy"', async () => {
    for (const code of ['NOT_READY', 'PRINTER_BUSY', 'FILE_BUSY', 'TRANSFER_IN_PROGRESS', 'FILE_EXISTS']) {
      for (const family of ['buddy', 'pi']) {
        const f = fakeClient({ print: err(code), status: IDLE });
        assert.deepEqual(await startOnce(printerJob(), deps(f.client, family)), { kind: 'retry', error: { code, message: code }, waitingFor: 'printer-busy' }, `${family} ${code}`);
      }
    }
  });

  it('MINI: NOT_READY means "away from the main screen" (waiting for "main-screen"); its other 409s are "printer-busy"', async () => {
    let f = fakeClient({ print: err('NOT_READY'), status: IDLE });
    assert.equal((await startOnce(printerJob(), deps(f.client, 'mini-legacy'))).waitingFor, 'main-screen');
    f = fakeClient({ print: err('PRINTER_BUSY'), status: IDLE });
    assert.equal((await startOnce(printerJob(), deps(f.client, 'mini-legacy'))).waitingFor, 'printer-busy');
  });

  it('refusals that prove nothing will start: skip, "file-not-found" for NOT_FOUND, "not-printable" for the rest', async () => {
    const cases = { NOT_FOUND: 'file-not-found', UNSUPPORTED_FILE: 'not-printable', UNSUPPORTED: 'not-printable', INVALID_PATH: 'not-printable', INVALID_ARGUMENT: 'not-printable', NAME_TOO_LONG: 'not-printable' };
    for (const [code, reason] of Object.entries(cases)) {
      const f = fakeClient({ print: err(code), status: IDLE });
      assert.deepEqual(await startOnce(printerJob(), deps(f.client)), { kind: 'skip', error: { code, message: code }, reason }, code);
      assert.deepEqual(f.methods(), ['print', 'status'], `${code}: asked the printer before deciding`);
    }
  });
});

describe('queue start once: a file that goes up first', () => {
  it('spooled bytes: one upload with print-after-upload and overwrite to the job\'s target; stored, the alias kept', async () => {
    const bytes = Buffer.from('G28\n');
    const f = fakeClient({ upload: { path: '/usb/b.gcode', size: 4, printStarted: true, file: { path: '/usb/B~1.GCO' } } });
    const job = bufferJob();
    const out = await startOnce(job, deps(f.client, 'buddy', { storage: storage({ 'q-2': bytes }) }));
    assert.deepEqual(out, { kind: 'started' });
    assert.deepEqual(f.calls, [['upload', { buffer: bytes }, '/usb/b.gcode', { printAfterUpload: true, overwrite: true }]]);
    assert.equal(job.stored, true);
    assert.equal(job.printerAlias, '/usb/B~1.GCO');
  });

  it('the trap answered inside the client (recoveredFromError): started, recovered, one upload', async () => {
    const f = fakeClient({ upload: { path: '/usb/b.gcode', size: 4, printStarted: true, recoveredFromError: true } });
    const job = bufferJob();
    assert.deepEqual(await startOnce(job, deps(f.client, 'buddy', { storage: storage({ 'q-2': Buffer.from('x') }) })), { kind: 'started', recovered: true });
    assert.deepEqual(f.methods(), ['upload']);
    assert.equal(job.printerAlias, undefined, 'no file read back, no alias');
  });

  it('the upload errors and the printer runs our file (§11.1): started, recovered, the upload not sent again', async () => {
    const f = fakeClient({ upload: err('NOT_FOUND'), status: runningFile('/usb/b.gcode', 5) });
    const out = await startOnce(bufferJob(), deps(f.client, 'buddy', { storage: storage({ 'q-2': Buffer.from('x') }) }));
    assert.deepEqual(out, { kind: 'started', recovered: true, printerJobId: 5 });
    assert.deepEqual(f.methods(), ['upload', 'status']);
  });

  it('stored but not started: retry (NOT_READY), and the next start prints the stored file, never uploads again', async () => {
    const f = fakeClient({ upload: { path: '/usb/b.gcode', size: 1, printStarted: false, file: { path: '/usb/B~1.GCO' } }, status: IDLE });
    const job = bufferJob();
    const out = await startOnce(job, deps(f.client, 'buddy', { storage: storage({ 'q-2': Buffer.from('x') }) }));
    assert.equal(out.kind, 'retry');
    assert.equal(out.error.code, 'NOT_READY');
    assert.match(out.error.message, /stored as \/usb\/b\.gcode but the printer did not start it/);
    assert.equal(job.stored, true);
    const g = fakeClient();
    assert.deepEqual(await startOnce(job, deps(g.client, 'buddy', { storage: storage() })), { kind: 'started' });
    assert.deepEqual(g.calls, [['print', '/usb/B~1.GCO']]);
  });

  it('409 "Can\'t print right now" after the body (§11.1): the file is there, so it is marked stored; not there, not', async () => {
    let f = fakeClient({ upload: err('NOT_READY'), status: IDLE, exists: true });
    let job = bufferJob();
    assert.equal((await startOnce(job, deps(f.client, 'buddy', { storage: storage({ 'q-2': Buffer.from('x') }) }))).kind, 'retry');
    assert.deepEqual(f.calls.slice(1), [['status'], ['exists', '/usb/b.gcode']]);
    assert.equal(job.stored, true);
    f = fakeClient({ upload: err('NOT_READY'), status: IDLE, exists: false });
    job = bufferJob();
    await startOnce(job, deps(f.client, 'buddy', { storage: storage({ 'q-2': Buffer.from('x') }) }));
    assert.equal(job.stored, undefined);
    f = fakeClient({ upload: err('NOT_READY'), status: IDLE, exists: err('UNREACHABLE') });
    job = bufferJob();
    assert.equal((await startOnce(job, deps(f.client, 'buddy', { storage: storage({ 'q-2': Buffer.from('x') }) }))).kind, 'retry');
    assert.equal(job.stored, undefined, 'an existence check that fails proves nothing');
  });

  it('other 409s come before the body: no existence check, nothing marked stored', async () => {
    const f = fakeClient({ upload: err('TRANSFER_IN_PROGRESS'), status: IDLE, exists: true });
    const job = bufferJob();
    assert.equal((await startOnce(job, deps(f.client, 'buddy', { storage: storage({ 'q-2': Buffer.from('x') }) }))).kind, 'retry');
    assert.deepEqual(f.methods(), ['upload', 'status']);
    assert.equal(job.stored, undefined);
  });

  it('our stored copy was deleted on the printer (NOT_FOUND): retry, and the next start uploads again', async () => {
    const f = fakeClient({ print: err('NOT_FOUND'), status: IDLE });
    const job = bufferJob({ stored: true, printerAlias: '/usb/B~1.GCO' });
    assert.deepEqual(await startOnce(job, deps(f.client)), { kind: 'retry', error: { code: 'NOT_FOUND', message: 'NOT_FOUND' }, waitingFor: 'printer-busy' });
    assert.equal(job.stored, undefined);
    assert.equal(job.printerAlias, undefined);
  });

  it('FILE_EXISTS on a MINI (it cannot replace a file): skip "file-exists"; on Buddy it is a retry', async () => {
    let f = fakeClient({ upload: err('FILE_EXISTS'), status: IDLE });
    assert.deepEqual(await startOnce(bufferJob(), deps(f.client, 'mini-legacy', { storage: storage({ 'q-2': Buffer.from('x') }) })), { kind: 'skip', error: { code: 'FILE_EXISTS', message: 'FILE_EXISTS' }, reason: 'file-exists' });
    f = fakeClient({ upload: err('FILE_EXISTS'), status: IDLE });
    assert.equal((await startOnce(bufferJob(), deps(f.client, 'buddy', { storage: storage({ 'q-2': Buffer.from('x') }) }))).kind, 'retry');
  });

  it('MINI: an upload answered NOT_READY waits for its main screen (a retry), it is no "file-exists" skip', async () => {
    const f = fakeClient({ upload: err('NOT_READY'), status: IDLE, exists: true });
    const out = await startOnce(bufferJob(), deps(f.client, 'mini-legacy', { storage: storage({ 'q-2': Buffer.from('x') }) }));
    assert.deepEqual(out, { kind: 'retry', error: { code: 'NOT_READY', message: 'NOT_READY' }, waitingFor: 'main-screen' });
  });

  it('MINI: a print of a printer file answered FILE_EXISTS is "not now" (a retry), not the upload\'s "file-exists" skip', async () => {
    const f = fakeClient({ print: err('FILE_EXISTS'), status: IDLE });
    assert.deepEqual(await startOnce(printerJob(), deps(f.client, 'mini-legacy')), { kind: 'retry', error: { code: 'FILE_EXISTS', message: 'FILE_EXISTS' }, waitingFor: 'printer-busy' });
  });

  it('a stored file\'s print answered NOT_READY: a retry, without asking again whether the file is there', async () => {
    const f = fakeClient({ print: err('NOT_READY'), status: IDLE, exists: true });
    const job = bufferJob({ stored: true, printerAlias: '/usb/B~1.GCO' });
    assert.equal((await startOnce(job, deps(f.client))).kind, 'retry');
    assert.deepEqual(f.calls, [['print', '/usb/B~1.GCO'], ['status']]);
    assert.equal(job.stored, true);
  });

  it('a missing spool or local file: skipped before any request, with the reason', async () => {
    let f = fakeClient();
    assert.deepEqual(await startOnce(bufferJob(), deps(f.client)), { kind: 'skip', error: { code: 'ENOENT', message: 'no spool for q-2' }, reason: 'spool-missing' });
    const job = { id: 'q-3', source: { kind: 'local', file: path.join(dir, 'gone.gcode') }, copies: 1, copiesDone: 0, state: 'uploading' };
    f = fakeClient();
    const out = await startOnce(job, deps(f.client));
    assert.equal(out.kind, 'skip');
    assert.equal(out.reason, 'local-file-missing');
    assert.equal(out.error.code, 'ENOENT');
    assert.deepEqual(f.calls, []);
  });
});

describe('queue start once: where a file goes and what goes up', () => {
  it('uploadTarget: a printer file is its path; an upload its target, else its name in the default storage', () => {
    assert.equal(uploadTarget(printerJob('/usb/x.gcode'), 'usb'), '/usb/x.gcode');
    assert.equal(uploadTarget({ source: { kind: 'buffer', name: 'b.gcode', target: '/usb/dir/c.gcode' } }, 'usb'), '/usb/dir/c.gcode');
    assert.equal(uploadTarget({ source: { kind: 'buffer', name: 'b.gcode' } }, 'local'), '/local/b.gcode');
    assert.equal(uploadTarget({ source: { kind: 'local', file: '/home/me/prints/part.bgcode' } }, 'usb'), '/usb/part.bgcode');
  });

  it('printPath: the flow\'s path for a printer file; for an upload the printer\'s alias, else the target', () => {
    assert.equal(printPath(printerJob('/usb/x.gcode', { printerAlias: '/usb/X~1.GCO' })), '/usb/x.gcode');
    assert.equal(printPath(bufferJob({ printerAlias: '/usb/B~1.GCO' })), '/usb/B~1.GCO');
    assert.equal(printPath(bufferJob()), '/usb/b.gcode');
  });

  it('uploadSource: a local file is streamed from disk, or read by readLocal; a folder is refused as ENOENT', async () => {
    const file = path.join(dir, 'part.gcode');
    fs.writeFileSync(file, 'G28\n');
    const job = { id: 'q-4', source: { kind: 'local', file } };
    assert.deepEqual(await uploadSource(job, deps(fakeClient().client)), { file });
    const read = [];
    const readLocal = async (p) => (read.push(p), Buffer.from('bytes'));
    assert.deepEqual(await uploadSource(job, deps(fakeClient().client, 'buddy', { readLocal })), { buffer: Buffer.from('bytes') });
    assert.deepEqual(read, [file]);
    await assert.rejects(uploadSource({ id: 'q-5', source: { kind: 'local', file: dir } }, deps(fakeClient().client)), (e) => e.code === 'ENOENT' && e.message.includes('is not a file'));
  });

  it('a local job streams its file: the upload gets { file } and the target from its name', async () => {
    const file = path.join(dir, 'Long name.gcode');
    fs.writeFileSync(file, 'G28\n');
    const f = fakeClient({ upload: { path: '/usb/Long name.gcode', size: 4, printStarted: true } });
    const job = { id: 'q-6', source: { kind: 'local', file }, copies: 1, copiesDone: 0, state: 'uploading' };
    assert.deepEqual(await startOnce(job, deps(f.client)), { kind: 'started' });
    assert.deepEqual(f.calls, [['upload', { file }, '/usb/Long name.gcode', { printAfterUpload: true, overwrite: true }]]);
  });
});
