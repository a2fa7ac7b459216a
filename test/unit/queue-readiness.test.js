'use strict';
// The print queue's reading of a printer status (src/queue/readiness.ts, src/queue/printer-view.ts), as table-like
// cases without a printer. Expected values come from the facts document (../shared/docs/prusalink-api.md):
// §8 the states (BUSY, ATTENTION during a print; FINISHED/STOPPED are Buddy's end-of-print screen; the Pi returns to
// IDLE ~10 s after a print and answers 409 before), §11.9 the 8.3 alias beside the long name, §7 "409 is not now".
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { readiness, updateBedMemory } = require('../../dist/queue/readiness');
const { pathKey, fileMatches, runsJob, printRunning, isOffline, errorInfo, jobPaths } = require('../../dist/queue/printer-view');

/** A normalized status in state `state`, with a job when `job` is given. */
function status(state, { job, transfer, top } = {}) {
  return { state: top ?? state, printer: { state }, ...(job ? { job } : {}), ...(transfer ? { transfer } : {}) };
}
const LONG = { name: 'LONGNA~1.GCO', display_name: 'Long name.gcode', path: '/usb/LONGNA~1.GCO', display_path: '/usb/Long name.gcode' };
/** A running job; `id` null leaves the job id out (MINI 4.4 reports none). */
const printing = (file = LONG, id = 7) => ({ ...(id === null ? {} : { id }), state: 'PRINTING', progress: 10, file });
const FAMILIES = ['buddy', 'mini-legacy', 'pi'];

describe('queue readiness: when the next job may start', () => {
  for (const family of FAMILIES) {
    for (const state of ['PRINTING', 'PAUSED', 'ATTENTION', 'BUSY']) {
      it(`${family}: ${state} (a print is held) waits for "printer-busy"`, () => {
        assert.deepEqual(readiness(family, status(state), {}), { ready: false, waitingFor: 'printer-busy' });
      });
    }
    for (const state of ['ERROR', 'UNKNOWN']) {
      it(`${family}: ${state} waits for "printer-busy", with or without a job`, () => {
        assert.deepEqual(readiness(family, status(state), {}), { ready: false, waitingFor: 'printer-busy' });
        assert.deepEqual(readiness(family, status(state, { job: printing() }), {}), { ready: false, waitingFor: 'printer-busy' });
      });
    }
    for (const state of ['IDLE', 'READY']) {
      it(`${family}: ${state} with nothing pending is ready`, () => {
        assert.deepEqual(readiness(family, status(state), {}), { ready: true });
      });
      it(`${family}: ${state} while a transfer runs waits for "printer-busy" (one transfer at a time, §7 409)`, () => {
        assert.deepEqual(readiness(family, status(state, { transfer: { progress: 5 } }), {}), { ready: false, waitingFor: 'printer-busy' });
      });
      it(`${family}: ${state} after one of our prints, bed not confirmed clear, waits for "bed-clear"`, () => {
        assert.deepEqual(readiness(family, status(state), { awaitingBedClear: true }), { ready: false, waitingFor: 'bed-clear' });
      });
    }
    for (const state of ['FINISHED', 'STOPPED']) {
      it(`${family}: the end screen ${state}, not confirmed, waits for "bed-clear"`, () => {
        assert.deepEqual(readiness(family, status(state), {}), { ready: false, waitingFor: 'bed-clear' });
        assert.deepEqual(readiness(family, status(state), { confirmedEnd: false }), { ready: false, waitingFor: 'bed-clear' });
      });
    }
  }

  it('the state is read from printer.state, not the top-level state (§11.7)', () => {
    assert.deepEqual(readiness('buddy', status('PRINTING', { top: 'IDLE' }), {}), { ready: false, waitingFor: 'printer-busy' });
    assert.deepEqual(readiness('buddy', status('IDLE', { top: 'PRINTING' }), {}), { ready: true });
  });

  it('a status without its printer part (another client, a test double) is read by its top-level state', () => {
    assert.deepEqual(readiness('buddy', { state: 'PRINTING' }, {}), { ready: false, waitingFor: 'printer-busy' });
    assert.deepEqual(readiness('buddy', { state: 'IDLE' }, {}), { ready: true });
  });

  it('Buddy: the end screen confirmed clear by the flow is ready (Buddy accepts a start there)', () => {
    for (const state of ['FINISHED', 'STOPPED']) {
      assert.deepEqual(readiness('buddy', status(state), { confirmedEnd: true }), { ready: true });
    }
  });

  it('Pi and MINI: the end state confirmed clear still waits for "printer-busy" (the Pi answers 409 until IDLE)', () => {
    for (const family of ['pi', 'mini-legacy']) {
      for (const state of ['FINISHED', 'STOPPED']) {
        assert.deepEqual(readiness(family, status(state), { confirmedEnd: true }), { ready: false, waitingFor: 'printer-busy' });
      }
    }
  });
});

