'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { withSim, rejectsWith, eventually, sampleGcode } = require('./helpers');

describe('MINI 4.4.1 (legacy API only)', () => {
  it('filament change: zeroed telemetry + idle state with a known job → ATTENTION "filament change"; PRINTING again after', () =>
    withSim({ family: 'mini-legacy', files: { 'benchy.gcode': sampleGcode({ printSeconds: 3600 }) } }, async (sim, make) => {
      const c = make();
      await c.print('benchy.gcode');
      const printing = await eventually(async () => {
        const s = await c.status();
        return s.state === 'PRINTING' ? s : undefined;
      });
      assert.equal(printing.job.file.display_name, 'benchy.gcode');
      assert.ok(printing.job.progress >= 0 && printing.job.progress <= 100);

      sim.control.filamentRunout();
      const st = await c.status();
      assert.equal(st.state, 'ATTENTION');
      assert.equal(st.reason, 'filament change');
      assert.equal(st.printer.state, 'ATTENTION');
      for (const k of ['temp_nozzle', 'temp_bed', 'target_nozzle', 'target_bed', 'axis_z', 'material']) {
        assert.equal(k in st.printer, false, `${k} must be absent, not 0`);
      }
      assert.equal(st.job.file.display_name, 'benchy.gcode');
      assert.equal((await c.job()).state, 'ATTENTION');

      // The dialog is answered on the printer: the print goes on and real telemetry returns.
      sim.control.setState('PRINTING');
      const after = await eventually(async () => {
        const s = await c.status();
        return s.state === 'PRINTING' ? s : undefined;
      });
      assert.equal(after.reason, undefined);
      // Real telemetry again: the sample G-code is PLA, whose targets are 215 °C and 60 °C (its slicer header).
      assert.equal(after.printer.target_nozzle, 215);
      assert.equal(after.printer.target_bed, 60);
      assert.equal(after.printer.material, 'PLA');
      // The heaters have just come back on, so the exact temperatures depend on timing: they are present and lie
      // between room temperature and the target (the dialog's body had them at 0).
      for (const [temp, target] of [['temp_nozzle', 215], ['temp_bed', 60]]) {
        assert.equal(typeof after.printer[temp], 'number', temp);
        assert.ok(after.printer[temp] >= 15 && after.printer[temp] <= target, `${temp} ${after.printer[temp]}`);
      }
    }));

  it('an idle printer that happens to be cold is not mistaken for a filament change', () =>
    withSim({ family: 'mini-legacy' }, async (sim, make) => {
      const c = make();
      const st = await c.status();
      assert.equal(st.state, 'IDLE');
      assert.equal(st.reason, undefined);
    }));

  it('409 "Can\'t start print now" (not on the main screen) → NOT_READY telling to return to the main screen', () =>
    withSim({ family: 'mini-legacy', files: { 'a.gcode': 'G28\n' } }, async (sim, make) => {
      const c = make();
      sim.control.setMainScreen(false);
      await rejectsWith(c.print('a.gcode'), 'NOT_READY', /main screen/);
      sim.control.setMainScreen(true);
      await c.print('a.gcode');
      const start = sim.control.requests().find((r) => r.method === 'POST' && r.status === 204);
      assert.equal(start.url, "/api/files/usb/a.gcode");
    }));

  it('pause / resume / stop use POST /api/job', () =>
    withSim({ family: 'mini-legacy', files: { 'a.gcode': sampleGcode({ printSeconds: 3600 }) } }, async (sim, make) => {
      const c = make();
      await c.print('a.gcode');
      await eventually(async () => (await c.status()).state === 'PRINTING');
      await c.pause();
      await eventually(async () => (await c.status()).state === 'PAUSED');
      await c.resume();
      await eventually(async () => (await c.status()).state === 'PRINTING');
      await c.stop();
      const posts = sim.control.requests().filter((r) => r.method === 'POST' && r.path === '/api/job');
      assert.equal(posts.length, 3);
      await eventually(async () => (await c.status()).state !== 'PRINTING');
    }));
});
