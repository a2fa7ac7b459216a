'use strict';
// Status bodies of Buddy 6.3, 6.4 and 6.5+ written by hand from the facts document (§4.2, §8.1), normalized and fed
// to the status node's state tracker with no server: which events each generation's print gives (issue 20, item 3).
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { printerFromV1, jobFromV1 } = require('../../dist/client/normalize');
const { StateTracker } = require('../../dist/nodes/status-events');

const STORAGES = [{ name: 'usb', read_only: false, available: true }];

/** A Buddy /api/v1/status body (§4.2): `job` only while a job exists, x/y only when not printing. */
function body(state, job, printerExtra = {}) {
  const printer = { state, temp_bed: 60.0, target_bed: 60.0, temp_nozzle: 215.1, target_nozzle: 215.0, axis_z: 1.2, flow: 100, speed: 100, fan_hotend: 5000, fan_print: 3000, ...printerExtra };
  const out = { storage: { path: '/usb/', name: 'usb', read_only: false }, printer };
  if (job) out.job = job;
  return JSON.parse(JSON.stringify(out));
}

/** As the client normalizes a v1 status (status.ts). */
function normalize(raw) {
  const printer = printerFromV1(raw.printer);
  const status = { state: printer.state, printer };
  const job = jobFromV1({ ...raw.job, state: printer.state }, STORAGES, 'usb');
  if (raw.job && job) status.job = job;
  return status;
}

/** Events of a sequence of bodies polled 10 s apart. */
function events(bodies) {
  const tracker = new StateTracker();
  const out = [];
  bodies.forEach((b, i) => {
    const change = tracker.update(normalize(b), 1_000_000 + i * 10_000);
    if (change) out.push(change.event);
  });
  return out;
}

const JOB = (progress) => ({ id: 12, progress, time_remaining: 520, time_printing: 526 });

describe('fixtures: a print with a preheat', () => {
  it('6.3: the preheat is BUSY with the job present: "busy", then "printing" when it extrudes', () => {
    const seq = [body('IDLE'), body('BUSY', JOB(0)), body('PRINTING', JOB(1)), body('PRINTING', JOB(50)), body('FINISHED')];
    assert.deepEqual(events(seq), ['online', 'busy', 'printing', 'finished']);
  });

  it('6.4+: the preheat is already PRINTING at progress 0: "printing" fires once, at the preheat', () => {
    const seq = [body('IDLE'), body('PRINTING', JOB(0)), body('PRINTING', JOB(1)), body('PRINTING', JOB(50)), body('FINISHED')];
    assert.deepEqual(events(seq), ['online', 'printing', 'finished']);
    // The normalized state carries no hint of the preheat: nothing can tell it apart from extruding.
    assert.deepEqual(normalize(body('PRINTING', JOB(0))).state, 'PRINTING');
  });

  it('a print aborted on the screen during its preheat ends with "stopped" on 6.3 (BUSY) as on 6.4+ (PRINTING)', () => {
    assert.deepEqual(events([body('IDLE'), body('BUSY', JOB(0)), body('IDLE')]), ['online', 'busy', 'stopped']);
    assert.deepEqual(events([body('IDLE'), body('PRINTING', JOB(0)), body('IDLE')]), ['online', 'printing', 'stopped']);
  });

  it('BUSY without a job (homing, heating by hand) is no print: back to IDLE is "idle"', () => {
    assert.deepEqual(events([body('IDLE'), body('BUSY'), body('IDLE')]), ['online', 'busy', 'idle']);
  });
});

describe('fixtures: waiting to resume after a power loss', () => {
  it('up to 6.5.4: ATTENTION ("attention"), then "printing" when resumed', () => {
    const seq = [body('PRINTING', JOB(40)), body('ATTENTION', JOB(40)), body('PRINTING', JOB(41))];
    assert.deepEqual(events(seq), ['online', 'attention', 'printing']);
  });

  it('6.5.5+: PAUSED ("paused"), the same event as a pause asked for; the job stays a job', () => {
    const tracker = new StateTracker();
    tracker.update(normalize(body('PRINTING', JOB(40))), 0);
    assert.deepEqual(tracker.update(normalize(body('PAUSED', JOB(40))), 10_000), { event: 'paused', previous: 'PRINTING' });
    assert.deepEqual(tracker.update(normalize(body('PRINTING', JOB(41))), 20_000), { event: 'printing', previous: 'PAUSED' });
  });
});

describe('fixtures: 6.6 flow', () => {
  it('flow 0 with no tool picked (XL, Core One INDX) is kept as 0, not dropped and not an error', () => {
    const st = normalize(body('PRINTING', JOB(10), { flow: 0 }));
    assert.equal(st.printer.flow, 0);
    assert.equal(st.state, 'PRINTING');
  });
});
