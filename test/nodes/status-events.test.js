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
