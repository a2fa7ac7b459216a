'use strict';
// An upload resolves only once the printer lists the file (Pi PrusaLink lists a new file 114–225 ms after its 201),
// and its result carries the stored file's entry on every family.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { withSim, eventually } = require('./helpers');

const BODY = Buffer.from('; visible\nG28\nG1 X10 Y10\n'.repeat(100));

describe('an upload resolves once the printer lists the file', () => {
  it('pi (listing delay 150 ms, the simulator default): fileInfo right after the upload finds it', () =>
    withSim({ family: 'pi' }, async (sim, make) => {
      const c = make();
      await c.detect();
      for (const name of ['a.gcode', 'dir/b.gcode']) {
        await c.upload({ buffer: BODY }, name);
        const info = await c.fileInfo(name);
        assert.equal(info.size, BODY.length);
      }
    }));

  it('pi (listing delay 225 ms): upload then print at once starts the print', () =>
    withSim({ family: 'pi', piListingDelayMs: 225 }, async (sim, make) => {
      const c = make();
      await c.detect();
      await c.upload({ buffer: BODY }, 'go.gcode');
      await c.print('go.gcode');
      await eventually(async () => (await c.status()).state === 'PRINTING');
    }));

  it('pi: the simulator really hides a new upload for the delay (GET 404, then 200)', () =>
    withSim({ family: 'pi', piListingDelayMs: 400 }, async (sim, make) => {
      const c = make();
      await c.detect();
      sim.control.clearRequests();
      const started = Date.now();
      await c.upload({ buffer: BODY }, 'late.gcode');
      const gets = sim.control.requests().filter((r) => r.method === 'GET' && r.path === '/api/v1/files/local/late.gcode');
      assert.equal(gets[0].status, 404, 'the first look after the 201 finds nothing');
      assert.equal(gets[gets.length - 1].status, 200);
      assert.ok(Date.now() - started >= 400, 'resolved only once listed');
    }));

  for (const family of ['buddy', 'pi', 'mini-legacy']) {
    it(`${family}: the result carries the stored file with its size`, () =>
      withSim({ family }, async (sim, make) => {
        const c = make();
        const r = await c.upload({ buffer: BODY }, 'entry.gcode');
        assert.equal(r.file && r.file.size, BODY.length, JSON.stringify(r));
        assert.equal(r.file.display_name, 'entry.gcode');
        assert.equal(r.size, BODY.length);
      }));
  }
});
