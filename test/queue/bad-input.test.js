'use strict';
// Bad input is refused with a QueueError naming the problem, before anything changes: the queue, its file and the
// printer (no request but the existence check of a printer file).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { PrintQueue, QueueError, fileQueueStorage } = require('@makerflows/node-red-prusalink/queue');
const { gcode, startPrinter, tempDir, makeQueue } = require('./helpers');

describe('bad input', () => {
  let sim;
  let client;
  let dir;
  let q;
  let jobId;
  let fileBefore;

  before(async () => {
    ({ sim, client } = await startPrinter('buddy', { files: { 'a.gcode': gcode('a') } }));
    dir = tempDir();
    q = makeQueue(client, dir);
    jobId = (await q.queue.add({ source: { kind: 'printer', path: '/usb/a.gcode' } })).jobs[0].id;
    await client.detect();
    fileBefore = fs.readFileSync(path.join(dir, 'queue.json'), 'utf8');
  });
  after(async () => {
    await q.queue.stop();
    client.close();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The call fails with `code` and a message matching `words`; nothing changed, nothing saved, `requests` sent. */
  async function refused(call, code, words, requests = []) {
    sim.control.clearRequests();
    const changes = q.changes.length;
    const listed = JSON.stringify(q.queue.list());
    await assert.rejects(call(), (e) => {
      assert.ok(e instanceof QueueError, `a QueueError, got ${e && e.name}: ${e && e.message}`);
      assert.equal(e.code, code);
      assert.match(e.message, words);
      return true;
    });
    assert.equal(q.changes.length, changes, 'no change emitted');
    assert.equal(JSON.stringify(q.queue.list()), listed, 'the queue is unchanged');
    assert.equal(fs.readFileSync(path.join(dir, 'queue.json'), 'utf8'), fileBefore, 'nothing saved');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['queue.json'], 'no spool, no temporary file');
    assert.deepEqual(sim.control.requests().map((r) => `${r.method} ${r.path}`), requests);
  }

  it('an unknown printer file: FILE_NOT_FOUND after one existence check', async () => {
    await refused(() => q.queue.add({ source: { kind: 'printer', path: '/usb/nope.gcode' } }), 'FILE_NOT_FOUND', /nope\.gcode/, ['HEAD /api/v1/files/usb/nope.gcode']);
  });

  it('a local file that does not exist: FILE_NOT_FOUND, no request', async () => {
    await refused(() => q.queue.add({ source: { kind: 'local', file: path.join(dir, 'gone.gcode') } }), 'FILE_NOT_FOUND', /gone\.gcode/);
  });

  it('a file that is not printable, a folder, a missing path: BAD_INPUT', async () => {
    await refused(() => q.queue.add({ source: { kind: 'printer', path: '/usb/notes.txt' } }), 'BAD_INPUT', /not a print file/);
    await refused(() => q.queue.add({ source: { kind: 'printer', path: '/usb/dir/' } }), 'BAD_INPUT', /folder/);
    await refused(() => q.queue.add({ source: { kind: 'printer' } }), 'BAD_INPUT', /source\.path/);
    await refused(() => q.queue.add({ source: { kind: 'printer', path: '/usb/../a.gcode' } }), 'BAD_INPUT', /"\.\."/);
  });

  it('a bad source kind, a buffer without bytes, bytes for a printer file: BAD_INPUT', async () => {
    await refused(() => q.queue.add({ source: { kind: 'ftp', path: '/a.gcode' } }), 'BAD_INPUT', /source\.kind/);
    await refused(() => q.queue.add({}), 'BAD_INPUT', /source/);
    await refused(() => q.queue.add({ source: { kind: 'buffer', name: 'b.gcode' } }), 'BAD_INPUT', /needs its bytes/);
    await refused(() => q.queue.add({ source: { kind: 'buffer', name: 'x/b.gcode' }, data: Buffer.from('G28') }), 'BAD_INPUT', /without folders/);
    await refused(() => q.queue.add({ source: { kind: 'printer', path: '/usb/a.gcode' }, data: Buffer.from('G28') }), 'BAD_INPUT', /only for "buffer"/);
  });

  it('bad copies: BAD_INPUT naming copies', async () => {
    for (const copies of [0, -1, 1.5, '2', 1001, NaN]) {
      await refused(() => q.queue.add({ source: { kind: 'printer', path: '/usb/a.gcode' }, copies }), 'BAD_INPUT', /copies/);
    }
  });

  it('a bad time: BAD_TIME naming notBefore', async () => {
    for (const notBefore of ['tomorrow', '25:00', 'not a date', new Date('x'), Infinity, {}, '2026-13-45T99:00:00Z']) {
      await refused(() => q.queue.add({ source: { kind: 'printer', path: '/usb/a.gcode' }, notBefore }), 'BAD_TIME', /notBefore/);
    }
  });

  it('a bad position: BAD_INPUT', async () => {
    await refused(() => q.queue.add({ source: { kind: 'printer', path: '/usb/a.gcode' }, position: -1 }), 'BAD_INPUT', /position/);
  });

  it('remove and move of an unknown job: NO_SUCH_JOB; a bad id or index: BAD_INPUT', async () => {
    await refused(() => q.queue.remove('q-unknown'), 'NO_SUCH_JOB', /q-unknown/);
    await refused(() => q.queue.move('q-unknown', 0), 'NO_SUCH_JOB', /q-unknown/);
    await refused(() => q.queue.remove(42), 'BAD_INPUT', /job id/);
    await refused(() => q.queue.move(jobId, -2), 'BAD_INPUT', /toIndex/);
    await refused(() => q.queue.move(jobId, 'first'), 'BAD_INPUT', /toIndex/);
  });

  it('bad options: BAD_INPUT before a queue exists', () => {
    const storage = fileQueueStorage(dir);
    assert.throws(() => new PrintQueue({ client, storage, bedClear: 'sometimes' }), { code: 'BAD_INPUT', message: /bedClear/ });
    assert.throws(() => new PrintQueue({ client, storage, bedClear: 'flow', pollMs: 0 }), { code: 'BAD_INPUT', message: /pollMs/ });
    assert.throws(() => new PrintQueue({ storage, bedClear: 'flow' }), { code: 'BAD_INPUT', message: /client/ });
  });

  it('good input after all that: the one job is still there and a valid add works', async () => {
    assert.deepEqual(q.queue.list().jobs.map((j) => j.id), [jobId]);
    const snap = await q.queue.add({ source: { kind: 'printer', path: '/usb/a.gcode' }, copies: 2, notBefore: '2030-01-01T08:00:00+01:00', position: 0 });
    assert.equal(snap.jobs[0].notBefore, '2030-01-01T07:00:00.000Z');
    assert.equal(snap.jobs[0].copies, 2);
    assert.equal(snap.jobs[1].id, jobId);
  });
});
