'use strict';
// An error the client re-words keeps the printer's own error as its cause (code and words only: no request, no secret).
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { withSim, rejectsWith } = require('./helpers');

describe('a re-worded error keeps its cause', () => {
  for (const family of ['buddy', 'pi']) {
    it(`${family}: a print refused while printing is NOT_READY with the printer's 409 as its cause`, () =>
      withSim({ family, files: { 'a.gcode': 'G28\n', 'b.gcode': 'G28\n' } }, async (sim, make) => {
        const c = make();
        sim.control.startPrint('a.gcode');
        const e = await rejectsWith(c.print('b.gcode'), 'NOT_READY', /not ready to print/);
        assert.ok(e.cause instanceof Error, `no cause: ${e.cause}`);
        // Buddy words its 409 "Can't print right now" (NOT_READY); the Pi's words map to PRINTER_BUSY (docs §7).
        assert.equal(e.cause.code, family === 'buddy' ? 'NOT_READY' : 'PRINTER_BUSY');
        assert.match(e.cause.message, /\(HTTP 409\)$/);
        assert.deepEqual(Object.keys(e.cause).sort(), ['code', 'name'], 'nothing but the name and code is attached to the cause');
        assert.equal(e.cause.name, 'PrusaLinkError');
      }));

    it(`${family}: pause with no job able to pause is NOT_READY (HTTP 409) with its cause`, () =>
      withSim({ family, files: { 'a.gcode': 'G28\n' } }, async (sim, make) => {
        const c = make();
        sim.control.startPrint('a.gcode');
        await c.pause();
        const e = await rejectsWith(c.pause(), 'NOT_READY', /cannot pause/);
        assert.equal(e.status, 409);
        assert.ok(e.cause instanceof Error, `no cause: ${e.cause}`);
        assert.equal(e.cause.code, 'PRINTER_BUSY');
        assert.match(e.cause.message, /\(HTTP 409\)$/);
      }));
  }
});
