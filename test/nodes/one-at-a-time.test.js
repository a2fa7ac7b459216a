'use strict';
// The controller's one-at-a-time queue (in src/nodes/controller.ts), which the upload and sync nodes run their work
// in: one job at a time, in order; a stop aborts the running job with its reason and fails every queued job at once,
// without starting it; a job asked for after the stop fails at once.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { OneAtATime } = require('../../dist/nodes/controller');

/** A job that records its start and waits until the test releases it (or its signal aborts). */
function gatedJob(log, name) {
  let release;
  const released = new Promise((resolve) => (release = resolve));
  const job = (signal) => {
    log.push('start ' + name);
    return new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason));
      released.then(() => resolve(name));
    });
  };
  return { job, release };
}

const settle = (p) => p.then((v) => ['ok', v], (e) => ['failed', e]);

describe('OneAtATime', () => {
  it('runs jobs one after the other, in order; size counts the running and the waiting', async () => {
    const q = new OneAtATime();
    const log = [];
    const a = gatedJob(log, 'a');
    const b = gatedJob(log, 'b');
    const pa = q.run(a.job);
    const pb = q.run(b.job);
    assert.equal(q.size, 2);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, ['start a'], 'b waits while a runs');
    a.release();
    assert.equal(await pa, 'a');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, ['start a', 'start b']);
    b.release();
    assert.equal(await pb, 'b');
    assert.equal(q.size, 0);
  });

  it('a failed job does not stop the next one', async () => {
    const q = new OneAtATime();
    const failed = q.run(async () => {
      throw new Error('broken');
    });
    const next = q.run(async () => 'next');
    await assert.rejects(failed, /broken/);
    assert.equal(await next, 'next');
  });

  it('stop: the running job\'s signal aborts with the reason, the queued one fails at once and never starts, later ones fail at once', async () => {
    const q = new OneAtATime();
    const log = [];
    const a = gatedJob(log, 'a');
    const b = gatedJob(log, 'b');
    const pa = settle(q.run(a.job));
    const pb = settle(q.run(b.job));
    await new Promise((r) => setImmediate(r));
    const reason = Object.assign(new Error('stopped'), { code: 'ABORTED' });
    q.stop(reason);
    assert.deepEqual(await pa, ['failed', reason], 'the running job ends with the reason');
    b.release(); // were b started after all, it would now succeed
    assert.deepEqual(await pb, ['failed', reason], 'the queued job fails with the reason');
    const later = await settle(q.run(async () => 'late'));
    assert.deepEqual(later, ['failed', reason]);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, ['start a'], 'nothing started after the stop');
  });
});
