'use strict';
// An offline printer keeps its queue (facts document §11.10: offline is a state, not an error): jobs wait, a job
// added meanwhile is accepted unchecked, and the queue goes on when the printer answers again on the same port.
const { describe, it, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { SPEED, gcode, startPrinter, tempDir, makeQueue, waitFor, acceptedStarts, names, autoClearBed } = require('./helpers');

describe('offline printer', () => {
  let cleanup = [];
  after(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  it('keeps its jobs while offline, accepts jobs unchecked, and goes on when the printer is back', async () => {
    const { sim, client } = await startPrinter('buddy', { files: { 'a.gcode': gcode('a'), 'b.gcode': gcode('b') } });
    const dir = tempDir();
    const q = makeQueue(client, dir);
    autoClearBed(sim, q.queue);
    cleanup.push(async () => {
      await q.queue.stop();
      client.close();
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    await q.queue.add({ source: { kind: 'printer', path: '/usb/a.gcode' } });
    await q.queue.add({ source: { kind: 'printer', path: '/usb/b.gcode' } });
    await q.queue.pauseQueue();
    await q.queue.start();
    await sim.control.refuse(); // switched off: connection refused
    await waitFor('offline', () => q.queue.list().waitingFor === 'offline');
    await q.queue.resumeQueue();
    const late = await q.queue.add({ source: { kind: 'printer', path: '/usb/missing.gcode' } });
    const lateJob = late.jobs[2];
    assert.equal(lateJob.unchecked, true, 'accepted unchecked: the printer cannot be asked');
    await new Promise((r) => setTimeout(r, 200));
    const snap = q.queue.list();
    assert.equal(snap.waitingFor, 'offline');
    assert.equal(snap.jobs.length, 3, 'every job kept');
    assert.equal(snap.current, undefined, 'nothing started');
    assert.deepEqual(q.errors, [], 'offline is a state, not an error');

    await sim.control.listen();
    await waitFor('both printed', () => names(q.events, 'finished').length === 2);
    await waitFor('the unchecked job skipped', () => names(q.events, 'skipped').length === 1);
    const skipped = names(q.events, 'skipped')[0];
    assert.equal(skipped.job.id, lateJob.id);
    assert.equal(skipped.reason, 'file-not-found');
    assert.equal(acceptedStarts(sim).length, 2);
    assert.deepEqual(q.queue.list().jobs, []);
  });

  it('a printer that goes offline during a print keeps the job as current and counts it when back', async () => {
    const { sim, client } = await startPrinter('pi', { files: { 'a.gcode': gcode('a') } });
    const dir = tempDir();
    const q = makeQueue(client, dir);
    cleanup.push(async () => {
      await q.queue.stop();
      client.close();
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    await q.queue.add({ source: { kind: 'printer', path: '/local/a.gcode' }, copies: 2 });
    // The first copy is still printing when the printer goes offline: slowed the moment the queue reports its start.
    q.queue.on('event', (e) => e.event === 'started' && names(q.events, 'started').length === 1 && sim.control.setSpeed(20));
    await q.queue.start();
    await waitFor('started', () => names(q.events, 'started').length === 1);
    await sim.control.refuse();
    await waitFor('offline', () => q.queue.list().waitingFor === 'offline');
    assert.equal(q.queue.list().current.state, 'printing');
    sim.control.setSpeed(SPEED);
    await sim.control.listen();
    await waitFor('two copies', () => names(q.events, 'finished').length === 2);
    assert.equal(acceptedStarts(sim).length, 2);
  });
});
