'use strict';
// The shared poller on a fake clock: no server, no real time. Each test states the exact requests and
// notices it expects, so that flipping one condition in src/nodes/printer-poller.ts fails a test.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { PrinterPoller } = require('../../dist/nodes/printer-poller');

/** Timers that run only when the test advances time; answers settle between timers. */
function fakeClock() {
  let now = 0;
  let seq = 0;
  const timers = new Map();
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(id) {
      timers.delete(id);
    },
    pending: () => timers.size,
    /** Runs every timer due up to now + ms, in order, letting the poll's promise settle after each. */
    async advance(ms) {
      const target = now + ms;
      await settle();
      for (;;) {
        let next = null;
        for (const [id, t] of timers) if (t.at <= target && (!next || t.at < next[1].at)) next = [id, t];
        if (!next) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].fn();
        await settle();
        await settle();
      }
      now = target;
    },
  };
}

function coded(code) {
  const err = new Error('failed: ' + code);
  err.code = code;
  return err;
}

/** A printer whose answers the test sets; it records when it was asked. */
function fakePrinter(clock) {
  const printer = {
    asked: [],
    failWith: null,
    state: 'IDLE',
    async fetch() {
      printer.asked.push(clock.now());
      if (printer.failWith) throw printer.failWith;
      return { state: printer.state, printer: { state: printer.state }, job: { progress: 10 } };
    },
  };
  return printer;
}

function recorder(name, log = []) {
  const got = [];
  return {
    got,
    onPoll(update) {
      got.push(update);
      log.push(name + ':' + update.kind);
    },
  };
}

function setUp(extra = {}) {
  const clock = fakeClock();
  const printer = fakePrinter(clock);
  const notices = [];
  const poller = new PrinterPoller(() => printer.fetch(), {
    downAfter: 3,
    maxBackoffMs: 8000,
    onDown: (err) => notices.push('down:' + err.code),
    onUp: () => notices.push('up'),
    clock,
    ...extra,
  });
  return { clock, printer, notices, poller };
}

const kinds = (w) => w.got.map((u) => u.kind);

