'use strict';
// Fixture tests of the normalizer (src/client/normalize.ts, the MINI 4.4.1 quirk in status.ts). INPUTS are the literal JSON bodies of the
// facts document (/work/shared/docs/prusalink-api.md, section quoted per fixture) and, for MINI 4.4.1, the bodies
// quoted in PrusaLinkPy's README (guillaume-rico/PrusaLinkPy and its predecessor guillaume-rico/prusaLink, measured on
// a MINI): nothing here comes from our simulator. Where the document writes `…` a concrete value is filled in and
// marked FILLED. EXPECTED outputs are written by hand from the document and our public types (src/client/types.ts):
// v1 names kept, legacy completion 0..1 scaled to percent, absent or null fields left out, full paths `/storage/...`.
// Firmware ≥ 6.4 fixtures belong to the firmware work (issue on Buddy 6.4+); these cover ≤ 6.3, the Pi and the MINI.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const n = require('../../dist/client/normalize');
const { applyMiniFilamentChange } = require('../../dist/client/status');

// §4.4 storage lists, as storageFromV1 must read them.
const BUDDY_STORAGE_BODY = { storage_list: [{ path: '/usb/', name: 'usb', type: 'USB', read_only: false, available: true }] };
const PI_STORAGE_BODY = {
  storage_list: [
    // FILLED: free_space, total_space, print_files, system_files
    { type: 'LOCAL', path: '/local', name: 'PrusaLink gcodes', available: true, read_only: false, free_space: 1000, total_space: 2000, print_files: 3, system_files: 1 },
    { type: 'SDCARD', path: '/sdcard', read_only: true },
  ],
};
const BUDDY_STORAGES = [{ name: 'usb', display_name: 'usb', type: 'USB', read_only: false, available: true }];
const PI_STORAGES = [
  { name: 'local', display_name: 'PrusaLink gcodes', type: 'LOCAL', read_only: false, available: true, free_space: 1000, total_space: 2000 },
  { name: 'sdcard', type: 'SDCARD', read_only: true, available: true },
];
const MINI_STORAGES = [{ name: 'usb', read_only: false, available: true }];

describe('normalize: storages (§4.4)', () => {
  it('Buddy storage list → usb, writable, available', () => {
    assert.deepEqual(BUDDY_STORAGE_BODY.storage_list.map(n.storageFromV1), BUDDY_STORAGES);
  });
  it('Pi storage list → local (display name "PrusaLink gcodes") and read-only sdcard', () => {
    assert.deepEqual(PI_STORAGE_BODY.storage_list.map(n.storageFromV1), PI_STORAGES);
  });
  it('Buddy without a USB stick: available false', () => {
    assert.deepEqual(n.storageFromV1({ path: '/usb/', name: 'usb', type: 'USB', read_only: false, available: false }), {
      name: 'usb',
      display_name: 'usb',
      type: 'USB',
      read_only: false,
      available: false,
    });
  });
  it('Pi 0.7.0 RC2 "ro" is read as read_only (§3 item 5); read_only wins over ro', () => {
    assert.equal(n.storageFromV1({ path: '/local', ro: true }).read_only, true);
    assert.equal(n.storageFromV1({ path: '/local', read_only: false, ro: true }).read_only, false);
    assert.equal(n.storageFromV1({ path: '/local', read_only: 'True' }).read_only, true);
  });
  it('slashes around the path are all stripped; no read-only flag means writable', () => {
    assert.deepEqual(n.storageFromV1({ path: '//usb//' }), { name: 'usb', read_only: false, available: true });
  });
  it('no path, a path of slashes only, or no object: no storage', () => {
    assert.equal(n.storageFromV1({ name: 'usb' }), undefined);
    assert.equal(n.storageFromV1({ path: '//' }), undefined);
    assert.equal(n.storageFromV1(null), undefined);
    assert.equal(n.storageFromV1(['/usb/']), undefined);
  });
});

// §4.2 Buddy /api/v1/status, verbatim (comments removed).
const BUDDY_STATUS = {
  job: { id: 12, progress: 42.0, time_remaining: 520, filament_change_in: 300, time_printing: 526 },
  storage: { path: '/usb/', name: 'usb', read_only: false },
  transfer: { id: 7, time_transferring: 30, progress: 65.82, transferred: 123084800 },
  printer: {
    state: 'PRINTING',
    temp_bed: 60.0,
    target_bed: 60.0,
    temp_nozzle: 215.1,
    target_nozzle: 215.0,
    axis_z: 1.2,
    axis_x: 10.0,
    axis_y: 20.0,
    flow: 100,
    speed: 100,
    fan_hotend: 5000,
    fan_print: 3000,
  },
};
const BUDDY_PRINTER = {
  state: 'PRINTING',
  temp_nozzle: 215.1,
  target_nozzle: 215,
  temp_bed: 60,
  target_bed: 60,
  axis_x: 10,
  axis_y: 20,
  axis_z: 1.2,
  flow: 100,
  speed: 100,
  fan_hotend: 5000,
  fan_print: 3000,
};
// §4.2 Pi /api/v1/status. FILLED: the printer's "same keys" with other values, the job's and transfer's values.
const PI_STATUS = {
  storage: [
    { path: '/local', name: 'PrusaLink gcodes', read_only: false, free_space: 1000 },
    { path: '/sdcard', name: 'SD Card', read_only: true },
  ],
  printer: {
    state: 'IDLE',
    temp_bed: 23.5,
    target_bed: 0.0,
    temp_nozzle: 24.1,
    target_nozzle: 0.0,
    axis_z: 5.0,
    axis_x: 0.0,
    axis_y: 200.0,
    flow: 95,
    speed: 110,
    fan_hotend: 0,
    fan_print: 0,
    status_connect: { ok: true, message: 'OK' },
    status_printer: { ok: true, message: 'OK' },
  },
  job: { id: 3, progress: 12.0, time_printing: 60 },
  camera: { id: 'cam0' },
  transfer: { id: 5, time_transferring: 12, progress: 40.5, data_transferred: 4096 },
};