describe('queue bed memory: what a status tells about the bed', () => {
  it('leaving the end screen forgets a confirmation of it; staying on it keeps the confirmation', () => {
    for (const mode of ['printer', 'flow']) {
      assert.equal(updateBedMemory('buddy', mode, status('IDLE'), { confirmedEnd: true }).confirmedEnd, false);
      assert.equal(updateBedMemory('buddy', mode, status('PRINTING'), { confirmedEnd: true }).confirmedEnd, false);
      assert.equal(updateBedMemory('buddy', mode, status('FINISHED'), { confirmedEnd: true }).confirmedEnd, true);
      assert.equal(updateBedMemory('buddy', mode, status('STOPPED'), { confirmedEnd: true }).confirmedEnd, true);
    }
  });

  it('bedClear "printer": Buddy and Pi back in IDLE or READY by themselves mean the bed was cleared', () => {
    for (const family of ['buddy', 'pi']) {
      for (const state of ['IDLE', 'READY']) {
        assert.equal(updateBedMemory(family, 'printer', status(state), { awaitingBedClear: true }).awaitingBedClear, false, `${family} ${state}`);
      }
    }
  });

  it('bedClear "printer": Buddy and Pi still on the end screen, or printing, or in error keep waiting', () => {
    for (const family of ['buddy', 'pi']) {
      for (const state of ['FINISHED', 'STOPPED', 'PRINTING', 'BUSY', 'ERROR', 'ATTENTION']) {
        assert.equal(updateBedMemory(family, 'printer', status(state), { awaitingBedClear: true }).awaitingBedClear, true, `${family} ${state}`);
      }
    }
  });

  it('bedClear "printer": a MINI (its 409 is the gate) stops waiting once no print runs, and not while one does', () => {
    assert.equal(updateBedMemory('mini-legacy', 'printer', status('IDLE'), { awaitingBedClear: true }).awaitingBedClear, false);
    assert.equal(updateBedMemory('mini-legacy', 'printer', status('FINISHED'), { awaitingBedClear: true }).awaitingBedClear, false);
    assert.equal(updateBedMemory('mini-legacy', 'printer', status('PRINTING'), { awaitingBedClear: true }).awaitingBedClear, true);
    assert.equal(updateBedMemory('mini-legacy', 'printer', status('ERROR', { job: printing() }), { awaitingBedClear: true }).awaitingBedClear, true);
  });

  it('bedClear "flow": no printer state clears the wait; only bedCleared() does', () => {
    for (const family of FAMILIES) {
      for (const state of ['IDLE', 'READY', 'FINISHED']) {
        assert.equal(updateBedMemory(family, 'flow', status(state), { awaitingBedClear: true }).awaitingBedClear, true, `${family} ${state}`);
      }
    }
  });

  it('returns a new memory and leaves the one it was given unchanged; nothing pending stays nothing', () => {
    const mem = { awaitingBedClear: true, confirmedEnd: true };
    const next = updateBedMemory('buddy', 'printer', status('IDLE'), mem);
    assert.notEqual(next, mem);
    assert.deepEqual(mem, { awaitingBedClear: true, confirmedEnd: true });
    assert.deepEqual(next, { awaitingBedClear: false, confirmedEnd: false });
    assert.deepEqual(updateBedMemory('buddy', 'printer', status('IDLE'), {}), {});
  });
});