describe('printer poller (fake clock)', () => {
  it('asks at once when the first watcher joins, then once per interval', async () => {
    const { clock, printer, poller } = setUp();
    const w = recorder('w');
    poller.watch(w, 1000);
    await clock.advance(0);
    assert.deepEqual(printer.asked, [0]);
    await clock.advance(3000);
    assert.deepEqual(printer.asked, [0, 1000, 2000, 3000]);
    assert.equal(w.got.length, 4);
    assert.equal(w.got[0].status.state, 'IDLE');
    poller.stop();
  });

  it('asks the printer once per fastest interval; a 2 s watcher gets every other poll, a 1 s watcher every poll', async () => {
    const { clock, printer, poller } = setUp();
    const fast = recorder('fast');
    const slow = recorder('slow');
    poller.watch(fast, 1000);
    poller.watch(slow, 2000);
    await clock.advance(10_000);
    assert.deepEqual(printer.asked, [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
    assert.equal(fast.got.length, 11);
    assert.equal(slow.got.length, 6, 'the 2 s watcher is told at 0, 2, 4, 6, 8 and 10 s');
    poller.stop();
  });

  it('a 3 s watcher beside a 2 s one: polls every 2 s, the 3 s watcher at its first poll at or after each 3 s', async () => {
    const { clock, printer, poller } = setUp();
    const two = recorder('two');
    const three = recorder('three');
    const seen = [];
    three.onPoll = () => seen.push(clock.now());
    poller.watch(two, 2000);
    poller.watch(three, 3000);
    await clock.advance(12_000);
    assert.deepEqual(printer.asked, [0, 2000, 4000, 6000, 8000, 10_000, 12_000]);
    assert.deepEqual(seen, [0, 4000, 6000, 10_000, 12_000]);
    poller.stop();
  });

  it('a faster watcher that joins speeds the polls up (next poll one new interval after the last); a slower one does not slow them', async () => {
    const { clock, printer, poller } = setUp();
    poller.watch(recorder('a'), 4000);
    await clock.advance(500);
    poller.watch(recorder('b'), 1000);
    await clock.advance(2500);
    assert.deepEqual(printer.asked, [0, 1000, 2000, 3000]);
    poller.watch(recorder('c'), 5000);
    await clock.advance(2000);
    assert.deepEqual(printer.asked, [0, 1000, 2000, 3000, 4000, 5000]);
    poller.stop();
  });

  it('watchers that join together before the first poll do not delay it', async () => {
    const { clock, printer, poller } = setUp();
    poller.watch(recorder('a'), 1000);
    poller.watch(recorder('b'), 500);
    await clock.advance(0);
    assert.deepEqual(printer.asked, [0]);
    await clock.advance(1000);
    assert.deepEqual(printer.asked, [0, 500, 1000]);
    poller.stop();
    // After a stop, a new first watcher is asked for at once again, and so is one that joins right after it.
    poller.watch(recorder('c'), 2000);
    poller.watch(recorder('d'), 1000);
    await clock.advance(0);
    assert.deepEqual(printer.asked, [0, 500, 1000, 1000]);
    poller.stop();
  });

  it('gives every watcher its own copy of the status', async () => {
    const { clock, poller } = setUp();
    const a = recorder('a');
    const b = recorder('b');
    a.onPoll = (u) => {
      a.got.push(u);
      u.status.state = 'CHANGED BY A';
      u.status.job.progress = 99;
    };
    poller.watch(a, 1000);
    poller.watch(b, 1000);
    await clock.advance(0);
    assert.equal(b.got[0].status.state, 'IDLE');
    assert.equal(b.got[0].status.job.progress, 10);
    assert.notEqual(a.got[0].status, b.got[0].status);
    poller.stop();
  });

  it('hands the answer itself to the last watcher due and a copy to each other one (one status node: no copy)', async () => {
    const { clock, printer, poller } = setUp();
    const answers = [];
    const fetch = printer.fetch;
    printer.fetch = async () => {
      const answer = await fetch();
      answers.push(answer);
      return answer;
    };
    const a = recorder('a');
    const b = recorder('b');
    poller.watch(a, 1000);
    await clock.advance(0);
    assert.equal(a.got[0].status, answers[0], 'the only watcher gets the fetched object, not a copy');
    poller.watch(b, 1000);
    await clock.advance(1000);
    assert.notEqual(a.got[1].status, b.got[0].status);
    assert.equal([a.got[1].status, b.got[0].status].filter((s) => s === answers[1]).length, 1, 'exactly one watcher got the object itself');
    poller.stop();
  });

  it('a watcher that throws does not keep the others from hearing', async () => {
    const { clock, poller } = setUp();
    poller.watch({ onPoll: () => { throw new Error('boom'); } }, 1000);
    const b = recorder('b');
    poller.watch(b, 1000);
    await clock.advance(0);
    assert.deepEqual(kinds(b), ['status']);
    poller.stop();
  });

  it('is down only after 3 consecutive failures; a success in between starts the count again', async () => {
    const { clock, printer, notices, poller } = setUp();
    const w = recorder('w');
    poller.watch(w, 1000);
    printer.failWith = coded('UNREACHABLE');
    await clock.advance(1000); // failures at 0 and 1000
    assert.deepEqual(notices, []);
    printer.failWith = null;
    await clock.advance(1000); // success at 2000
    printer.failWith = coded('UNREACHABLE');
    await clock.advance(2000); // failures at 3000 and 4000: two in a row
    assert.deepEqual(notices, []);
    assert.deepEqual(kinds(w), ['status']);
    await clock.advance(1000); // third in a row at 5000
    assert.deepEqual(notices, ['down:UNREACHABLE']);
    assert.deepEqual(kinds(w), ['status', 'down']);
    assert.equal(w.got[1].error.code, 'UNREACHABLE');
    poller.stop();
  });

  it('backs off while down: 2, 4, 8 s, then at most maxBackoffMs; one notice for the outage', async () => {
    const { clock, printer, notices, poller } = setUp();
    const w = recorder('w');
    printer.failWith = coded('TIMEOUT');
    poller.watch(w, 1000);
    await clock.advance(30_000);
    assert.deepEqual(printer.asked, [0, 1000, 2000, 4000, 8000, 16_000, 24_000]);
    assert.deepEqual(notices, ['down:TIMEOUT']);
    assert.deepEqual(kinds(w), ['down']);
    poller.stop();
  });

  it('never backs off below the interval when maxBackoffMs is shorter than it', async () => {
    const { clock, printer, poller } = setUp({ maxBackoffMs: 500 });
    printer.failWith = coded('UNREACHABLE');
    poller.watch(recorder('w'), 2000);
    await clock.advance(12_000);
    assert.deepEqual(printer.asked, [0, 2000, 4000, 6000, 8000, 10_000, 12_000]);
    poller.stop();
  });

  it('recovers: one "up" notice, every watcher hears the first answer, polls at the interval again', async () => {
    const { clock, printer, notices, poller } = setUp();
    const fast = recorder('fast');
    const slow = recorder('slow');
    poller.watch(fast, 1000);
    poller.watch(slow, 10_000);
    await clock.advance(0); // both told at 0; the slow one is next due at 10 s
    printer.failWith = coded('UNREACHABLE');
    await clock.advance(3000); // failures at 1, 2, 3 s: down; next poll at 5 s
    printer.failWith = null;
    await clock.advance(2000);
    assert.deepEqual(notices, ['down:UNREACHABLE', 'up']);
    assert.deepEqual(kinds(fast), ['status', 'down', 'status']);
    assert.deepEqual(kinds(slow), ['status', 'down', 'status'], 'the first answer after an outage goes to every watcher');
    await clock.advance(2000);
    assert.deepEqual(printer.asked, [0, 1000, 2000, 3000, 5000, 6000, 7000]);
    assert.deepEqual(notices, ['down:UNREACHABLE', 'up'], 'no second "up"');
    assert.equal(kinds(slow).length, 3, 'then the slow watcher keeps its own interval');
    poller.stop();
  });

  it('a faster watcher that joins during an outage does not cut the back-off short', async () => {
    const { clock, printer, poller } = setUp();
    printer.failWith = coded('UNREACHABLE');
    poller.watch(recorder('w'), 1000);
    await clock.advance(2500); // down at 2 s, next poll at 4 s
    poller.watch(recorder('fast'), 500);
    await clock.advance(3500);
    // From then on the back-off counts in the new interval: 500 ms * 2^2 after the fourth failure.
    assert.deepEqual(printer.asked, [0, 1000, 2000, 4000, 6000]);
    poller.stop();
  });

  it('a watcher that joins while the printer is down is told at once, with the error of the outage', async () => {
    const { clock, printer, notices, poller } = setUp();
    const first = recorder('first');
    printer.failWith = coded('AUTH_FAILED');
    poller.watch(first, 1000);
    await clock.advance(2000);
    const late = recorder('late');
    poller.watch(late, 1000);
    assert.deepEqual(kinds(late), ['down']);
    assert.equal(late.got[0].error.code, 'AUTH_FAILED');
    assert.deepEqual(kinds(first), ['down'], 'the others are not told again');
    assert.deepEqual(notices, ['down:AUTH_FAILED'], 'no second log notice');
    poller.stop();
  });

  it('a watcher that joins while the printer is up is not told "down"', async () => {
    const { clock, poller } = setUp();
    poller.watch(recorder('first'), 1000);
    await clock.advance(0);
    const late = recorder('late');
    poller.watch(late, 1000);
    assert.deepEqual(kinds(late), []);
    await clock.advance(1000);
    assert.deepEqual(kinds(late), ['status']);
    poller.stop();
  });

  it('with deferNotice, a late watcher is told when the deferred call runs, and not if it left before', async () => {
    const deferred = [];
    const { clock, printer, poller } = setUp({ deferNotice: (tell) => deferred.push(tell) });
    printer.failWith = coded('UNREACHABLE');
    poller.watch(recorder('first'), 1000);
    await clock.advance(2000);
    const late = recorder('late');
    const gone = recorder('gone');
    poller.watch(late, 1000);
    poller.watch(gone, 1000);
    assert.deepEqual(kinds(late), [], 'not told inside watch()');
    assert.equal(deferred.length, 2);
    poller.unwatch(gone);
    for (const tell of deferred) tell();
    assert.deepEqual(kinds(late), ['down']);
    assert.deepEqual(kinds(gone), []);
    poller.stop();
  });

  it('a late watcher is not told "down" if the printer came back before the deferred call', async () => {
    const deferred = [];
    const { clock, printer, poller } = setUp({ deferNotice: (tell) => deferred.push(tell) });
    printer.failWith = coded('UNREACHABLE');
    poller.watch(recorder('first'), 1000);
    await clock.advance(2000);
    const late = recorder('late');
    poller.watch(late, 1000);
    printer.failWith = null;
    await clock.advance(2000);
    for (const tell of deferred) tell();
    assert.deepEqual(kinds(late), ['status']);
    poller.stop();
  });

  it('tells again when an outage changes kind (unreachable, then wrong credentials), not on each poll', async () => {
    const { clock, printer, notices, poller } = setUp();
    const w = recorder('w');
    printer.failWith = coded('UNREACHABLE');
    poller.watch(w, 1000);
    await clock.advance(2000);
    printer.failWith = coded('AUTH_FAILED');
    await clock.advance(2000); // poll at 4000 fails with AUTH_FAILED
    await clock.advance(4000); // and again at 8000
    assert.deepEqual(notices, ['down:UNREACHABLE', 'down:AUTH_FAILED']);
    assert.deepEqual(w.got.map((u) => u.kind + ':' + (u.error && u.error.code)), ['down:UNREACHABLE', 'down:AUTH_FAILED']);
    printer.failWith = coded('TIMEOUT'); // still "offline" kind as UNREACHABLE was: a change from unauthorized
    await clock.advance(8000);
    assert.deepEqual(notices, ['down:UNREACHABLE', 'down:AUTH_FAILED', 'down:TIMEOUT']);
    printer.failWith = coded('UNREACHABLE'); // same kind as TIMEOUT: no new notice
    await clock.advance(8000);
    assert.equal(notices.length, 3);
    poller.stop();
  });

  it('stops polling when the last watcher leaves, and throws away an answer that arrives after stop', async () => {
    const { clock, printer, poller } = setUp();
    const w = recorder('w');
    poller.watch(w, 1000);
    await clock.advance(1000);
    poller.unwatch(w);
    await clock.advance(5000);
    assert.deepEqual(printer.asked, [0, 1000]);
    assert.equal(clock.pending(), 0);

    let release;
    const slowPoller = new PrinterPoller(
      () => new Promise((r) => (release = () => r({ state: 'IDLE', printer: { state: 'IDLE' } }))),
      { downAfter: 3, maxBackoffMs: 8000, onDown() {}, onUp() {}, clock },
    );
    const x = recorder('x');
    slowPoller.watch(x, 1000);
    await clock.advance(0);
    slowPoller.stop();
    release();
    await clock.advance(3000);
    assert.deepEqual(kinds(x), []);
    assert.equal(clock.pending(), 0);
  });

  it('a watcher that leaves keeps its interval from counting: the poll slows to the remaining one', async () => {
    const { clock, printer, poller } = setUp();
    const fast = recorder('fast');
    poller.watch(fast, 1000);
    poller.watch(recorder('slow'), 3000);
    await clock.advance(1000);
    poller.unwatch(fast);
    await clock.advance(6000);
    assert.deepEqual(printer.asked, [0, 1000, 4000, 7000]);
    poller.stop();
  });
});

describe('printer poller: changes while a poll is in flight', () => {
  it('a watcher that leaves during a poll: the next poll is one interval after that poll settles', async () => {
    const { clock } = setUp();
    const asked = [];
    let release = () => {};
    const poller = new PrinterPoller(
      () => {
        asked.push(clock.now());
        return new Promise((r) => (release = () => r({ state: 'IDLE', printer: { state: 'IDLE' } })));
      },
      { downAfter: 3, maxBackoffMs: 8000, onDown() {}, onUp() {}, clock },
    );
    const fast = recorder('fast');
    poller.watch(recorder('slow'), 1000);
    poller.watch(fast, 500);
    await clock.advance(0);
    release(); // the first poll settles at 0
    await clock.advance(600); // the second (at 500) is still waiting for its answer
    poller.unwatch(fast);
    await clock.advance(100);
    release(); // settles at 700: the next poll is at 1700
    await clock.advance(1500);
    assert.deepEqual(asked, [0, 500, 1700]);
    poller.stop();
  });
});
