'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Scheduler } = require('../../dist/client/context');

function gate() {
  let open;
  const p = new Promise((r) => (open = r));
  return { p, open };
}

describe('request scheduler', () => {
  it('runs at most two at once, one upload at a time with at most one request beside it, in FIFO order', async () => {
    const s = new Scheduler(2);
    let active = 0;
    let uploads = 0;
    let max = 0;
    let maxUploads = 0;
    const order = [];
    const gates = [];
    const task = (name, upload = false) =>
      s.run(upload, async () => {
        active += 1;
        if (upload) uploads += 1;
        max = Math.max(max, active);
        maxUploads = Math.max(maxUploads, uploads);
        order.push(name);
        const g = gate();
        gates.push(g);
        await g.p;
        active -= 1;
        if (upload) uploads -= 1;
      });
    const all = [task('a'), task('b'), task('up1', true), task('up2', true), task('c'), task('d')];
    // Release whatever is running, oldest first, one at a time, until everything has run.
    while (order.length < 6 || gates.some((g) => !g.done)) {
      await new Promise((r) => setImmediate(r));
      const g = gates.find((x) => !x.done);
      if (!g) continue;
      g.done = true;
      g.open();
    }
    await Promise.all(all);
    assert.equal(max, 2);
    assert.equal(maxUploads, 1);
    assert.deepEqual(order, ['a', 'b', 'up1', 'up2', 'c', 'd']);
  });

  it('lets a poll run beside an upload, but not a second upload', async () => {
    const s = new Scheduler(2);
    const upload = gate();
    const started = [];
    const first = s.run(true, () => (started.push('upload'), upload.p));
    await s.run(false, async () => started.push('poll'));
    assert.deepEqual(started, ['upload', 'poll'], 'the poll ran while the upload was still running');
    const second = s.run(true, async () => started.push('second upload'));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(started, ['upload', 'poll'], 'the second upload waits for the first');
    upload.open();
    await Promise.all([first, second]);
    assert.deepEqual(started, ['upload', 'poll', 'second upload']);
  });

  it('close() rejects waiting work with ABORTED', async () => {
    const s = new Scheduler(1);
    const g = gate();
    const first = s.run(false, () => g.p);
    const waiting = s.run(false, async () => 1);
    s.close();
    await assert.rejects(waiting, (e) => e.code === 'ABORTED');
    g.open();
    await first;
  });
});