describe('queue printer view: is a print running, and is it ours', () => {
  it('printRunning: PRINTING, PAUSED, ATTENTION, BUSY hold a print; ERROR and UNKNOWN only with a job; the rest none', () => {
    for (const s of ['PRINTING', 'PAUSED', 'ATTENTION', 'BUSY']) assert.equal(printRunning(status(s)), true, s);
    for (const s of ['ERROR', 'UNKNOWN']) {
      assert.equal(printRunning(status(s)), false, s);
      assert.equal(printRunning(status(s, { job: printing() })), true, `${s} with a job`);
    }
    for (const s of ['IDLE', 'READY', 'FINISHED', 'STOPPED']) assert.equal(printRunning(status(s, { job: printing() })), false, s);
  });

  it('pathKey: drops a leading storage (usb, local, sdcard), lower case, no outer slashes', () => {
    assert.equal(pathKey('/usb/Dir/A.gcode'), 'dir/a.gcode');
    assert.equal(pathKey('usb/dir/a.gcode'), 'dir/a.gcode');
    assert.equal(pathKey('/local/a.gcode'), 'a.gcode');
    assert.equal(pathKey(' /SDCARD/A.GCO/ '), 'a.gco');
    assert.equal(pathKey('/prints/a.gcode'), 'prints/a.gcode');
    assert.equal(pathKey('/usb'), 'usb');
    assert.equal(pathKey('//usb//x//y.gcode'), 'x/y.gcode');
  });

  it('fileMatches: Buddy reports the 8.3 alias as path and the long name as display_path (§11.9)', () => {
    assert.equal(fileMatches(LONG, ['/usb/Long name.gcode']), true);
    assert.equal(fileMatches(LONG, ['/usb/LONGNA~1.GCO']), true);
    assert.equal(fileMatches(LONG, ['/usb/other.gcode']), false);
    assert.equal(fileMatches(LONG, []), false);
    assert.equal(fileMatches(undefined, ['/usb/Long name.gcode']), false);
  });

  it('fileMatches: without a long path, the alias folder and the long name together (a folder counts)', () => {
    const inDir = { name: 'LONGNA~1.GCO', display_name: 'Long name.gcode', path: '/usb/PRINTS/LONGNA~1.GCO' };
    assert.equal(fileMatches(inDir, ['/usb/prints/Long name.gcode']), true);
    assert.equal(fileMatches(inDir, ['/usb/Long name.gcode']), false, 'same name in another folder');
    const nested = { name: 'LONGNA~1.GCO', display_name: 'Long name.gcode', path: '/usb/A/B/LONGNA~1.GCO' };
    assert.equal(fileMatches(nested, ['/usb/a/b/Long name.gcode']), true, 'two folders deep');
    assert.equal(fileMatches(nested, ['/usb/ab/Long name.gcode']), false);
    const root = { name: 'A~1.GCO', display_name: 'A long.gcode', path: '/usb/A~1.GCO', display_path: '' };
    assert.equal(fileMatches(root, ['/usb/A long.gcode']), true);
  });

  it('runsJob: the printer job id decides when both are known; a new print of the same file is not ours', () => {
    const job = { id: 'q-1', source: { kind: 'printer', path: '/usb/Long name.gcode' }, printerJobId: 7 };
    assert.equal(runsJob(status('PRINTING', { job: printing(LONG, 7) }), job), true);
    assert.equal(runsJob(status('PRINTING', { job: printing(LONG, 8) }), job), false);
    const other = { ...LONG, path: '/usb/OTHER~1.GCO', display_path: '/usb/Other.gcode', display_name: 'Other.gcode' };
    assert.equal(runsJob(status('PRINTING', { job: printing(other, 7) }), job), true, 'the same id is the same print');
  });

  it('runsJob: without ids (MINI, or before the id is known) the file decides; no running print is never ours', () => {
    const job = { id: 'q-1', source: { kind: 'printer', path: '/usb/Long name.gcode' } };
    assert.equal(runsJob(status('PRINTING', { job: printing(LONG, null) }), job), true);
    assert.equal(runsJob(status('PRINTING', { job: printing(LONG, 9) }), job), true, 'job id unknown on our side');
    const known = { ...job, printerJobId: 7 };
    assert.equal(runsJob(status('PRINTING', { job: printing(LONG, null) }), known), true, 'no id from the printer');
    assert.equal(runsJob(status('PRINTING', { job: printing({ ...LONG, path: '/usb/X.GCO', display_path: '/usb/x.gcode', display_name: 'x.gcode' }) }), job), false);
    assert.equal(runsJob(status('FINISHED', { job: printing(LONG) }), job), false);
    assert.equal(runsJob(status('PRINTING'), job), false);
  });

  it('jobPaths: a printer job by its path; an upload by its target and the alias the printer gave', () => {
    assert.deepEqual(jobPaths({ source: { kind: 'printer', path: '/usb/a.gcode' } }), ['/usb/a.gcode']);
    assert.deepEqual(jobPaths({ source: { kind: 'buffer', name: 'b.gcode' }, printerPath: '/usb/b.gcode', printerAlias: '/usb/B~1.GCO' }), ['/usb/b.gcode', '/usb/B~1.GCO']);
    assert.deepEqual(jobPaths({ source: { kind: 'local', file: '/tmp/c.gcode' } }), []);
  });

  it('isOffline: no answer (UNREACHABLE, TIMEOUT, ABORTED) is offline; an answer with an error is not', () => {
    for (const code of ['UNREACHABLE', 'TIMEOUT', 'ABORTED']) assert.equal(isOffline({ code }), true, code);
    for (const code of ['AUTH_FAILED', 'NOT_READY', 'HTTP_ERROR', undefined]) assert.equal(isOffline({ code }), false, String(code));
    assert.equal(isOffline(null), false);
  });

  it('errorInfo: the code and message of an error; ERROR and the text of anything else', () => {
    assert.deepEqual(errorInfo(Object.assign(new Error('busy'), { code: 'NOT_READY' })), { code: 'NOT_READY', message: 'busy' });
    assert.deepEqual(errorInfo(new Error('plain')), { code: 'ERROR', message: 'plain' });
    assert.deepEqual(errorInfo('text'), { code: 'ERROR', message: 'text' });
    assert.deepEqual(errorInfo({ code: 5, message: 6 }), { code: 'ERROR', message: '[object Object]' });
    assert.deepEqual(errorInfo(null), { code: 'ERROR', message: 'null' });
  });
});
