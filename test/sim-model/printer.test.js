'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { PrinterModel } = require('../../dist/sim/model/printer');
const { FileStore } = require('../../dist/sim/model/store');
const { makeSampleGcode } = require('../../dist/sim/model/sample-gcode');

/** A model on a hand-driven clock: `advance(ms)` moves real time forward. */
function setup(options = {}) {
  let now = 1_000_000;
  const store = new FileStore({ aliases: true });
  const file = store.put(['cube.gcode'], makeSampleGcode({ name: 'cube', printSeconds: 600 }));
  const plain = store.put(['plain.gcode'], Buffer.from('G28\nG1 X10\n'));
  const model = new PrinterModel({ now: () => now, store, ...options });
  const states = [];
  model.on('state', (state, previous) => states.push(`${previous}>${state}`));
  return {
    model,
    store,
    file,
    plain,
    states,
    advance(ms) {
      now += ms;
      model.tick();
    },
  };
}

describe('PrinterModel state machine', () => {
  it('starts IDLE with no job, ambient temperatures, zero targets', () => {
    const { model } = setup();
    assert.equal(model.state, 'IDLE');
    assert.equal(model.job, undefined);
    assert.equal(model.jobEnded, false);
    const t = model.telemetry();
    assert.equal(t.target_nozzle, 0);
    assert.equal(t.target_bed, 0);
    assert.ok(t.temp_nozzle >= 22 && t.temp_nozzle <= 25);
    assert.ok(t.temp_bed >= 22 && t.temp_bed <= 25);
    assert.equal(t.fan_print, 0);
  });

  it('prints with the slicer estimate and finishes at 100 %', () => {
    const { model, file, states, advance } = setup({ speed: 600 });
    const ends = [];
    model.on('job-end', (job, final) => ends.push([job.id, final, job.progress]));
    assert.equal(model.startPrint(file), true);
    assert.equal(model.state, 'PRINTING');
    assert.equal(model.job.id, 1);
    assert.equal(model.job.estimated, 600);
    assert.equal(model.job.progress, 0);
    advance(500); // 300 simulated seconds
    assert.equal(model.job.progress, 50);
    assert.equal(model.job.time_printing, 300);
    assert.equal(model.job.time_remaining, 300);
    const hot = model.telemetry();
    assert.equal(hot.target_nozzle, 215);
    assert.equal(hot.target_bed, 60);
    assert.ok(hot.temp_nozzle > 210 && hot.temp_nozzle <= 215, `nozzle ${hot.temp_nozzle}`);
    assert.ok(hot.temp_bed > 55 && hot.temp_bed <= 60, `bed ${hot.temp_bed}`);
    assert.equal(hot.temp_nozzle, Math.round(hot.temp_nozzle * 10) / 10, 'one decimal');
    // Both fans at the model's running speeds (src/sim/model/printer.ts).
    assert.deepEqual([hot.fan_hotend, hot.fan_print], [6900, 5100]);
    assert.ok(hot.axis_z > 1 && hot.axis_z < 3, `z ${hot.axis_z}`);
    advance(600); // past the end
    assert.equal(model.state, 'FINISHED');
    assert.equal(model.jobEnded, true);
    assert.equal(model.job.progress, 100);
    assert.equal(model.job.time_remaining, 0);
    assert.equal(model.job.time_printing, 600);
    assert.deepEqual(ends, [[1, 'FINISHED', 100]]);
    assert.equal(model.telemetry().target_nozzle, 0);
    assert.deepEqual(states, ['IDLE>PRINTING', 'PRINTING>FINISHED']);
    model.clearJob();
    assert.equal(model.state, 'IDLE');
    assert.equal(model.job, undefined);
  });

  it('takes the estimate from metadata passed to startPrint (a file of another store)', () => {
    const { model, plain } = setup();
    assert.equal(model.startPrint(plain, { estimated_print_time: 42, temperature: 240, filament_type: 'PETG' }), true);
    assert.equal(model.job.estimated, 42);
    assert.equal(model.telemetry().target_nozzle, 240);
    assert.equal(model.telemetry().material, 'PETG');
  });

  it('uses defaultPrintSeconds when the file has no estimate, and increasing job ids', () => {
    const { model, plain, file, advance } = setup({ defaultPrintSeconds: 100 });
    assert.equal(model.startPrint(plain), true);
    assert.equal(model.job.estimated, 100);
    advance(100_000);
    assert.equal(model.state, 'FINISHED');
    assert.equal(model.startPrint(file), true, 'a new print from FINISHED');
    assert.equal(model.job.id, 2);
    assert.equal(model.jobEnded, false);
  });

  it('pause, resume and stop follow the printer rules and refuse otherwise', () => {
    const { model, file, states, advance } = setup({ speed: 10 });
    assert.equal(model.pause(), false, 'nothing to pause');
    assert.equal(model.resume(), false);
    assert.equal(model.stop(), false);
    model.startPrint(file);
    assert.equal(model.startPrint(file), false, 'already printing');
    assert.equal(model.resume(), false, 'not paused');
    advance(6000); // 60 s
    assert.equal(model.pause(), true);
    assert.equal(model.pause(), false);
    assert.equal(model.startPrint(file), false);
    const frozen = model.job.progress;
    advance(10_000);
    assert.equal(model.job.progress, frozen, 'no progress while paused');
    assert.equal(model.resume(), true);
    advance(6000);
    assert.ok(model.job.progress > frozen);
    assert.equal(model.stop(), true);
    assert.equal(model.state, 'BUSY', 'a Buddy aborts through BUSY');
    assert.equal(model.stop(), false);
    advance(200); // 2 simulated seconds
    assert.equal(model.state, 'STOPPED');
    assert.equal(model.jobEnded, true);
    assert.ok(model.job.progress > 0 && model.job.progress < 100);
    assert.equal(model.pause(), false);
    assert.deepEqual(states, [
      'IDLE>PRINTING',
      'PRINTING>PAUSED',
      'PAUSED>PRINTING',
      'PRINTING>BUSY',
      'BUSY>STOPPED',
    ]);
  });

  it('stops from PAUSED and from ATTENTION', () => {
    for (const into of ['pause', 'filamentRunout']) {
      const { model, file, advance } = setup();
      model.startPrint(file);
      assert.equal(model[into](), true);
      assert.equal(model.stop(), true);
      advance(1500);
      assert.equal(model.state, 'STOPPED', into);
    }
  });

  it('filament runout: ATTENTION with a filament change until resume', () => {
    const { model, file, advance } = setup({ speed: 60 });
    assert.equal(model.filamentRunout(), false, 'only while printing');
    model.startPrint(file);
    advance(1000);
    assert.equal(model.filamentRunout(), true);
    assert.equal(model.state, 'ATTENTION');
    assert.equal(model.filamentChange, true);
    assert.equal(model.reason, 'filament-runout');
    const frozen = model.job.progress;
    advance(5000);
    assert.equal(model.job.progress, frozen);
    assert.equal(model.resume(), true);
    assert.equal(model.state, 'PRINTING');
    assert.equal(model.filamentChange, false);
    assert.equal(model.reason, undefined);
  });

  it('setState forces states: ATTENTION/ERROR keep the job frozen, IDLE clears it', () => {
    const { model, file, advance } = setup({ speed: 60 });
    model.startPrint(file);
    advance(1000);
    model.setState('ERROR', 'thermal-runaway');
    assert.equal(model.state, 'ERROR');
    assert.equal(model.reason, 'thermal-runaway');
    const job = model.job;
    advance(5000);
    assert.equal(model.job.progress, job.progress);
    assert.equal(model.job.id, job.id);
    assert.equal(model.startPrint(file), false, 'no print from ERROR');
    model.setState('ATTENTION', 'crash');
    assert.equal(model.resume(), true);
    model.setState('IDLE');
    assert.equal(model.job, undefined);
    assert.equal(model.reason, undefined);
    assert.throws(() => model.setState('PRINTING'), /without a running job/);
    model.setState('READY');
    assert.equal(model.startPrint(file), true, 'READY accepts a print');
    model.setState('FINISHED');
    assert.equal(model.jobEnded, true);
  });

  it('setSpeed changes how fast simulated time runs from then on', () => {
    const { model, file, advance } = setup({ speed: 1 });
    model.startPrint(file);
    advance(10_000);
    assert.equal(model.job.time_printing, 10);
    model.setSpeed(100);
    advance(1000);
    assert.equal(model.job.time_printing, 110);
    assert.throws(() => model.setSpeed(0), RangeError);
  });

  it('cools down after the print', () => {
    const { model, file, advance } = setup({ speed: 600 });
    model.startPrint(file);
    advance(1000);
    assert.equal(model.state, 'FINISHED');
    const hot = model.telemetry().temp_nozzle;
    advance(1000); // 600 simulated seconds
    const cool = model.telemetry();
    assert.ok(cool.temp_nozzle < hot && cool.temp_nozzle < 30, `nozzle ${cool.temp_nozzle}`);
    assert.equal(cool.fan_print, 0);
  });
});

describe('PrinterModel on the real clock', () => {
  it('ends a print by itself through its timer, then dispose() stops it', async () => {
    const store = new FileStore({ aliases: false });
    const file = store.put(['quick.gcode'], makeSampleGcode({ printSeconds: 60 }));
    const model = new PrinterModel({ speed: 6000, store }); // 60 simulated seconds in 10 ms
    const states = [];
    model.on('state', (state) => states.push(state));
    // The model's timer is unref'd (it must not keep a simulator process alive), so this guard keeps the test's
    // event loop running; it fails the test if the print never ends.
    let guard;
    try {
      const final = await new Promise((resolve, reject) => {
        guard = setTimeout(() => reject(new Error('the print never ended')), 5000);
        model.on('job-end', (job, state) => resolve(state));
        model.startPrint(file);
      });
      assert.equal(final, 'FINISHED');
      assert.deepEqual(states, ['PRINTING', 'FINISHED'], 'the timer, not a read, made the transition');
    } finally {
      clearTimeout(guard);
      model.dispose();
    }
  });
});
