'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Scheduler } = require('../../dist/client/scheduler');

function gate() {
  let open;
  const p = new Promise((r) => (open = r));
  return { p, open };
}

describe('request scheduler', () => {
  it('runs at most two at once and an upload (exclusive) alone, in FIFO order', async () => {
    const s = new Scheduler(2);
    let active = 0;
    let max = 0;
    let exclusiveSawOthers = false;
    const order = [];
    const gates = [];
    const task = (name, exclusive) =>
      s.run(exclusive, async () => {
        active += 1;
        max = Math.max(max, active);
        if (exclusive && active > 1) exclusiveSawOthers = true;
        order.push(name);
        const g = gate();
        gates.push(g);
        await g.p;
        active -= 1;
      });
    const all = [task('a'), task('b'), task('c'), task('upload', true), task('d'), task('e')];
    // Release whatever is running, one at a time, until everything has run.
    while (order.length < 6 || gates.some((g) => !g.done)) {
      await new Promise((r) => setImmediate(r));
      const g = gates.find((x) => !x.done);
      if (!g) continue;
      g.done = true;
      g.open();
    }
    await Promise.all(all);
    assert.equal(max, 2);
    assert.equal(exclusiveSawOthers, false);
    assert.deepEqual(order, ['a', 'b', 'c', 'upload', 'd', 'e']);
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