describe('normalize: /api/v1/status (§4.2)', () => {
  it('Buddy printer object → every telemetry key as a number', () => {
    assert.deepEqual(n.printerFromV1(BUDDY_STATUS.printer), BUDDY_PRINTER);
  });
  it('Pi printer object → the same keys; status_connect/status_printer are not telemetry', () => {
    assert.deepEqual(n.printerFromV1(PI_STATUS.printer), {
      state: 'IDLE',
      temp_nozzle: 24.1,
      target_nozzle: 0,
      temp_bed: 23.5,
      target_bed: 0,
      axis_x: 0,
      axis_y: 200,
      axis_z: 5,
      flow: 95,
      speed: 110,
      fan_hotend: 0,
      fan_print: 0,
    });
  });
  it('an empty or missing printer object → state UNKNOWN and nothing else', () => {
    assert.deepEqual(n.printerFromV1(undefined), { state: 'UNKNOWN' });
    assert.deepEqual(n.printerFromV1({}), { state: 'UNKNOWN' });
  });
  it('Buddy status job (state taken from the printer, as status() does) → id, progress, times; filament_change_in dropped', () => {
    assert.deepEqual(n.jobFromV1({ ...BUDDY_STATUS.job, state: 'PRINTING' }, BUDDY_STORAGES, 'usb'), {
      id: 12,
      state: 'PRINTING',
      progress: 42,
      time_remaining: 520,
      time_printing: 526,
    });
  });
  it('Pi status job without time_remaining (a stripped null) → no time_remaining', () => {
    assert.deepEqual(n.jobFromV1({ ...PI_STATUS.job, state: 'PRINTING' }, PI_STORAGES, 'local'), {
      id: 3,
      state: 'PRINTING',
      progress: 12,
      time_printing: 60,
    });
  });
  it('Buddy status transfer: bytes in "transferred"', () => {
    assert.deepEqual(n.transferFrom(BUDDY_STATUS.transfer), { id: 7, progress: 65.82, transferred: 123084800, time_transferring: 30 });
  });
  it('Pi status transfer: bytes in "data_transferred" (§10) become "transferred"', () => {
    assert.deepEqual(n.transferFrom(PI_STATUS.transfer), { id: 5, progress: 40.5, transferred: 4096, time_transferring: 12 });
  });
  it('no transfer object → no transfer', () => {
    assert.equal(n.transferFrom(undefined), undefined);
    assert.equal(n.transferFrom('FROM_CLIENT'), undefined);
  });
});

// §4.3 Buddy /api/v1/job, verbatim.
const BUDDY_JOB = {
  id: 12,
  state: 'PRINTING',
  progress: 42.0,
  time_remaining: 520,
  time_printing: 526,
  file: {
    name: 'FILE~1.GCO',
    display_name: 'Long name.gcode',
    path: '/usb/DIR',
    size: 123456,
    m_timestamp: 1700000000,
    refs: { icon: '/thumb/s/usb/DIR/FILE~1.GCO', thumbnail: '/thumb/l/usb/DIR/FILE~1.GCO', download: '/usb/DIR/FILE~1.GCO' },
  },
};
// §4.3 Pi /api/v1/job. FILLED: size, m_timestamp, meta.
const PI_JOB = {
  id: 3,
  state: 'PRINTING',
  progress: 12.0,
  time_remaining: null,
  time_printing: 60,
  inaccurate_estimates: false,
  file: {
    name: 'x.gcode',
    display_name: 'x.gcode',
    path: '/PrusaLink gcodes/x.gcode',
    display_path: '/PrusaLink gcodes/x.gcode',
    size: 1234,
    m_timestamp: 1700000100,
    refs: { download: '/api/files/local/PrusaLink gcodes/x.gcode/raw', icon: null, thumbnail: '/api/thumbnails/PrusaLink gcodes/x.gcode.orig.png' },
    meta: { 'filament used [mm]': 100 },
  },
};

