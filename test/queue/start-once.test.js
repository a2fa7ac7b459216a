'use strict';
// A start is never sent twice: the print-after-upload trap (the printer answers an error although it stored the
// file and started it, facts document §11.1) and a start whose answer is lost are checked against the printer.
const { describe, it, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { gcode, startPrinter, tempDir, makeQueue, waitFor, names, autoClearBed } = require('./helpers');

/** Uploads the printer received: PUT (v1) or a multipart POST (MINI 4.4.1's legacy upload). */
function uploads(sim) {
  return sim.control.requests().filter((r) => r.method === 'PUT' || (r.method === 'POST' && /multipart/.test(String(r.headers['content-type']))));
}
/** Starts of a file already on the printer: a POST to a file that carries no upload. */
function plainStarts(sim) {
  return sim.control.requests().filter((r) => r.method === 'POST' && /^\/api\/(v1\/)?files\//.test(r.path) && !/multipart/.test(String(r.headers['content-type'])));
}

describe('start once', () => {
  let cleanup = [];
  afterEach(async () => {
    for (const f of cleanup.reverse()) await f();
    cleanup = [];
  });

  async function setup(family, clientWrapper = (c) => c, files = {}) {
    const { sim, client } = await startPrinter(family, { files });
    const dir = tempDir();
    const q = makeQueue(clientWrapper(client), dir);
    if (family !== 'mini-legacy') autoClearBed(sim, q.queue);
    cleanup.push(async () => {
      await q.queue.stop();
      client.close();
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    return { sim, client, dir, q };
  }

  for (const [family, status] of [['buddy', 409], ['buddy', 404], ['pi', 409], ['mini-legacy', 409]]) {
    it(`${family}: the trap (upload + print answered ${status}, print started) gives one upload and no second start`, async () => {
      const { sim, q, dir } = await setup(family);
      sim.control.setFaults({ printAfterUploadTrap: status });
      const local = path.join(dir, 'part one.gcode');
      fs.writeFileSync(local, gcode('local'));
      await q.queue.add({ source: { kind: 'buffer', name: 'spooled.gcode' }, data: Buffer.from(gcode('buffer')), copies: 2 });
      await q.queue.add({ source: { kind: 'local', file: local } });
      await q.queue.start();
      await waitFor('first copy started', () => names(q.events, 'started').length === 1);
      const first = names(q.events, 'started')[0];
      assert.equal(first.reason, 'recovered', 'the error was recognised as a started print');
      assert.equal(uploads(sim).length, 1, 'one upload');
      assert.equal(plainStarts(sim).length, 0, 'no start request after the trap');
      assert.ok(sim.control.listFiles().includes('spooled.gcode'));
      await waitFor('all printed', () => names(q.events, 'finished').length === 3, 10000);
      // The second copy prints the stored file (the MINI cannot replace it); the local file is the second upload.
      assert.equal(uploads(sim).length, 2, 'one upload per job');
      assert.equal(plainStarts(sim).length, 1, 'one start of the stored file for the second copy');
      assert.deepEqual(names(q.events, 'finished').map((e) => e.copy), [1, 2, 1]);
      assert.deepEqual(names(q.events, 'failed'), []);
      assert.ok(sim.control.listFiles().includes('part one.gcode'));
    });
  }

  it('MINI away from its main screen: the upload stores the file, 409; the retries print the stored file, never upload again', async () => {
    const { sim, q } = await setup('mini-legacy');
    sim.control.setMainScreen(false);
    await q.queue.add({ source: { kind: 'buffer', name: 'mini part.gcode' }, data: Buffer.from(gcode('mini')) });
    await q.queue.start();
    await waitFor('main-screen', () => q.queue.list().waitingFor === 'main-screen');
    await new Promise((r) => setTimeout(r, 200)); // several retries
    assert.equal(uploads(sim).length, 1, 'one upload');
    assert.ok(plainStarts(sim).length >= 2, 'the retries are starts of the stored file');
    assert.deepEqual(names(q.events, 'skipped'), []);
    sim.control.setMainScreen(true);
    await waitFor('finished', () => names(q.events, 'finished').length === 1);
    assert.equal(uploads(sim).length, 1);
    assert.deepEqual(names(q.events, 'failed'), []);
  });

  it('a local file deleted before its turn: event "skipped" (reason "local-file-missing"), nothing sent, the next job goes on', async () => {
    const { sim, q, dir } = await setup('buddy', undefined, { 'a.gcode': gcode('a') });
    const local = path.join(dir, 'soon gone.gcode');
    fs.writeFileSync(local, gcode('gone'));
    await q.queue.add({ source: { kind: 'local', file: local } });
    await q.queue.add({ source: { kind: 'printer', path: '/usb/a.gcode' } });
    fs.rmSync(local);
    await q.queue.start();
    await waitFor('a finished', () => names(q.events, 'finished').length === 1);
    const [skipped] = names(q.events, 'skipped');
    assert.equal(skipped.reason, 'local-file-missing');
    assert.equal(skipped.job.source.file, local);
    assert.equal(uploads(sim).length, 0, 'no upload');
    assert.equal(plainStarts(sim).length, 1, 'only the next job was started');
  });

  it('a start whose answer is lost (it started): the printer is asked, the job is not started again', async () => {
    let calls = 0;
    const lossy = (client) => ({
      detect: () => client.detect(),
      status: () => client.status(),
      exists: (p) => client.exists(p),
      upload: (...a) => client.upload(...a),
      print: async (p) => {
        calls++;
        await client.print(p);
        throw Object.assign(new Error('the printer did not answer in time'), { code: 'TIMEOUT' });
      },
    });
    const { sim, q } = await setup('buddy', lossy, { 'a.gcode': gcode('a') });
    await q.queue.add({ source: { kind: 'printer', path: '/usb/a.gcode' } });
    await q.queue.start();
    await waitFor('finished', () => names(q.events, 'finished').length === 1);
    assert.equal(calls, 1);
    assert.equal(plainStarts(sim).length, 1, 'one start request');
    assert.equal(names(q.events, 'started')[0].reason, 'recovered');
  });

  it('a start that failed without an answer (it did not start): sent again only after the printer shows no print', async () => {
    let calls = 0;
    let looksSinceFailure = 0;
    const failingOnce = (client) => ({
      detect: () => client.detect(),
      status: () => {
        if (calls === 1) looksSinceFailure++;
        return client.status();
      },
      exists: (p) => client.exists(p),
      upload: (...a) => client.upload(...a),
      print: async (p) => {
        calls++;
        if (calls === 1) throw Object.assign(new Error('socket hang up'), { code: 'SERVER_ERROR' });
        return client.print(p);
      },
    });
    const { sim, q } = await setup('buddy', failingOnce, { 'a.gcode': gcode('a') });
    await q.queue.add({ source: { kind: 'printer', path: '/usb/a.gcode' } });
    await q.queue.start();
    await waitFor('finished', () => names(q.events, 'finished').length === 1);
    assert.equal(calls, 2, 'the start was tried again');
    // Looks after the error: right after it (start-once), two polls that find no print (queue-core's
    // NOT_STARTED_LOOKS), then the poll that starts the job again.
    assert.ok(looksSinceFailure >= 4, `the printer was looked at enough before the retry: ${looksSinceFailure}`);
    assert.equal(plainStarts(sim).length, 1, 'the printer received one start');
    assert.equal(names(q.events, 'started').length, 1);
  });
});
