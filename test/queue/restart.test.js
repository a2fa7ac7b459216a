'use strict';
// The queue survives a stop and a new PrintQueue over the same storage (what a Node-RED restart or redeploy does
// to the engine): it picks up at the right job, recognises the running print as that job, loses and repeats nothing.
const { describe, it, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { PrusaLinkClient } = require('@makerflows/node-red-prusalink');
const { fileQueueStorage } = require('@makerflows/node-red-prusalink/queue');
const { SPEED, gcode, startPrinter, tempDir, makeQueue, waitFor, startRequests, acceptedStarts, names, autoClearBed } = require('./helpers');

const FILES = { 'a.gcode': gcode('a'), 'b.gcode': gcode('b'), 'c.gcode': gcode('c') };

describe('restart: a new queue over the same storage goes on where the old one stopped', () => {
  let cleanup = [];
  afterEach(async () => {
    for (const f of cleanup.reverse()) await f();
    cleanup = [];
  });

  async function setup(family = 'buddy') {
    const { sim, client } = await startPrinter(family, { files: FILES });
    const dir = tempDir();
    cleanup.push(async () => {
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    return { sim, client, dir };
  }

  /** A second "process": its own client and queue over the same folder. */
  function reopen(sim, dir, options, clearBed = true) {
    const client = new PrusaLinkClient({ host: sim.url, ...sim.credentials, timeout: 2000 });
    const q = makeQueue(client, dir, options);
    if (clearBed) autoClearBed(sim, q.queue);
    cleanup.push(async () => {
      await q.queue.stop();
      client.close();
    });
    return q;
  }

  async function firstRunUntilSecondStarts(sim, client, dir) {
    const a = makeQueue(client, dir);
    autoClearBed(sim, a.queue);
    for (const n of ['a', 'b', 'c']) await a.queue.add({ source: { kind: 'printer', path: `/usb/${n}.gcode` } });
    const ids = a.queue.list().jobs.map((j) => j.id);
    // Keep b printing through the restart: slowed the moment the queue reports its start.
    a.queue.on('event', (e) => e.event === 'started' && names(a.events, 'started').length === 2 && sim.control.setSpeed(20));
    await a.queue.start();
    await waitFor('the second job started', () => names(a.events, 'started').length === 2);
    await a.queue.stop();
    client.close();
    return { a, ids };
  }

  it('stopped mid-print: the new queue adopts the running print as its job, then runs the rest, each job once', async () => {
    const { sim, client, dir } = await setup();
    const { a, ids } = await firstRunUntilSecondStarts(sim, client, dir);
    const b = reopen(sim, dir);
    const snap = await b.queue.start();
    assert.equal(snap.current.id, ids[1], 'the persisted current job is the one printing');
    // Recognised by its file, then tied to the printer's id of that print (the second print of the printer).
    await waitFor('b recognised as the running print', () => b.queue.list().current?.printerJobId === 2);
    assert.equal(b.queue.list().waitingFor, 'printing');
    assert.equal(acceptedStarts(sim).length, 2, 'no new start for the adopted print');
    sim.control.setSpeed(SPEED);
    await waitFor('c finished', () => names(b.events, 'finished').length === 2);
    assert.deepEqual(names(a.events, 'finished').map((e) => e.job.id), [ids[0]]);
    assert.deepEqual(names(b.events, 'finished').map((e) => e.job.id), [ids[1], ids[2]]);
    assert.deepEqual(names(b.events, 'started').map((e) => e.job.id), [ids[2]]);
    assert.equal(acceptedStarts(sim).length, 3);
    assert.equal(startRequests(sim).length, 3, 'three start requests in all');
  });

  it('the print ended while the queue was down: counted finished on start, not printed again', async () => {
    const { sim, client, dir } = await setup();
    const { ids } = await firstRunUntilSecondStarts(sim, client, dir);
    sim.control.setSpeed(SPEED);
    await waitFor('b finished on the printer', () => sim.control.state === 'FINISHED');
    const b = reopen(sim, dir);
    await b.queue.start();
    await waitFor('c finished', () => names(b.events, 'finished').length === 2);
    assert.deepEqual(names(b.events, 'finished').map((e) => e.job.id), [ids[1], ids[2]]);
    assert.equal(acceptedStarts(sim).length, 3, 'b was not started again');
  });

  it('right after start(), before any poll, a saved paused queue says "paused" and a saved empty one "empty"', async () => {
    const { sim, client, dir } = await setup();
    client.close();
    const job = { id: 'q-paused-1', source: { kind: 'printer', path: '/usb/a.gcode' }, copies: 1, copiesDone: 0, addedAt: new Date().toISOString(), state: 'queued' };
    await fileQueueStorage(dir).save({ version: 1, paused: true, jobs: [job] });
    // start() resolves before its first look at the printer (a timer): what it says comes from the saved state.
    const b = reopen(sim, dir);
    const snap = await b.queue.start();
    assert.equal(snap.waitingFor, 'paused');
    assert.equal(b.queue.list().waitingFor, 'paused');
    await fileQueueStorage(dir).save({ version: 1, paused: false, jobs: [] });
    const c = reopen(sim, dir);
    assert.equal((await c.queue.start()).waitingFor, 'empty');
  });

  /** A persisted state as a crash right after saving 'starting' (before or after the request) leaves it. */
  async function crashedWhileStarting(dir, path) {
    const job = { id: 'q-crash-1', source: { kind: 'printer', path }, copies: 1, copiesDone: 0, addedAt: new Date().toISOString(), state: 'starting' };
    await fileQueueStorage(dir).save({ version: 1, paused: false, jobs: [], current: job });
    return job;
  }

  it('a crash after the start was sent: the printer runs the file, the job is adopted and no start is sent', async () => {
    const { sim, client, dir } = await setup();
    client.close();
    await crashedWhileStarting(dir, '/usb/b.gcode');
    sim.control.setSpeed(20);
    sim.control.startPrint('b.gcode'); // the start that went through before the crash
    const b = reopen(sim, dir);
    await b.queue.start();
    await waitFor('adopted', () => names(b.events, 'started').length === 1);
    assert.equal(b.events[0].reason, 'recovered');
    assert.equal(b.queue.list().current.state, 'printing');
    assert.equal(startRequests(sim).length, 0, 'no start request');
  });

  /** A saved state older than the printer: the head still 'queued' (a context store flushes only every 30 s). */
  async function staleQueuedHead(dir, extra = {}) {
    const job = { id: 'q-stale-1', source: { kind: 'printer', path: '/usb/b.gcode' }, copies: 1, copiesDone: 0, addedAt: new Date().toISOString(), state: 'queued' };
    await fileQueueStorage(dir).save({ version: 1, paused: false, jobs: [job], ...extra });
    return job;
  }

  it('a stale save (head still queued) while the printer prints its file: adopted at the first look, no start, counted once', async () => {
    const { sim, client, dir } = await setup();
    client.close();
    const job = await staleQueuedHead(dir);
    sim.control.setSpeed(20);
    sim.control.startPrint('b.gcode'); // our start, whose save the crash lost
    const b = reopen(sim, dir);
    await b.queue.start();
    await waitFor('adopted', () => names(b.events, 'started').length === 1);
    assert.equal(b.events[0].reason, 'recovered');
    assert.equal(b.queue.list().current.id, job.id);
    assert.equal(b.queue.list().current.state, 'printing');
    assert.equal(b.queue.list().waitingFor, 'printing');
    sim.control.setSpeed(SPEED);
    await waitFor('finished', () => names(b.events, 'finished').length === 1);
    await new Promise((r) => setTimeout(r, 200)); // a few more polls: nothing starts it again
    assert.deepEqual(names(b.events, 'finished').map((e) => e.job.id), [job.id]);
    assert.equal(startRequests(sim).length, 0, 'no start request');
    assert.deepEqual(b.queue.list().jobs, []);
  });

  it('the same file started by hand after the first look is not adopted: "printer-busy", then the job prints once', async () => {
    const { sim, client, dir } = await setup();
    client.close();
    // The bed still holds an earlier print of ours, cleared by the flow: the queue waits at its first look.
    const job = await staleQueuedHead(dir, { awaitingBedClear: true });
    const b = reopen(sim, dir, { bedClear: 'flow' }, false); // nobody clears the bed on the printer's screen
    await b.queue.start();
    await waitFor('waiting for the bed', () => b.queue.list().waitingFor === 'bed-clear');
    sim.control.setSpeed(20);
    sim.control.startPrint('b.gcode');
    await waitFor('busy', () => b.queue.list().waitingFor === 'printer-busy');
    assert.equal(b.queue.list().current, undefined, 'not adopted');
    sim.control.setSpeed(SPEED);
    await waitFor('the hand print ended', () => sim.control.state === 'FINISHED');
    await b.queue.bedCleared();
    await waitFor('finished', () => names(b.events, 'finished').length === 1);
    assert.deepEqual(names(b.events, 'finished').map((e) => e.job.id), [job.id]);
    assert.equal(acceptedStarts(sim).length, 1, 'the queue started its job itself, once');
  });

  it('a crash before the start was sent: the printer shows no such print, the job is started once', async () => {
    const { sim, client, dir } = await setup();
    client.close();
    await crashedWhileStarting(dir, '/usb/b.gcode');
    const b = reopen(sim, dir);
    await b.queue.start();
    await waitFor('finished', () => names(b.events, 'finished').length === 1);
    assert.equal(startRequests(sim).length, 1, 'one start request');
    assert.equal(names(b.events, 'started').length, 1);
  });

  it('a crash during the upload of a spooled job: the printer shows no such print, the bytes go up once and print', async () => {
    const { sim, client, dir } = await setup('pi');
    client.close();
    const storage = fileQueueStorage(dir);
    const job = { id: 'q-crash-2', source: { kind: 'buffer', name: 'spooled.gcode' }, copies: 1, copiesDone: 0, addedAt: new Date().toISOString(), state: 'uploading', printerPath: '/local/spooled.gcode' };
    await storage.saveBytes(job.id, Buffer.from(gcode('spooled')));
    await storage.save({ version: 1, paused: false, jobs: [], current: job });
    const b = reopen(sim, dir);
    await b.queue.start();
    await waitFor('finished', () => names(b.events, 'finished').length === 1);
    const puts = sim.control.requests().filter((r) => r.method === 'PUT');
    assert.deepEqual(puts.map((r) => r.path), ['/api/v1/files/local/spooled.gcode'], 'one upload');
    assert.equal(sim.control.readFile('spooled.gcode').toString(), gcode('spooled'));
    assert.equal(fs.existsSync(require('node:path').join(dir, 'spool', 'q-crash-2.bin')), false, 'the spool is emptied once printed');
  });
});