describe('normalize: /api/v1/job (§4.3)', () => {
  it('Buddy: "path" is the directory; the file path is directory + 8.3 name, the display path uses the long name', () => {
    assert.deepEqual(n.jobFromV1(BUDDY_JOB, BUDDY_STORAGES, 'usb'), {
      id: 12,
      state: 'PRINTING',
      progress: 42,
      time_remaining: 520,
      time_printing: 526,
      file: {
        name: 'FILE~1.GCO',
        display_name: 'Long name.gcode',
        path: '/usb/DIR/FILE~1.GCO',
        display_path: '/usb/DIR/Long name.gcode',
        size: 123456,
        m_timestamp: 1700000000,
        refs: { icon: '/thumb/s/usb/DIR/FILE~1.GCO', thumbnail: '/thumb/l/usb/DIR/FILE~1.GCO', download: '/usb/DIR/FILE~1.GCO' },
      },
    });
  });
  it('Pi: "path" is the full path under the storage display name → /local/x.gcode; null time_remaining and icon left out', () => {
    assert.deepEqual(n.jobFromV1(PI_JOB, PI_STORAGES, 'local'), {
      id: 3,
      state: 'PRINTING',
      progress: 12,
      time_printing: 60,
      file: {
        name: 'x.gcode',
        display_name: 'x.gcode',
        path: '/local/x.gcode',
        display_path: '/local/x.gcode',
        size: 1234,
        m_timestamp: 1700000100,
        refs: { thumbnail: '/api/thumbnails/PrusaLink gcodes/x.gcode.orig.png', download: '/api/files/local/PrusaLink gcodes/x.gcode/raw' },
      },
    });
  });
  it('Buddy job in the USB root ("path":"/usb") and one with no path at all', () => {
    assert.deepEqual(n.jobFileFromV1({ name: 'A.GCO', display_name: 'A long.gcode', path: '/usb' }, BUDDY_STORAGES, 'usb'), {
      name: 'A.GCO',
      display_name: 'A long.gcode',
      path: '/usb/A.GCO',
      display_path: '/usb/A long.gcode',
    });
    assert.deepEqual(n.jobFileFromV1({ name: 'A.GCO' }, BUDDY_STORAGES, 'usb'), {
      name: 'A.GCO',
      display_name: 'A.GCO',
      path: '/usb/A.GCO',
      display_path: '/usb/A.GCO',
    });
  });
  it('a path that is just the name, and a Buddy directory whose name ends like the file', () => {
    assert.equal(n.jobFileFromV1({ name: 'x.gcode', path: 'x.gcode' }, PI_STORAGES, 'local').path, '/local/x.gcode');
    assert.equal(n.jobFileFromV1({ name: 'B.GCO', path: '/usb/AB.GCO' }, BUDDY_STORAGES, 'usb').path, '/usb/AB.GCO/B.GCO');
  });
  it('Pi display_path in the storage display name → full form /local/...', () => {
    const f = n.jobFileFromV1({ name: 'x.gcode', path: '/PrusaLink gcodes/d/x.gcode', display_path: '/PrusaLink gcodes/Dir/x.gcode' }, PI_STORAGES, 'local');
    assert.equal(f.display_path, '/local/Dir/x.gcode');
  });
  it('a job without a file name has no file; not an object: no job', () => {
    assert.equal(n.jobFileFromV1({ path: '/usb/DIR' }, BUDDY_STORAGES, 'usb'), undefined);
    assert.equal(n.jobFromV1(null, BUDDY_STORAGES, 'usb'), undefined);
    assert.deepEqual(n.jobFromV1({ id: 1, state: 'PAUSED', progress: 250, file: { path: '/usb' } }, BUDDY_STORAGES, 'usb'), {
      id: 1,
      state: 'PAUSED',
      progress: 100,
    });
  });
  it('a job without progress is at 0 %; a negative progress is 0 %', () => {
    assert.equal(n.jobFromV1({ id: 1, state: 'PRINTING' }, BUDDY_STORAGES, 'usb').progress, 0);
    assert.equal(n.jobFromV1({ id: 1, state: 'PRINTING', progress: -3 }, BUDDY_STORAGES, 'usb').progress, 0);
  });
});

// §4.5 Buddy /api/v1/transfer with a transfer running, verbatim but for "<long name>".
const BUDDY_TRANSFER = {
  type: 'FROM_CLIENT',
  display_name: 'Long name.gcode',
  path: '/usb/DIR',
  size: '123456',
  progress: 12.34,
  transferred: 1024,
  time_remaining: 61,
  time_transferring: 42,
  to_print: false,
};

describe('normalize: /api/v1/transfer with a transfer running (§4.5)', () => {
  it('Buddy: size is a STRING → number', () => {
    assert.deepEqual(n.transferFrom(BUDDY_TRANSFER), {
      type: 'FROM_CLIENT',
      display_name: 'Long name.gcode',
      path: '/usb/DIR',
      size: 123456,
      progress: 12.34,
      transferred: 1024,
      time_remaining: 61,
      time_transferring: 42,
      to_print: false,
    });
  });
  it('Pi: the same keys plus url, size an integer, to_print true', () => {
    const pi = { ...BUDDY_TRANSFER, size: 123456, to_print: true, url: 'http://example.invalid/x.gcode', id: 9 };
    assert.deepEqual(n.transferFrom(pi), {
      id: 9,
      type: 'FROM_CLIENT',
      display_name: 'Long name.gcode',
      path: '/usb/DIR',
      size: 123456,
      progress: 12.34,
      transferred: 1024,
      time_remaining: 61,
      time_transferring: 42,
      to_print: true,
    });
  });
  it('to_print: booleans, and the strings true/True/false/False (Pi header spelling); anything else left out', () => {
    const table = [[true, true], [false, false], ['true', true], ['True', true], ['false', false], ['False', false], ['yes', undefined], [1, undefined], ['', undefined]];
    for (const [v, want] of table) assert.equal(n.transferFrom({ to_print: v }).to_print, want, JSON.stringify(v));
  });
  it('progress is kept within 0..100; "transferred" wins over "data_transferred"', () => {
    assert.deepEqual(n.transferFrom({ progress: 100.5, transferred: 1, data_transferred: 2 }), { progress: 100, transferred: 1 });
    assert.deepEqual(n.transferFrom({ progress: -1 }), { progress: 0 });
    assert.deepEqual(n.transferFrom({}), {});
  });
});

describe('normalize: currentTransfer() with a transfer running (§4.5), fake context', () => {
  const { currentTransfer } = require('../../dist/client/status');
  const ctxAnswering = (answers) => ({
    asked: [],
    async getJson(target, accept) {
      this.asked.push([target, accept]);
      return answers[target];
    },
  });
  it('v1 printer: GET /api/v1/transfer, the §4.5 body normalized', async () => {
    const ctx = ctxAnswering({ '/api/v1/transfer': { status: 200, json: BUDDY_TRANSFER } });
    assert.deepEqual(await currentTransfer(ctx, { capabilities: { v1: true } }), n.transferFrom(BUDDY_TRANSFER));
    assert.deepEqual(ctx.asked, [['/api/v1/transfer', [204, 404]]]);
  });
  it('legacy printer: GET /api/transfer; 204 (idle) and 404 → null', async () => {
    const running = ctxAnswering({ '/api/transfer': { status: 200, json: { target: 'usb', type: 'FROM_CLIENT', size: '10', progress: 50 } } });
    assert.deepEqual(await currentTransfer(running, { capabilities: { v1: false } }), { type: 'FROM_CLIENT', size: 10, progress: 50 });
    assert.equal(await currentTransfer(ctxAnswering({ '/api/transfer': { status: 204, json: {} } }), { capabilities: { v1: false } }), null);
    assert.equal(await currentTransfer(ctxAnswering({ '/api/v1/transfer': { status: 404, json: {} } }), { capabilities: { v1: true } }), null);
  });
});

