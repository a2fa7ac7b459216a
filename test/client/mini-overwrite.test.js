'use strict';
// MINI 4.4.1 cannot replace a file, and says so (409) only after reading the whole body, minutes at its 54 KB/s.
// The client lists the USB root first and refuses before any byte of the file is sent; it never deletes the old file
// for the caller (a failed upload would then lose it).
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { withSim, rejectsWith } = require('./helpers');

const FILES = { 'part.gcode': 'old\n', 'Long name bracket.gcode': 'old long\n' };
const uploadsOf = (sim) => sim.control.requests().filter((r) => r.method !== 'GET');

describe('mini-legacy: upload to a name that exists', () => {
  it('without overwrite: FILE_EXISTS before any byte is sent', () =>
    withSim({ family: 'mini-legacy', files: FILES }, async (sim, make) => {
      const c = make();
      await c.detect();
      sim.control.clearRequests();
      const e = await rejectsWith(c.upload({ buffer: Buffer.alloc(64 * 1024, 0x47) }, 'part.gcode'), 'FILE_EXISTS');
      assert.match(e.message, /: \/usb\/part\.gcode already exists on the printer$/);
      assert.deepEqual(sim.control.requests().map((r) => `${r.method} ${r.path}`), ['GET /api/files'], 'one listing, no upload');
      assert.equal(sim.control.readFile('part.gcode').toString(), 'old\n');
    }));

  it('with overwrite: FILE_EXISTS saying the MINI cannot replace it and to delete it first; nothing deleted or sent', () =>
    withSim({ family: 'mini-legacy', files: FILES }, async (sim, make) => {
      const c = make();
      await c.detect();
      sim.control.clearRequests();
      const e = await rejectsWith(c.upload({ buffer: Buffer.alloc(64 * 1024, 0x47) }, 'part.gcode', { overwrite: true }), 'FILE_EXISTS');
      assert.match(e.message, /\/usb\/part\.gcode already exists on the printer/);
      assert.match(e.message, /this printer \(MINI firmware 4\.4\) cannot replace a file/);
      assert.match(e.message, /not deleted automatically, because a failed upload would then lose it/);
      assert.match(e.message, /delete it first \(e\.g\. with the rm node\)/);
      assert.equal(uploadsOf(sim).length, 0, 'no upload and no DELETE');
      assert.equal(sim.control.readFile('part.gcode').toString(), 'old\n');
    }));

  it('the long name and the letter case do not matter (FAT compares names without case)', () =>
    withSim({ family: 'mini-legacy', files: FILES }, async (sim, make) => {
      const c = make();
      await c.detect();
      sim.control.clearRequests();
      const e = await rejectsWith(c.upload({ buffer: Buffer.from('G28\n') }, 'long NAME Bracket.gcode'), 'FILE_EXISTS');
      assert.match(e.message, /\/usb\/Long name bracket\.gcode already exists/);
      await rejectsWith(c.upload({ buffer: Buffer.from('G28\n') }, 'PART.GCODE', { overwrite: true }), 'FILE_EXISTS', /cannot replace/);
      assert.equal(uploadsOf(sim).length, 0);
    }));

  it('a new name: one listing, then the upload', () =>
    withSim({ family: 'mini-legacy', files: FILES }, async (sim, make) => {
      const c = make();
      await c.detect();
      sim.control.clearRequests();
      await c.upload({ buffer: Buffer.from('G28\n') }, 'fresh.gcode', { overwrite: true });
      assert.deepEqual(sim.control.requests().map((r) => `${r.method} ${r.path} ${r.status}`), ['GET /api/files 200', 'POST /api/files/local 201']);
      assert.equal(sim.control.readFile('fresh.gcode').toString(), 'G28\n');
    }));
});
