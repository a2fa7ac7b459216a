'use strict';
// fileQueueStorage: the queue file is replaced atomically (a temporary file, fsync, rename), so a crash leaves the
// old state or the new one, never half; the spool keeps a buffer job's bytes as they were given.
const { describe, it, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { fileQueueStorage, QUEUE_FILE } = require('@makerflows/node-red-prusalink/queue');
const { tempDir } = require('./helpers');

const job = (id) => ({ id, source: { kind: 'printer', path: `/usb/${id}.gcode` }, copies: 1, copiesDone: 0, addedAt: '2026-12-05T08:00:00.000Z', state: 'queued' });
const stateWith = (...ids) => ({ version: 1, paused: false, jobs: ids.map(job) });

describe('fileQueueStorage', () => {
  const dirs = [];
  const fresh = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('load() of a folder without a queue gives undefined; save() then load() gives the state back', async () => {
    const dir = path.join(fresh(), 'not yet made');
    const s = fileQueueStorage(dir);
    assert.equal(await s.load(), undefined);
    await s.save(stateWith('a', 'b'));
    assert.deepEqual(await fileQueueStorage(dir).load(), stateWith('a', 'b'));
    assert.deepEqual(fs.readdirSync(dir), [QUEUE_FILE], 'no temporary file left');
  });

  it('a crash between the write and the rename leaves the old state readable (the half-written file is ignored)', async () => {
    const dir = fresh();
    const s = fileQueueStorage(dir);
    await s.save(stateWith('old'));
    // What a crash mid-save leaves: the new state half written in a temporary file, never renamed.
    const half = JSON.stringify(stateWith('new', 'newer')).slice(0, 40);
    fs.writeFileSync(path.join(dir, `${QUEUE_FILE}.4242.abcdef.tmp`), half);
    assert.deepEqual(await fileQueueStorage(dir).load(), stateWith('old'));
  });

  it('a save that fails before its rename leaves the old file whole', async () => {
    const dir = fresh();
    const s = fileQueueStorage(dir);
    await s.save(stateWith('old'));
    const realRename = fs.promises.rename;
    fs.promises.rename = async () => {
      throw Object.assign(new Error('simulated crash before rename'), { code: 'EIO' });
    };
    try {
      await assert.rejects(s.save(stateWith('new')), /simulated crash/);
    } finally {
      fs.promises.rename = realRename;
    }
    assert.deepEqual(await fileQueueStorage(dir).load(), stateWith('old'));
    // The next save still works after the failed one.
    await s.save(stateWith('new'));
    assert.deepEqual(await s.load(), stateWith('new'));
  });

  it('a crash in the middle of writing the new state leaves the old file whole', async () => {
    const dir = fresh();
    const s = fileQueueStorage(dir);
    await s.save(stateWith('old'));
    const realOpen = fs.promises.open;
    fs.promises.open = async (...args) => {
      const handle = await realOpen(...args);
      if (args[1] === 'w') {
        // The process dies after half of the bytes reached the file.
        handle.writeFile = async (data) => {
          await handle.write(Buffer.from(data).subarray(0, Math.floor(Buffer.byteLength(data) / 2)));
          throw Object.assign(new Error('simulated crash mid-write'), { code: 'EIO' });
        };
      }
      return handle;
    };
    try {
      await assert.rejects(s.save(stateWith('new', 'newer', 'newest')), /simulated crash/);
    } finally {
      fs.promises.open = realOpen;
    }
    assert.deepEqual(await fileQueueStorage(dir).load(), stateWith('old'));
  });

  it('saves in quick succession land in order: the last state wins', async () => {
    const dir = fresh();
    const s = fileQueueStorage(dir);
    await Promise.all([1, 2, 3, 4, 5].map((n) => s.save(stateWith(...Array.from({ length: n }, (_, i) => `j${i}`)))));
    assert.equal((await s.load()).jobs.length, 5);
  });

  it('temporary files a crash left are removed by a later load once they are old, and a young one is kept', async () => {
    const dir = fresh();
    const s = fileQueueStorage(dir);
    await s.save(stateWith('a'));
    const old = path.join(dir, `${QUEUE_FILE}.1.old.tmp`);
    const young = path.join(dir, `${QUEUE_FILE}.2.young.tmp`);
    fs.writeFileSync(old, '{');
    fs.writeFileSync(young, '{');
    const past = new Date(Date.now() - 10 * 60_000);
    fs.utimesSync(old, past, past);
    await s.load();
    assert.equal(fs.existsSync(old), false);
    assert.equal(fs.existsSync(young), true, 'another queue may be saving it right now (a redeploy)');
  });

  it('a file that is not a queue is refused, not taken as an empty queue', async () => {
    const dir = fresh();
    fs.writeFileSync(path.join(dir, QUEUE_FILE), JSON.stringify({ hello: 'world' }));
    await assert.rejects(fileQueueStorage(dir).load(), /not a print queue/);
  });

  it('spool: bytes round trip exactly, delete removes them, an id that is not a plain name is refused', async () => {
    const dir = fresh();
    const s = fileQueueStorage(dir);
    const bytes = Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 31) % 256));
    await s.saveBytes('q-abc-1', bytes);
    assert.ok((await s.loadBytes('q-abc-1')).equals(bytes));
    await s.deleteBytes('q-abc-1');
    await assert.rejects(s.loadBytes('q-abc-1'), { code: 'ENOENT' });
    await s.deleteBytes('q-abc-1'); // deleting twice is fine
    await assert.rejects(s.saveBytes('../escape', bytes), { code: 'BAD_INPUT' });
    assert.equal(fs.existsSync(path.join(dir, 'escape.bin')), false);
  });
});