// §4.6 Buddy folder listing, verbatim. FILLED: the folder's and SUBDIR's m_timestamp.
const BUDDY_FOLDER = {
  type: 'FOLDER',
  ro: false,
  name: 'DIR',
  m_timestamp: 1700000300,
  children: [
    {
      name: 'FILE~1.GCO',
      display_name: 'Long name.gcode',
      ro: false,
      type: 'PRINT_FILE',
      m_timestamp: 1700000000,
      refs: { icon: '/thumb/s/usb/DIR/FILE~1.GCO', thumbnail: '/thumb/l/usb/DIR/FILE~1.GCO', download: '/usb/DIR/FILE~1.GCO' },
    },
    { name: 'SUBDIR', display_name: 'Sub dir long', ro: false, type: 'FOLDER', m_timestamp: 1700000200 },
  ],
};

describe('normalize: v1 files (§4.6)', () => {
  const parent = { path: '/usb/DIR', display_path: '/usb/Dir long' };
  it('Buddy folder children: no size, ro → read_only, 8.3 path and long display path', () => {
    assert.deepEqual(
      BUDDY_FOLDER.children.map((c) => n.fileFromV1(c, parent)),
      [
        {
          type: 'PRINT_FILE',
          name: 'FILE~1.GCO',
          display_name: 'Long name.gcode',
          path: '/usb/DIR/FILE~1.GCO',
          display_path: '/usb/Dir long/Long name.gcode',
          m_timestamp: 1700000000,
          read_only: false,
          refs: { icon: '/thumb/s/usb/DIR/FILE~1.GCO', thumbnail: '/thumb/l/usb/DIR/FILE~1.GCO', download: '/usb/DIR/FILE~1.GCO' },
        },
        {
          type: 'FOLDER',
          name: 'SUBDIR',
          display_name: 'Sub dir long',
          path: '/usb/DIR/SUBDIR',
          display_path: '/usb/Dir long/Sub dir long',
          m_timestamp: 1700000200,
          read_only: false,
        },
      ],
    );
  });
  it('Buddy file still uploading: ro true, no download ref; FIRMWARE and FILE types kept', () => {
    const root = { path: '/usb', display_path: '/usb' };
    assert.deepEqual(n.fileFromV1({ name: 'UP~1.GCO', display_name: 'up.gcode', ro: true, type: 'PRINT_FILE', size: 5, refs: { icon: '/thumb/s/usb/UP~1.GCO' } }, root), {
      type: 'PRINT_FILE',
      name: 'UP~1.GCO',
      display_name: 'up.gcode',
      path: '/usb/UP~1.GCO',
      display_path: '/usb/up.gcode',
      size: 5,
      read_only: true,
      refs: { icon: '/thumb/s/usb/UP~1.GCO' },
    });
    assert.equal(n.fileFromV1({ name: 'FW.BBF', type: 'FIRMWARE' }, root).type, 'FIRMWARE');
    assert.equal(n.fileFromV1({ name: 'A.TXT', type: 'FILE' }, root).type, 'FILE');
    assert.equal(n.fileFromV1({ name: 'A.TXT', type: 'print_file' }, root).type, 'PRINT_FILE');
    assert.equal(n.fileFromV1({ name: 'A.TXT', type: 'SOMETHING' }, root).type, 'FILE');
    assert.equal(n.fileFromV1({ name: 'A.TXT' }, root).type, 'FILE');
  });
  it('Pi child: read_only instead of ro, a size, real names (display_name == name)', () => {
    const piParent = { path: '/local', display_path: '/local' };
    assert.deepEqual(
      n.fileFromV1(
        { name: 'x.gcode', display_name: 'x.gcode', read_only: false, type: 'PRINT_FILE', size: 1234, m_timestamp: 1700000100, refs: { icon: null, thumbnail: null, download: null } },
        piParent,
      ),
      { type: 'PRINT_FILE', name: 'x.gcode', display_name: 'x.gcode', path: '/local/x.gcode', display_path: '/local/x.gcode', size: 1234, m_timestamp: 1700000100, read_only: false },
    );
  });
  it('a child without a name is dropped; a child without display_name shows its name', () => {
    assert.equal(n.fileFromV1({ display_name: 'x' }, parent), undefined);
    assert.equal(n.fileFromV1('x', parent), undefined);
    assert.equal(n.fileFromV1({ name: 'A.GCO' }, parent).display_path, '/usb/Dir long/A.GCO');
  });
});

