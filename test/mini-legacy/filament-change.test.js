'use strict';
// Issue 9, point 1: during a filament change MINI 4.4.1 answers /api/printer with zeroed telemetry and an idle
// "Operational" state although the print goes on. The status node (on change) must say `attention` once, with
// the reason and without the fake 0.0 temperatures, and `printing` again once real telemetry is back.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../nodes/flow-helpers');
const { makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');

/** Every numeric field under a key that names a temperature, anywhere in the payload. */
function temperatures(value, at = '') {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    typeof v === 'number' && /temp|target/i.test(k) ? [[at + k, v]] : temperatures(v, `${at}${k}.`),
  );
}

describe('MINI 4.4.1 filament change through the status node', () => {
  let sim;
  before(async () => {
    sim = await h.startSimulator({ family: 'mini-legacy', speed: 1, files: { 'benchy.gcode': makeSampleGcode({ printSeconds: 3600 }) } });
    await h.startServer();
  });
  after(async () => {
    await h.stopServer();
    await sim.stop();
  });

  it('on change: printing, attention once (reason, no 0.0 temperatures), printing again', async () => {
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'st', type: 'prusalink-status', interval: '0.5', output: 'change', wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const msgs = h.collect('out');
    await h.waitFor(() => msgs.some((m) => m.event === 'online'), 8000, 'online');

    sim.control.startPrint('benchy.gcode');
    await h.waitFor(() => msgs.some((m) => m.event === 'printing'), 8000, 'printing');

    sim.control.filamentRunout();
    // What the printer itself says now: the lie the node must not pass on.
    const printerPolls = () => h.apiRequests(sim).filter((r) => r.path === '/api/printer').length;
    await h.waitFor(() => msgs.some((m) => m.event === 'attention'), 8000, 'attention');
    // Several more polls of the same lie must not repeat the event.
    const seen = printerPolls();
    await h.waitFor(() => printerPolls() >= seen + 4, 10000, 'four more polls during the filament change');

    // The user answers the dialog on the printer: the print goes on with real telemetry.
    sim.control.setState('PRINTING');
    await h.waitFor(() => msgs.filter((m) => m.event === 'printing').length >= 2, 8000, 'printing again');

    assert.deepEqual(
      msgs.map((m) => m.event),
      ['online', 'printing', 'attention', 'printing'],
    );
    const attention = msgs[2];
    assert.equal(attention.previous, 'PRINTING');
    assert.equal(attention.payload.state, 'ATTENTION');
    assert.equal(attention.payload.reason, 'filament change');
    assert.equal(attention.payload.job.file.display_name, 'benchy.gcode');
    assert.deepEqual(
      temperatures(attention.payload).filter(([, v]) => v === 0),
      [],
      'the 0.0 temperatures of the filament-change screen are left out',
    );
    assert.equal('temp_nozzle' in attention.payload.printer, false);
    assert.equal('temp_bed' in attention.payload.printer, false);

    const resumed = msgs[3];
    assert.equal(resumed.previous, 'ATTENTION');
    assert.equal(resumed.payload.reason, undefined);
    // Real telemetry again: the sample G-code is PLA, whose targets are 215 °C and 60 °C (its slicer header); the
    // temperatures themselves depend on how long the heaters have been on, so they are checked to be present, between
    // room temperature and the target (the filament-change screen's body had them at 0).
    const resumedPrinter = resumed.payload.printer;
    assert.equal(resumedPrinter.target_nozzle, 215, JSON.stringify(resumedPrinter));
    assert.equal(resumedPrinter.target_bed, 60, JSON.stringify(resumedPrinter));
    for (const [temp, target] of [['temp_nozzle', 215], ['temp_bed', 60]]) {
      assert.equal(typeof resumedPrinter[temp], 'number', temp);
      assert.ok(resumedPrinter[temp] >= 15 && resumedPrinter[temp] <= target, `${temp} ${resumedPrinter[temp]}`);
    }

    // The node's own status showed the attention, with the reason, while it lasted (the helper does not translate:
    // the text is the key).
    const shown = h.statuses(h.helper.getNode('st'));
    assert.ok(
      shown.some((s) => s.fill === 'yellow' && /state\.attentionReason$/.test(s.text)),
      shown.map((s) => s.text).join(' | '),
    );
  });
});
