'use strict';
// The state tracker behind msg.event, with times passed in (no clock, no server).
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { StateTracker, outageState } = require('../../dist/nodes/status-events');

const st = (state, progress) => ({ state, printer: { state }, ...(progress === undefined ? {} : { job: { progress } }) });
const coded = (code) => Object.assign(new Error(code), { code });

/** A tracker that has seen a job print from 50 % at 0 s to 60 % at 10 s (1 % per second). */
function printingAtOnePercentPerSecond() {
  const t = new StateTracker();
  t.update(st('IDLE'), 0);
  t.update(st('PRINTING', 50), 0);
  t.update(st('PRINTING', 60), 10_000);
  return t;
}

describe('state tracker', () => {
  it('the first state is "online" with previous null; the same state again is no change', () => {
    const t = new StateTracker();
    assert.deepEqual(t.update(st('IDLE'), 0), { event: 'online', previous: null });
    assert.equal(t.update(st('IDLE'), 1000), null);
  });

  it('names each change after the new state, with the state before', () => {
    const t = new StateTracker();
    t.update(st('READY'), 0);
    assert.deepEqual(t.update(st('PRINTING', 1), 1), { event: 'printing', previous: 'READY' });
    assert.deepEqual(t.update(st('PAUSED', 2), 2), { event: 'paused', previous: 'PRINTING' });
    assert.deepEqual(t.update(st('ATTENTION', 2), 3), { event: 'attention', previous: 'PAUSED' });
    assert.deepEqual(t.update(st('ERROR'), 4), { event: 'error', previous: 'ATTENTION' });
    assert.deepEqual(t.update(st('BUSY'), 5), { event: 'busy', previous: 'ERROR' });
    assert.deepEqual(t.update(st('FINISHED'), 6), { event: 'finished', previous: 'BUSY' });
    assert.deepEqual(t.update(st('STOPPED'), 7), { event: 'stopped', previous: 'FINISHED' });
    assert.deepEqual(t.update(st('SOMETHING_NEW'), 8), { event: 'something_new', previous: 'STOPPED' });
  });

  it('a job that ends unseen is "finished" when its pace reached 99 % by now', () => {
    const t = printingAtOnePercentPerSecond();
    // 60 % at 10 s plus 1 % per second: exactly 99 % at 49 s.
    assert.deepEqual(t.update(st('IDLE'), 49_000), { event: 'finished', previous: 'PRINTING' });
  });

  it('a job that ends unseen short of 99 % at its pace is "stopped"', () => {
    const t = printingAtOnePercentPerSecond();
    assert.deepEqual(t.update(st('READY'), 48_999), { event: 'stopped', previous: 'PRINTING' });
  });

  it('after a job that ended, idle is "idle" again (no second finished/stopped)', () => {
    const t = printingAtOnePercentPerSecond();
    t.update(st('FINISHED'), 50_000);
    assert.deepEqual(t.update(st('IDLE'), 51_000), { event: 'idle', previous: 'FINISHED' });
  });

  it('a pause breaks the pace: only consecutive printing samples measure it', () => {
    const t = new StateTracker();
    t.update(st('PRINTING', 10), 0);
    t.update(st('PAUSED', 20), 10_000);
    // Measured across the pause the pace would be 1 % per second and say "finished" long after.
    assert.deepEqual(t.update(st('IDLE'), 1_000_000), { event: 'stopped', previous: 'PAUSED' });
  });

  it('a progress that went backwards does not count as a pace', () => {
    const t = new StateTracker();
    t.update(st('PRINTING', 99.5), 0);
    t.update(st('PRINTING', 99), 10_000);
    // Extrapolated backwards it would be far below 99 % by now; it stays at the 99 % last seen.
    assert.deepEqual(t.update(st('IDLE'), 10_000_000), { event: 'finished', previous: 'PRINTING' });
  });

  it('a new job does not inherit the pace of the one before', () => {
    const t = printingAtOnePercentPerSecond();
    t.update(st('STOPPED'), 20_000);
    // Measured from the old job's last sample (60 % at 10 s) the pace would say "finished".
    t.update(st('PRINTING', 95), 30_000);
    assert.deepEqual(t.update(st('IDLE'), 1_000_000), { event: 'stopped', previous: 'PRINTING' });
  });

  it('a job with 100 % seen is finished when it ends unseen at once', () => {
    const t = new StateTracker();
    t.update(st('PRINTING', 100), 0);
    assert.deepEqual(t.update(st('IDLE'), 0), { event: 'finished', previous: 'PRINTING' });
  });

  it('a job that starts paused or at attention and ends unseen is "stopped" (PAUSED and ATTENTION are in a job)', () => {
    for (const state of ['PAUSED', 'ATTENTION']) {
      const t = new StateTracker();
      t.update(st('IDLE'), 0);
      t.update(st(state), 1000);
      assert.deepEqual(t.update(st('IDLE'), 2000), { event: 'stopped', previous: state }, state);
    }
  });

  it('an attention breaks the pace like a pause', () => {
    const t = printingAtOnePercentPerSecond();
    t.update(st('ATTENTION', 60), 20_000);
    // At the pace before the attention (1 % per second from 60 % at 10 s) it would be 99 % at 49 s.
    assert.deepEqual(t.update(st('IDLE'), 49_000), { event: 'stopped', previous: 'ATTENTION' });
  });

  it('after a job ended as FINISHED, STOPPED, ERROR, IDLE or READY, the next idle state is no end of a job', () => {
    for (const [over, next] of [['FINISHED', 'IDLE'], ['STOPPED', 'IDLE'], ['ERROR', 'IDLE'], ['IDLE', 'READY'], ['READY', 'IDLE']]) {
      const t = printingAtOnePercentPerSecond();
      t.update(st(over), 20_000);
      assert.deepEqual(t.update(st(next), 21_000), { event: next.toLowerCase(), previous: over }, `${over} then ${next}`);
    }
  });

  it('a status in a job without a job body (or without progress) is no error and keeps the pace measured before', () => {
    const u = printingAtOnePercentPerSecond();
    u.update({ state: 'ATTENTION', printer: { state: 'ATTENTION' } }, 11_000);
    assert.deepEqual(u.update({ state: 'PRINTING', printer: { state: 'PRINTING' }, job: {} }, 12_000), { event: 'printing', previous: 'ATTENTION' });
    // No sample was taken from the two statuses without a progress: 60 % at 10 s, 1 % per second, 99 % at 49 s.
    assert.deepEqual(u.update(st('IDLE'), 49_000), { event: 'finished', previous: 'PRINTING' });
  });

  it('the pace is measured between the two samples\' times, not from time zero', () => {
    const t = new StateTracker();
    t.update(st('PRINTING', 50), 100_000);
    t.update(st('PRINTING', 60), 110_000);
    // 1 % per second from 60 % at 110 s: 99 % at 149 s.
    assert.deepEqual(t.update(st('IDLE'), 149_000), { event: 'finished', previous: 'PRINTING' });
  });

  it('the pace is the last two samples\', not the whole job\'s', () => {
    const t = new StateTracker();
    t.update(st('PRINTING', 0), 0);
    t.update(st('PRINTING', 50), 10_000);
    t.update(st('PRINTING', 60), 20_000);
    // The last two say 1 % per second: 89 % at 49 s (the whole job's 3 % per second would say finished).
    assert.deepEqual(t.update(st('IDLE'), 49_000), { event: 'stopped', previous: 'PRINTING' });
  });

  it('a new job that starts with BUSY (preheat, job present) does not inherit the pace of the one before', () => {
    const t = printingAtOnePercentPerSecond();
    t.update(st('STOPPED'), 20_000);
    t.update(st('BUSY', 0), 25_000);
    t.update(st('PRINTING', 95), 30_000);
    // Measured from the old job's 60 % at 10 s the pace would say "finished"; from 95 % alone it is 95 %.
    assert.deepEqual(t.update(st('IDLE'), 1_000_000), { event: 'stopped', previous: 'PRINTING' });
  });

  it('a BUSY with a job during a print keeps the pace measured before it', () => {
    const t = printingAtOnePercentPerSecond();
    t.update(st('BUSY', 60), 20_000);
    assert.deepEqual(t.update(st('IDLE'), 49_000), { event: 'finished', previous: 'BUSY' });
  });

  it('before any job, a state that says nothing of a job (UNKNOWN) then idle is "idle", not the end of a job', () => {
    const t = new StateTracker();
    t.update(st('UNKNOWN'), 0);
    assert.deepEqual(t.update(st('IDLE'), 1000), { event: 'idle', previous: 'UNKNOWN' });
  });

  it('during a job, a state that says nothing of a job (UNKNOWN) does not end it', () => {
    const t = printingAtOnePercentPerSecond();
    t.update(st('UNKNOWN'), 20_000);
    assert.deepEqual(t.update(st('IDLE'), 49_000), { event: 'finished', previous: 'UNKNOWN' });
  });

  it('an unreachable printer is "offline", once', () => {
    const t = new StateTracker();
    t.update(st('IDLE'), 0);
    assert.deepEqual(t.down(coded('UNREACHABLE')), { event: 'offline', previous: 'IDLE' });
    assert.equal(t.down(coded('TIMEOUT')), null);
  });

  it('refused credentials are "unauthorized", not "offline", once', () => {
    const t = new StateTracker();
    assert.deepEqual(t.down(coded('AUTH_FAILED')), { event: 'unauthorized', previous: null });
    assert.equal(t.down(coded('FORBIDDEN')), null);
    assert.deepEqual(t.down(coded('UNREACHABLE')), { event: 'offline', previous: 'UNAUTHORIZED' });
  });

  it('the first answer after an outage of either kind is "online", with the outage as previous', () => {
    const t = new StateTracker();
    t.update(st('PRINTING', 10), 0);
    t.down(coded('UNREACHABLE'));
    assert.deepEqual(t.update(st('PRINTING', 12), 5000), { event: 'online', previous: 'OFFLINE' });
    t.down(coded('AUTH_FAILED'));
    assert.deepEqual(t.update(st('IDLE'), 6000), { event: 'online', previous: 'UNAUTHORIZED' });
  });

  it('outageState: AUTH_FAILED and FORBIDDEN are UNAUTHORIZED, other codes OFFLINE', () => {
    assert.equal(outageState({ code: 'AUTH_FAILED' }), 'UNAUTHORIZED');
    assert.equal(outageState({ code: 'FORBIDDEN' }), 'UNAUTHORIZED');
    assert.equal(outageState({ code: 'UNREACHABLE' }), 'OFFLINE');
    assert.equal(outageState({ code: 'TIMEOUT' }), 'OFFLINE');
  });
});