// MINI 4.4.1 bodies quoted in PrusaLinkPy's README (Python dicts turned into JSON).
const MINI_PRINTER_IDLE = {
  telemetry: { 'temp-bed': 29.1, 'temp-nozzle': 30.5, 'print-speed': 100, 'z-height': 120.1, material: 'PLA' },
  temperature: { tool0: { actual: 30.5, target: 0.0, display: 0.0, offset: 0 }, bed: { actual: 29.1, target: 0.0, offset: 0 } },
  state: {
    text: 'Operational',
    flags: { operational: true, paused: false, printing: false, cancelling: false, pausing: false, sdReady: false, error: false, closedOnError: false, ready: true, busy: false },
  },
};
const MINI_PRINTER_FILAMENT_CHANGE = {
  telemetry: { 'temp-bed': 0.0, 'temp-nozzle': 0.0, 'print-speed': 100, 'z-height': 0.0, material: '---' },
  state: {
    text: 'Operational',
    flags: { operational: true, paused: false, printing: false, cancelling: false, pausing: false, sdReady: false, error: false, closedOnError: false, ready: true, busy: false },
  },
};
const MINI_JOB_NONE = { state: 'Operational', job: null, progress: null };
const { MINI_FILES } = require('./fixtures/prusalinkpy-mini');
const DEBOUCHAGE = {
  type: 'PRINT_FILE',
  name: 'DEBOUC~1.GCO',
  display_name: 'DEBOUCHAGE.gcode',
  path: '/usb/DEBOUC~1.GCO',
  display_path: '/usb/DEBOUCHAGE.gcode',
  refs: { icon: '/thumb/s/usb/DEBOUC~1.GCO', thumbnail: '/thumb/l/usb/DEBOUC~1.GCO', download: '/usb/DEBOUC~1.GCO' },
};

// §6 legacy /api/printer and /api/job (Buddy), verbatim but for "<long name>".
const LEGACY_PRINTER_PRINTING = {
  telemetry: { 'temp-bed': 60.0, 'temp-nozzle': 215.0, 'print-speed': 100, 'z-height': 1.2, material: 'PLA' },
  temperature: { tool0: { actual: 215.0, target: 215.0, display: 215.0, offset: 0 }, bed: { actual: 60.0, target: 60.0, offset: 0 } },
  state: {
    text: 'Printing',
    flags: {
      link_state: 'PRINTING',
      operational: false,
      paused: false,
      printing: true,
      cancelling: false,
      pausing: false,
      error: false,
      sdReady: false,
      closedOnError: false,
      ready: false,
      busy: false,
    },
  },
};
const LEGACY_JOB_PRINTING = {
  state: 'Printing',
  job: { estimatedPrintTime: 3600, file: { name: 'Long name.gcode', path: '/usb/FILE~1.GCO', display: 'Long name.gcode' } },
  progress: { completion: 0.42, printTime: 1500, printTimeLeft: 2100 },
};

describe('normalize: legacy /api/printer and /api/job (§6; MINI 4.4.1 from PrusaLinkPy)', () => {
  it('§6 printing printer → PRINTING with telemetry and targets', () => {
    assert.deepEqual(n.printerFromLegacy(LEGACY_PRINTER_PRINTING), {
      state: 'PRINTING',
      temp_nozzle: 215,
      target_nozzle: 215,
      temp_bed: 60,
      target_bed: 60,
      axis_z: 1.2,
      speed: 100,
      material: 'PLA',
    });
  });
  it('MINI 4.4.1 idle printer → IDLE (ready flag, no link_state)', () => {
    assert.deepEqual(n.printerFromLegacy(MINI_PRINTER_IDLE), {
      state: 'IDLE',
      temp_nozzle: 30.5,
      target_nozzle: 0,
      temp_bed: 29.1,
      target_bed: 0,
      axis_z: 120.1,
      speed: 100,
      material: 'PLA',
    });
  });
  it('Pi legacy telemetry: axis_* keys, temperatures from "temperature" only, material " - " is none', () => {
    assert.deepEqual(
      n.printerFromLegacy({
        telemetry: { 'axis-x': 1.5, 'axis-y': 2.5, 'axis-z': 3.5, 'print-speed': 90, material: ' - ' },
        temperature: { tool0: { actual: 200.0, target: 210.0 }, bed: { actual: 55.0, target: 60.0 } },
        state: { text: 'Operational', flags: { link_state: 'FINISHED', operational: true, ready: false } },
      }),
      { state: 'FINISHED', temp_nozzle: 200, target_nozzle: 210, temp_bed: 55, target_bed: 60, axis_x: 1.5, axis_y: 2.5, axis_z: 3.5, speed: 90 },
    );
  });
  it('material: only dashes (MINI "---", Pi " - ") mean none; a name with a dash is a material', () => {
    const material = (m) => n.printerFromLegacy({ telemetry: { material: m } }).material;
    assert.deepEqual(['---', ' - ', '-', 'PLA-', '-PLA', 'PLA-CF', ' PETG '].map(material), [undefined, undefined, undefined, 'PLA-', '-PLA', 'PLA-CF', 'PETG']);
  });
  it('"z-height" wins over "axis-z"; telemetry temperatures win over "temperature"', () => {
    assert.deepEqual(
      n.printerFromLegacy({ telemetry: { 'z-height': 1, 'axis-z': 2, 'temp-nozzle': 3, 'temp-bed': 4 }, temperature: { tool0: { actual: 5 }, bed: { actual: 6 } } }),
      { state: 'UNKNOWN', temp_nozzle: 3, temp_bed: 4, axis_z: 1 },
    );
  });
  it('a body without telemetry or temperature → state only', () => {
    assert.deepEqual(n.printerFromLegacy({}), { state: 'UNKNOWN' });
  });
  it('§6 printing job: completion 0.42 → 42 %, 8.3 path kept, long display name', () => {
    assert.deepEqual(n.jobFromLegacy(LEGACY_JOB_PRINTING, 'PRINTING', MINI_STORAGES, 'usb'), {
      state: 'PRINTING',
      progress: 42,
      time_remaining: 2100,
      time_printing: 1500,
      file: { name: 'FILE~1.GCO', display_name: 'Long name.gcode', path: '/usb/FILE~1.GCO', display_path: '/usb/Long name.gcode' },
    });
  });
  it('the long name is "display", before "name"', () => {
    const job = n.jobFromLegacy({ job: { file: { name: 'FILE~1.GCO', display: 'Long name.gcode', path: '/usb/FILE~1.GCO' } } }, 'PRINTING', MINI_STORAGES, 'usb');
    assert.equal(job.file.display_name, 'Long name.gcode');
  });
  it('MINI 4.4.1 job null, progress null → no job', () => {
    assert.equal(n.jobFromLegacy(MINI_JOB_NONE, 'IDLE', MINI_STORAGES, 'usb'), undefined);
  });
  it('Pi job with completion null (§6) and a file in a folder with a size; no display → name', () => {
    assert.deepEqual(
      n.jobFromLegacy({ state: 'Printing', job: { file: { name: 'x.gcode', path: '/PrusaLink gcodes/d/x.gcode', size: 77 } }, progress: { completion: null } }, 'PRINTING', PI_STORAGES, 'local'),
      { state: 'PRINTING', progress: 0, file: { name: 'x.gcode', display_name: 'x.gcode', path: '/local/d/x.gcode', display_path: '/local/d/x.gcode', size: 77 } },
    );
  });
  it('a job file without a path, or without a file → no job; no name or display → the path\'s last segment', () => {
    assert.equal(n.jobFromLegacy({ job: { file: { name: 'x' } } }, 'PRINTING', MINI_STORAGES, 'usb'), undefined);
    assert.equal(n.jobFromLegacy({ job: {} }, 'PRINTING', MINI_STORAGES, 'usb'), undefined);
    assert.deepEqual(n.jobFromLegacy({ job: { file: { path: '/usb/A.GCO' } } }, 'PAUSED', MINI_STORAGES, 'usb'), {
      state: 'PAUSED',
      progress: 0,
      file: { name: 'A.GCO', display_name: 'A.GCO', path: '/usb/A.GCO', display_path: '/usb/A.GCO' },
    });
  });
  it('a completion above 1 is 100 %', () => {
    assert.equal(n.jobFromLegacy({ job: { file: { path: '/usb/A.GCO' } }, progress: { completion: 1.5 } }, 'PRINTING', MINI_STORAGES, 'usb').progress, 100);
  });
});

