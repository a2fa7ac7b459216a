'use strict';
// A queue of three jobs runs to the end on each family, with the bed cleared between prints the family's way
// (facts document §7 POST and §8: Buddy's end-of-print screen, the Pi's return to IDLE, the MINI's main screen).
const { describe, it, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { gcode, startPrinter, tempDir, makeQueue, waitFor, startRequests, acceptedStarts, names } = require('./helpers');

const FILES = { 'a.gcode': gcode('a'), 'b.gcode': gcode('b'), 'c.gcode': gcode('c') };
const ROOT = { buddy: '/usb', 'mini-legacy': '/usb', pi: '/local' };

describe('three jobs run to the end, the bed cleared between prints', () => {
  let cleanup = [];
  afterEach(async () => {
    for (const f of cleanup.reverse()) await f();
    cleanup = [];
  });

  /** Starts a printer and a queue of a, b, c; `onBedClear` is what clears the bed once the queue waits for it. */
  async function run(family, bedClear, clearBed, onFinished) {
    const { sim, client } = await startPrinter(family, { files: FILES });
    const dir = tempDir();
    const q = makeQueue(client, dir, { bedClear });
    if (onFinished) q.queue.on('event', (e) => e.event === 'finished' && onFinished(sim));
    cleanup.push(async () => {
      await q.queue.stop();
      client.close();
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    for (const n of ['a', 'b', 'c']) await q.queue.add({ source: { kind: 'printer', path: `${ROOT[family]}/${n}.gcode` } });
    await q.queue.start();
    const ids = q.queue.list().jobs.map((j) => j.id);
    for (let i = 0; i < 3; i++) {
      await waitFor(`finished #${i + 1}`, () => names(q.events, 'finished').length === i + 1);
      if (i < 2) await clearBed({ sim, q, i });
    }
    await waitFor('empty queue', () => q.queue.list().waitingFor === 'empty' || q.queue.list().waitingFor === 'bed-clear');
    assert.deepEqual(names(q.events, 'started').map((e) => e.job.id), ids, 'each job started once, in order');
    assert.deepEqual(names(q.events, 'finished').map((e) => e.job.id), ids);
    assert.equal(acceptedStarts(sim).length, 3, 'three starts accepted by the printer');
    assert.deepEqual(q.queue.list().jobs, []);
    assert.equal(q.queue.list().current, undefined);
    assert.deepEqual(q.errors, []);
    return { sim, q };
  }

  /** The queue does not start the next job while it waits: it says what for, and no start is sent. */
  async function holdsWhile(sim, q, waitingFor, starts) {
    await waitFor(`waiting for ${waitingFor}`, () => q.queue.list().waitingFor === waitingFor);
    await new Promise((r) => setTimeout(r, 200)); // several polls
    assert.equal(q.queue.list().waitingFor, waitingFor);
    assert.equal(acceptedStarts(sim).length, starts, `no start while waiting for ${waitingFor}`);
  }

  it('Buddy, bedClear "printer": waits on the end-of-print screen until the printer reports READY/IDLE', async () => {
    const { q } = await run('buddy', 'printer', async ({ sim, q, i }) => {
      assert.equal(sim.control.state, 'FINISHED');
      await holdsWhile(sim, q, 'bed-clear', i + 1);
      sim.control.setState('IDLE'); // the user confirms on the printer's screen
    });
    // One per wait between prints; after the last print the queue is empty and waits for nothing.
    assert.equal(names(q.events, 'waiting-for-bed-clear').length, 2);
  });

  it('Buddy, bedClear "flow": waits for bedCleared() and then starts from the end-of-print screen', async () => {
    const { q } = await run('buddy', 'flow', async ({ sim, q, i }) => {
      await holdsWhile(sim, q, 'bed-clear', i + 1);
      sim.control.setState('IDLE'); // the printer's own confirmation is not enough in this mode
      await holdsWhile(sim, q, 'bed-clear', i + 1);
      sim.control.setState('FINISHED');
      await q.queue.bedCleared();
      await waitFor('next start', () => names(q.events, 'started').length === i + 2);
    });
    assert.equal(names(q.events, 'waiting-for-bed-clear').length, 2);
  });

  it('Pi: waits for the printer to return to IDLE after a print (it answers 409 before), sending no start', async () => {
    await run(
      'pi',
      'printer',
      async ({ sim, q, i }) => {
        await holdsWhile(sim, q, 'bed-clear', i + 1);
        assert.equal(startRequests(sim).length, i + 1, 'not even a refused start');
        sim.control.setState('IDLE'); // PrusaLink's return to IDLE, ~10 s after the end on a real Pi
      },
      // Hold the end state as long as the test needs (the simulator leaves it after 5 ms at this speed); through IDLE
      // so that the simulator has no ended job left to clear on its own.
      (sim) => {
        sim.control.setState('IDLE');
        sim.control.setState('FINISHED');
      },
    );
  });

  it('MINI 4.4.1: a 409 away from the main screen makes it wait for the main screen, the job kept', async () => {
    const { q } = await run('mini-legacy', 'printer', async ({ sim, q, i }) => {
      await holdsWhile(sim, q, 'main-screen', i + 1);
      const { jobs, current } = q.queue.list(); // a retry in flight holds the job as current for its moment
      assert.equal(jobs.length + (current ? 1 : 0), 2 - i, 'the job is kept, not failed');
      assert.equal(names(q.events, 'failed').length, 0);
      sim.control.setMainScreen(true);
    }, (sim) => sim.control.setMainScreen(false)); // the end-of-print screen replaces the main screen
    assert.ok(names(q.events, 'started').length === 3);
  });
});
