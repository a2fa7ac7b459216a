'use strict';
// Printing on the real PrusaLink with the fake MK3S: the states a print goes through, and what follows each command.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { clientOf, gcode, eventually } = require('./tools');

/** The state after a stop: the Pi shows STOPPED, then returns to IDLE about 10 s later (facts §4.6). */
async function backToIdle(c) {
  await eventually(async () => (await c.status()).state === 'IDLE', 20000, 'IDLE again');
}

async function stateBecomes(c, want, ms = 8000) {
  await eventually(async () => (await c.status()).state === want, ms, want);
}

module.exports = function printTour(fixture) {
  describe('printing on the real server', () => {
    it('print, then pause / resume / stop: the state follows each command; job names the file', async () => {
      const c = clientOf(fixture());
      await c.upload({ buffer: gcode(1500, 'long') }, '/local/print/long.gcode');
      await eventually(() => c.exists('/local/print/long.gcode'), 3000, 'long.gcode listed');
      await c.print('/local/print/long.gcode');
      await stateBecomes(c, 'PRINTING');
      const job = await c.job();
      assert.equal(job.state, 'PRINTING');
      assert.equal(job.file.name, 'long.gcode');
      assert.equal(job.file.path, '/local/print/long.gcode');
      await c.pause();
      await stateBecomes(c, 'PAUSED');
      await c.resume();
      await stateBecomes(c, 'PRINTING');
      await c.stop();
      await stateBecomes(c, 'STOPPED');
      await backToIdle(c);
    });

    it('upload-then-print: a print right after the upload resolves starts (needs the upload to wait until listed, 14.3)', async () => {
      const c = clientOf(fixture());
      await c.upload({ buffer: gcode(400, 'at once') }, '/local/print/at-once.gcode');
      await c.print('/local/print/at-once.gcode');
      await stateBecomes(c, 'PRINTING');
      await c.stop();
      await backToIdle(c);
    });

    it('print-after-upload: the upload reports the print started and the printer prints the file', async () => {
      const c = clientOf(fixture());
      const r = await c.upload({ buffer: gcode(400, 'pau') }, '/local/print/pau.gcode', { printAfterUpload: true });
      assert.equal(r.printStarted, true);
      await stateBecomes(c, 'PRINTING');
      assert.equal((await c.job()).file.name, 'pau.gcode');
      await c.stop();
      await backToIdle(c);
    });

    it('status carries the fake MK3S telemetry once PrusaLink asked for it (nozzle 24.0 °C, no targets)', async () => {
      const c = clientOf(fixture());
      // PrusaLink's first telemetry request is lost in the serial reset; it asks again after 60 s (README of the fixture)
      const st = await eventually(async () => {
        const s = await c.status();
        return s.printer.temp_nozzle !== undefined && s;
      }, 75000, 'temperatures in the status');
      assert.deepEqual([st.printer.temp_nozzle, st.printer.target_nozzle, st.printer.target_bed], [24, 0, 0]);
    });
  });
};