describe('normalize: legacy state (§6 flags and text)', () => {
  const flags = (f, text = 'Operational') => ({ state: { text, flags: f } });
  const table = [
    ['Buddy link_state PAUSED', flags({ link_state: 'PAUSED', pausing: true, busy: true }, 'Operational'), 'PAUSED'],
    ['Buddy attention: link_state ATTENTION with printing+busy+error', flags({ link_state: 'ATTENTION', printing: true, busy: true, error: true }, 'Printing'), 'ATTENTION'],
    ['Buddy aborting: link_state BUSY with cancelling', flags({ link_state: 'BUSY', cancelling: true }, 'Operational'), 'BUSY'],
    ['Pi link_state in lower case', flags({ link_state: 'stopped' }, 'Cancelling'), 'STOPPED'],
    ['link_state UNKNOWN falls back to the flags', flags({ link_state: 'UNKNOWN', printing: true }, 'Printing'), 'PRINTING'],
    ['link_state not a state falls back to the flags', flags({ link_state: 'WEIRD', ready: true }), 'IDLE'],
    ['error flag', flags({ error: true, printing: true }, 'Printing'), 'ERROR'],
    ['Buddy closedOnError', flags({ closedOnError: true }), 'ERROR'],
    ['Pi closedOrError', flags({ closedOrError: true }), 'ERROR'],
    ['text Error', flags({}, 'Error'), 'ERROR'],
    ['cancelling flag', flags({ cancelling: true, printing: true }, 'Printing'), 'BUSY'],
    ['text Cancelling (Pi STOPPED)', flags({}, 'Cancelling'), 'BUSY'],
    ['paused flag', flags({ paused: true, printing: true }, 'Printing'), 'PAUSED'],
    ['pausing flag', flags({ pausing: true, printing: true }, 'Printing'), 'PAUSED'],
    ['text Paused', flags({}, 'Paused'), 'PAUSED'],
    ['text Pausing', flags({}, 'Pausing'), 'PAUSED'],
    ['printing flag', flags({ printing: true, busy: true }, 'Operational'), 'PRINTING'],
    ['text Printing', flags({}, 'Printing'), 'PRINTING'],
    ['busy flag', flags({ busy: true, ready: true }), 'BUSY'],
    ['text Busy', flags({}, 'Busy'), 'BUSY'],
    ['ready flag', flags({ ready: true }, ''), 'IDLE'],
    ['operational flag', flags({ operational: true }, ''), 'IDLE'],
    ['text Operational', flags({}), 'IDLE'],
    ['flags as strings are not flags', flags({ error: 'true', printing: 'true' }, ''), 'UNKNOWN'],
    ['nothing known', { state: {} }, 'UNKNOWN'],
    ['no state at all', {}, 'UNKNOWN'],
  ];
  for (const [title, body, want] of table) it(`${title} → ${want}`, () => assert.equal(n.legacyState(body), want));
});

