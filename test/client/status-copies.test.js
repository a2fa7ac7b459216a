'use strict';
// status() builds each answer afresh instead of copying the whole (src/client/status.ts): what a caller does with an
// answer must still not reach what the client remembers (the job's file, fetched once per job) nor the next answer.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { withSim, sampleGcode, eventually } = require('./helpers');

describe('status(): every answer its own', () => {
  it('changing an answer (its job file included) changes neither the next answer nor job()', () =>
    withSim({ family: 'buddy', files: { 'part.gcode': sampleGcode({ printSeconds: 600 }) } }, async (sim, make) => {
      const c = make();
      await c.print('part.gcode');
      await eventually(async () => (await c.status()).state === 'PRINTING');
      const first = await c.status();
      assert.equal(first.job.file.display_name, 'part.gcode');
      first.state = 'CHANGED';
      first.printer.temp_nozzle = -1;
      first.job.progress = -1;
      first.job.file.display_name = 'changed.gcode';
      first.job.file.path = '/changed';
      const second = await c.status();
      assert.equal(second.state, 'PRINTING');
      assert.notEqual(second.printer.temp_nozzle, -1);
      assert.notEqual(second.job.progress, -1);
      assert.equal(second.job.file.display_name, 'part.gcode');
      assert.notEqual(second.job.file.path, '/changed');
      assert.equal((await c.job()).file.display_name, 'part.gcode');
    }));
});
