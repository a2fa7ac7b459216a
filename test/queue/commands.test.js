'use strict';
// The flow's commands and what the queue waits for: order, move, remove, clear, pause/resume, copies, a start
// time, a printer busy with a print of its own, and a cancelled print (queue-core.ts header: the decisions).
const { describe, it, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { SPEED, gcode, startPrinter, tempDir, makeQueue, waitFor, acceptedStarts, names, autoClearBed } = require('./helpers');

const FILES = { 'a.gcode': gcode('a'), 'b.gcode': gcode('b'), 'c.gcode': gcode('c') };
const src = (n) => ({ kind: 'printer', path: `/usb/${n}.gcode` });
const fileOf = (e) => e.job.source.path;

describe('commands', () => {
  let cleanup = [];
  afterEach(async () => {
    for (const f of cleanup.reverse()) await f();
    cleanup = [];
  });

  async function setup(options = {}) {
    const { sim, client } = await startPrinter('buddy', { files: FILES });
    const dir = tempDir();
    const q = makeQueue(client, dir, options);
    cleanup.push(async () => {
      await q.queue.stop();
      client.close();
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    return { sim, q, dir };
  }

  it('move, remove and clear reorder and drop waiting jobs; the order is the print order', async () => {
    const { sim, q } = await setup();
    autoClearBed(sim, q.queue);
    const ids = [];
    for (const n of ['a', 'b', 'c']) ids.push((await q.queue.add({ source: src(n) })).jobs.at(-1).id);
    let snap = await q.queue.move(ids[2], 0);
    assert.deepEqual(snap.jobs.map((j) => j.id), [ids[2], ids[0], ids[1]]);
    snap = await q.queue.move(ids[2], 99); // past the end: the end
    assert.deepEqual(snap.jobs.map((j) => j.id), [ids[0], ids[1], ids[2]]);
    snap = await q.queue.remove(ids[1]);
    assert.deepEqual(snap.jobs.map((j) => j.id), [ids[0], ids[2]]);
    await q.queue.add({ source: src('b'), position: 0 });
    await q.queue.start();
    await waitFor('three printed', () => names(q.events, 'finished').length === 3);
    assert.deepEqual(names(q.events, 'finished').map(fileOf), ['/usb/b.gcode', '/usb/a.gcode', '/usb/c.gcode']);
    snap = await q.queue.add({ source: src('a') });
    await q.queue.pauseQueue();
    await q.queue.add({ source: src('b') });
    snap = await q.queue.clear();
    assert.deepEqual(snap.jobs, []);
  });

  it('pauseQueue holds the next start (waitingFor "paused"); resumeQueue lets it go', async () => {
    const { sim, q } = await setup();
    await q.queue.add({ source: src('a') });
    await q.queue.pauseQueue();
    await q.queue.start();
    await waitFor('paused', () => q.queue.list().waitingFor === 'paused');
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(acceptedStarts(sim).length, 0);
    await q.queue.resumeQueue();
    await waitFor('finished', () => names(q.events, 'finished').length === 1);
  });

  it('copies: a job prints its copies one after the other, then leaves the queue', async () => {
    const { sim, q } = await setup();
    autoClearBed(sim, q.queue);
    await q.queue.add({ source: src('a'), copies: 3 });
    await q.queue.add({ source: src('b') });
    await q.queue.start();
    await waitFor('four printed', () => names(q.events, 'finished').length === 4);
    assert.deepEqual(names(q.events, 'finished').map((e) => [fileOf(e), e.copy]), [['/usb/a.gcode', 1], ['/usb/a.gcode', 2], ['/usb/a.gcode', 3], ['/usb/b.gcode', 1]]);
    assert.equal(acceptedStarts(sim).length, 4);
  });

  it('notBefore: the head job waits for its time ("start-time"), and the jobs behind it wait too', async () => {
    let now = Date.parse('2026-12-05T08:00:00Z');
    const { sim, q } = await setup({ now: () => now });
    await q.queue.add({ source: src('a'), notBefore: '2026-12-05T22:00:00Z' });
    await q.queue.add({ source: src('b') });
    await q.queue.start();
    await waitFor('start-time', () => q.queue.list().waitingFor === 'start-time');
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(acceptedStarts(sim).length, 0);
    now = Date.parse('2026-12-05T22:00:01Z');
    await waitFor('a started', () => names(q.events, 'started').length === 1);
    assert.equal(fileOf(names(q.events, 'started')[0]), '/usb/a.gcode');
  });

  it('a print started by hand on the printer: the queue waits ("printer-busy") and starts after it', async () => {
    const { sim, q } = await setup();
    autoClearBed(sim, q.queue);
    sim.control.setSpeed(20);
    sim.control.startPrint('c.gcode');
    await q.queue.add({ source: src('a') });
    await q.queue.start();
    await waitFor('printer-busy', () => q.queue.list().waitingFor === 'printer-busy');
    assert.equal(q.queue.list().current, undefined);
    sim.control.setSpeed(SPEED);
    await waitFor('a finished', () => names(q.events, 'finished').length === 1);
    // The hand-started print ended on the end-of-print screen too: the bed was cleared before a started.
    assert.equal(names(q.events, 'waiting-for-bed-clear').length, 1);
  });

  it('a cancelled print: event "failed" (reason "stopped"), the copy not counted, the job kept at the head, the queue paused', async () => {
    const { sim, q } = await setup();
    await q.queue.add({ source: src('a') });
    await q.queue.add({ source: src('b') });
    sim.control.setSpeed(20);
    await q.queue.start();
    await waitFor('a printing', () => q.queue.list().waitingFor === 'printing');
    sim.control.setState('STOPPED');
    await waitFor('failed', () => names(q.events, 'failed').length === 1);
    const failed = names(q.events, 'failed')[0];
    assert.equal(failed.reason, 'stopped');
    assert.equal(fileOf(failed), '/usb/a.gcode');
    const snap = q.queue.list();
    assert.equal(snap.paused, true);
    assert.deepEqual(snap.jobs.map((j) => [j.source.path, j.copiesDone, j.state]), [['/usb/a.gcode', 0, 'queued'], ['/usb/b.gcode', 0, 'queued']]);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(acceptedStarts(sim).length, 1, 'nothing started after the cancel');
  });

  it('a printer error that ends the print: event "failed" (reason "error"), the job kept, the queue paused', async () => {
    const { sim, q } = await setup();
    await q.queue.add({ source: src('a') });
    sim.control.setSpeed(20);
    await q.queue.start();
    await waitFor('a printing', () => q.queue.list().waitingFor === 'printing');
    sim.control.setState('ERROR', 'thermal runaway');
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(names(q.events, 'failed').length, 0, 'an error that keeps the job shown is still our print');
    sim.control.setState('IDLE'); // the printer drops the job
    sim.control.setState('ERROR');
    await waitFor('failed', () => names(q.events, 'failed').length === 1);
    assert.equal(names(q.events, 'failed')[0].reason, 'error');
    assert.equal(q.queue.list().paused, true);
    assert.equal(q.queue.list().jobs.length, 1);
  });

  it('remove() of the current job forgets it without stopping the print; the queue then waits for the printer', async () => {
    const { sim, q } = await setup();
    await q.queue.add({ source: src('a') });
    await q.queue.add({ source: src('b') });
    sim.control.setSpeed(20);
    await q.queue.start();
    await waitFor('a printing', () => q.queue.list().waitingFor === 'printing');
    const snap = await q.queue.remove(q.queue.list().current.id);
    assert.equal(snap.current, undefined);
    await waitFor('printer-busy', () => q.queue.list().waitingFor === 'printer-busy');
    assert.equal(sim.control.state, 'PRINTING', 'the print goes on');
  });
});