describe('normalize: MINI 4.4.1 files (PrusaLinkPy README)', () => {
  const { listLegacy } = require('../../dist/client/files/listing');
  const mini = { family: 'mini-legacy', capabilities: { uploadByPut: false, v1: false }, storages: MINI_STORAGES, defaultStorage: 'usb' };
  it('the root listing: its one storage folder "USB" is unwrapped into the files it holds', async () => {
    const asked = [];
    const ctx = {
      async getJson(target) {
        asked.push(target);
        return { status: 200, json: MINI_FILES };
      },
    };
    const { here, entries } = await listLegacy(ctx, mini, { storage: 'usb', segments: [] });
    assert.deepEqual(asked, ['/api/files']);
    assert.deepEqual(here, { path: '/usb', display_path: '/usb' });
    assert.deepEqual(entries, [DEBOUCHAGE]);
  });
  it('legacy listing shapes: the storage folder unwrapped; a flat list, a folder\'s children, a lone file or folder kept', () => {
    const file = MINI_FILES.files[0].children[0];
    assert.deepEqual(n.legacyListingEntries(MINI_FILES, 'usb'), [file]);
    assert.deepEqual(n.legacyListingEntries({ files: [{ ...MINI_FILES.files[0], path: '/USB/' }] }, 'usb'), [file]);
    assert.deepEqual(n.legacyListingEntries({ files: [file, file] }, 'usb'), [file, file]);
    assert.deepEqual(n.legacyListingEntries({ files: [MINI_FILES.files[0], file] }, 'usb'), [MINI_FILES.files[0], file]);
    assert.deepEqual(n.legacyListingEntries({ files: [{ ...MINI_FILES.files[0], path: '//usb//' }] }, 'usb'), [file]);
    assert.deepEqual(n.legacyListingEntries({ files: [file] }, 'usb'), [file]);
    assert.deepEqual(n.legacyListingEntries({ children: [file] }, 'usb'), [file]);
    const subfolder = { name: 'D', path: '/usb/D', type: 'folder', children: [file] };
    assert.deepEqual(n.legacyListingEntries({ files: [subfolder] }, 'usb'), [subfolder]);
    const noChildren = { name: 'USB', path: '/usb', type: 'folder' };
    assert.deepEqual(n.legacyListingEntries({ files: [noChildren] }, 'usb'), [noChildren]);
    assert.deepEqual(n.legacyListingEntries({ files: 'x', children: 'y' }, 'usb'), []);
    assert.deepEqual(n.legacyListingEntries({ files: ['x'] }, 'usb'), ['x']);
  });
  it('a legacy file entry: display is the long name, thumbnailSmall/Big are icon and thumbnail', () => {
    assert.deepEqual(n.fileFromLegacy(MINI_FILES.files[0].children[0], { path: '/usb', display_path: '/usb' }), DEBOUCHAGE);
  });
  it('a legacy folder entry (type folder, or children) is a FOLDER; size and date are read', () => {
    const root = { path: '/usb', display_path: '/usb' };
    assert.equal(n.fileFromLegacy({ name: 'D', type: 'folder' }, root).type, 'FOLDER');
    assert.equal(n.fileFromLegacy({ name: 'D', children: [] }, root).type, 'FOLDER');
    assert.deepEqual(n.fileFromLegacy({ name: 'A.GCO', display_name: 'a.gcode', size: 821, date: 1700000000 }, root), {
      type: 'PRINT_FILE',
      name: 'A.GCO',
      display_name: 'a.gcode',
      path: '/usb/A.GCO',
      display_path: '/usb/a.gcode',
      size: 821,
      m_timestamp: 1700000000,
    });
    assert.equal(n.fileFromLegacy({ name: 'A.GCO', m_timestamp: 5 }, root).m_timestamp, 5);
    assert.equal(n.fileFromLegacy({ display: 'x' }, root), undefined);
    assert.equal(n.fileFromLegacy(null, root), undefined);
  });
});

describe('normalize: MINI 4.4.1 filament change (PrusaLinkPy README)', () => {
  const printingJob = { state: 'PRINTING', progress: 30, file: { name: 'A.GCO', display_name: 'A.GCO', path: '/usb/A.GCO' } };
  const lastPrinting = { state: 'PRINTING', printer: { state: 'PRINTING' }, job: printingJob };
  const attention = { state: 'ATTENTION', reason: 'filament change', printer: { state: 'ATTENTION' }, job: { ...printingJob, state: 'ATTENTION' } };

  it('the README body itself reads as idle, zeroed telemetry, no material', () => {
    assert.deepEqual(n.printerFromLegacy(MINI_PRINTER_FILAMENT_CHANGE), { state: 'IDLE', temp_nozzle: 0, temp_bed: 0, axis_z: 0, speed: 100 });
  });
  it('with a print running before → ATTENTION, reason "filament change", the job kept', () => {
    const status = { state: 'IDLE', printer: n.printerFromLegacy(MINI_PRINTER_FILAMENT_CHANGE) };
    assert.deepEqual(applyMiniFilamentChange(status, MINI_PRINTER_FILAMENT_CHANGE, lastPrinting), attention);
  });
  it('with the job still in /api/job → ATTENTION with that job', () => {
    const status = { state: 'IDLE', printer: { state: 'IDLE' }, job: printingJob };
    assert.deepEqual(applyMiniFilamentChange(status, MINI_PRINTER_FILAMENT_CHANGE, undefined), attention);
  });
  it('after PAUSED or ATTENTION too; not after IDLE, and not without any job', () => {
    const status = { state: 'IDLE', printer: { state: 'IDLE' } };
    assert.deepEqual(applyMiniFilamentChange(status, MINI_PRINTER_FILAMENT_CHANGE, { ...lastPrinting, state: 'PAUSED' }), attention);
    assert.deepEqual(applyMiniFilamentChange(status, MINI_PRINTER_FILAMENT_CHANGE, { ...lastPrinting, state: 'ATTENTION' }), attention);
    assert.equal(applyMiniFilamentChange(status, MINI_PRINTER_FILAMENT_CHANGE, { ...lastPrinting, state: 'IDLE' }), status);
    assert.equal(applyMiniFilamentChange(status, MINI_PRINTER_FILAMENT_CHANGE, { state: 'PRINTING', printer: { state: 'PRINTING' } }), status);
    assert.equal(applyMiniFilamentChange(status, MINI_PRINTER_FILAMENT_CHANGE, undefined), status);
  });
  it('the previous status is not changed (its job is copied)', () => {
    const last = structuredClone(lastPrinting);
    applyMiniFilamentChange({ state: 'IDLE', printer: { state: 'IDLE' } }, MINI_PRINTER_FILAMENT_CHANGE, last);
    assert.deepEqual(last, lastPrinting);
  });
  it('the real idle body of the README is no filament change, even after a print', () => {
    const status = { state: 'IDLE', printer: n.printerFromLegacy(MINI_PRINTER_IDLE) };
    assert.equal(applyMiniFilamentChange(status, MINI_PRINTER_IDLE, lastPrinting), status);
  });
  it('only the whole pattern counts: any one field different → not the dialog', () => {
    const status = { state: 'IDLE', printer: { state: 'IDLE' } };
    const variants = [
      { telemetry: { ...MINI_PRINTER_FILAMENT_CHANGE.telemetry, 'temp-bed': 0.1 } },
      { telemetry: { ...MINI_PRINTER_FILAMENT_CHANGE.telemetry, 'temp-nozzle': 0.1 } },
      { telemetry: { ...MINI_PRINTER_FILAMENT_CHANGE.telemetry, 'print-speed': 90 } },
      { telemetry: { ...MINI_PRINTER_FILAMENT_CHANGE.telemetry, 'z-height': 0.2 } },
      { telemetry: { ...MINI_PRINTER_FILAMENT_CHANGE.telemetry, material: 'PLA' } },
      { state: { ...MINI_PRINTER_FILAMENT_CHANGE.state, text: 'Printing' } },
      { state: { text: 'Operational', flags: { ...MINI_PRINTER_FILAMENT_CHANGE.state.flags, printing: true } } },
      { telemetry: undefined },
      { state: undefined },
    ];
    for (const v of variants) {
      const body = { ...MINI_PRINTER_FILAMENT_CHANGE, ...v };
      assert.equal(applyMiniFilamentChange(status, body, lastPrinting), status, JSON.stringify(v));
    }
  });
  it('a body without flags but with the pattern is the dialog', () => {
    const body = { telemetry: MINI_PRINTER_FILAMENT_CHANGE.telemetry, state: { text: 'Operational' } };
    assert.deepEqual(applyMiniFilamentChange({ state: 'IDLE', printer: { state: 'IDLE' } }, body, lastPrinting), attention);
  });
});

describe('normalize: value readers (every field optional, §4)', () => {
  it('num: numbers and numeric strings (Buddy transfer size); not NaN, Infinity, blank strings or other types', () => {
    assert.equal(n.num(0), 0);
    assert.equal(n.num(12.5), 12.5);
    assert.equal(n.num('123456'), 123456);
    assert.equal(n.num(' 7 '), 7);
    for (const v of [NaN, Infinity, -Infinity, '', '  ', 'abc', '1e999', null, undefined, true, [], {}]) assert.equal(n.num(v), undefined, String(v));
  });
  it('str and obj', () => {
    assert.equal(n.str('a'), 'a');
    assert.equal(n.str(1), undefined);
    assert.deepEqual(n.obj({ a: 1 }), { a: 1 });
    for (const v of [null, [], 'x', 1, undefined]) assert.equal(n.obj(v), undefined);
  });
  it('toState: every SDK state in any case; anything else UNKNOWN', () => {
    for (const s of ['IDLE', 'BUSY', 'PRINTING', 'PAUSED', 'FINISHED', 'STOPPED', 'ERROR', 'ATTENTION', 'READY', 'UNKNOWN']) {
      assert.equal(n.toState(s), s);
      assert.equal(n.toState(s.toLowerCase()), s);
    }
    assert.equal(n.toState('Operational'), 'UNKNOWN');
    assert.equal(n.toState(3), 'UNKNOWN');
  });
  it('isState: a known state other than UNKNOWN', () => {
    assert.equal(n.isState('printing'), true);
    assert.equal(n.isState('READY'), true);
    assert.equal(n.isState('UNKNOWN'), false);
    assert.equal(n.isState('unknown'), false);
    assert.equal(n.isState('Operational'), false);
    assert.equal(n.isState(undefined), false);
  });
  it('refs: legacy thumbnailSmall/Big stand in for icon/thumbnail; an empty refs object is none', () => {
    assert.deepEqual(n.refsFrom({ icon: '/i', thumbnailSmall: '/s', thumbnail: '/t', thumbnailBig: '/b', download: '/d' }), { icon: '/i', thumbnail: '/t', download: '/d' });
    assert.equal(n.refsFrom({ icon: null, thumbnail: null, download: null }), undefined);
    assert.equal(n.refsFrom(null), undefined);
  });
  it('toFullPath: storage by URL name (any case) or by display name; else the default storage', () => {
    assert.equal(n.toFullPath('/PrusaLink gcodes/d/x.gcode', PI_STORAGES, 'local'), '/local/d/x.gcode');
    assert.equal(n.toFullPath('/SDCARD/x.gcode', PI_STORAGES, 'local'), '/sdcard/x.gcode');
    assert.equal(n.toFullPath('/usb/DIR/F.GCO', BUDDY_STORAGES, 'usb'), '/usb/DIR/F.GCO');
    assert.equal(n.toFullPath('d/x.gcode', PI_STORAGES, 'local'), '/local/d/x.gcode');
    assert.equal(n.toFullPath('/prusalink gcodes/x.gcode', PI_STORAGES, 'local'), '/local/prusalink gcodes/x.gcode');
    assert.equal(n.toFullPath('/', PI_STORAGES, 'local'), '/local');
    assert.equal(n.toFullPath('/x.gcode', [{ name: 'sdcard', read_only: true, available: true }], 'local'), '/local/x.gcode');
  });
  it('clampProgress keeps 0..100', () => {
    assert.deepEqual([n.clampProgress(-1), n.clampProgress(0), n.clampProgress(55.5), n.clampProgress(100), n.clampProgress(101)], [0, 0, 55.5, 100, 100]);
  });
});
