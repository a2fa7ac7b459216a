'use strict';
// Unit tests of the Print-After-Upload reconciliation (docs §11.1) with a fake printer: no server. Success only when
// the printer proves that THIS upload was stored and started; otherwise the printer's original error.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { ClientContext } = require('../../dist/client/context');
const { PrusaLinkError } = require('../../dist/client/errors');
const { reconcilePrintAfterUpload, askBeforeUpload } = require('../../dist/client/upload/print-after-upload');

const LABEL = 'printer.local:80';
const ctx = new ClientContext(LABEL, null, null);
const pp = { storage: 'usb', segments: ['part.gcode'] };
const SIZE = 1234;

function entry(over = {}) {
  return { type: 'PRINT_FILE', name: 'PART~1.GCO', display_name: 'part.gcode', path: '/usb/PART~1.GCO', display_path: '/usb/part.gcode', size: SIZE, m_timestamp: 2000, ...over };
}
function job(over = {}) {
  const f = entry();
  return { id: 8, state: 'PRINTING', progress: 0, file: { name: f.name, display_name: f.display_name, path: f.path, display_path: f.display_path }, ...over };
}
/** A fake printer: job() and fileInfo() answer what the test says; a thrown value is thrown. */
function printer({ job: j = null, entry: e, jobFails, infoFails } = {}) {
  const asked = [];
  return {
    asked,
    job: async () => {
      asked.push('job');
      if (jobFails) throw jobFails;
      return j;
    },
    fileInfo: async (path) => {
      asked.push(`fileInfo ${path}`);
      if (infoFails) throw infoFails;
      if (!e) throw new PrusaLinkError('NOT_FOUND', 'not found (HTTP 404)', { status: 404 });
      return e;
    },
  };
}
const exists409 = () => new PrusaLinkError('FILE_EXISTS', 'File already exists (HTTP 409)', { status: 409, printerMessage: 'File already exists' });
const notReady409 = () => new PrusaLinkError('NOT_READY', "Can't print right now (HTTP 409)", { status: 409, printerMessage: "Can't print right now" });
const NOTHING_BEFORE = { entry: undefined, job: null };

/** Runs the reconciliation; returns the result, or the error thrown. */
async function outcome(ask, original, before = NOTHING_BEFORE, warning) {
  try {
    return { result: await reconcilePrintAfterUpload(ctx, ask, pp, SIZE, original, before, warning) };
  } catch (error) {
    return { error };
  }
}
async function expectOriginal(ask, original, before) {
  const { result, error } = await outcome(ask, original, before);
  assert.equal(result, undefined, `reported as a success: ${JSON.stringify(result)}`);
  assert.equal(error, original, `not the original error: ${error && error.message}`);
}

describe('reconcilePrintAfterUpload: success only when this upload was stored and started', () => {
  it('a new file of the uploaded size, printed by a job that did not run before → printStarted, recoveredFromError, the entry', async () => {
    const ask = printer({ job: job(), entry: entry() });
    const { result, error } = await outcome(ask, new PrusaLinkError('NOT_FOUND', 'Not found (HTTP 404)', { status: 404 }), NOTHING_BEFORE, 'a warning');
    assert.equal(error, undefined);
    assert.deepEqual(result, { path: '/usb/part.gcode', size: SIZE, printStarted: true, recoveredFromError: true, file: entry(), warning: 'a warning' });
    assert.deepEqual(ask.asked, ['job', 'fileInfo /usb/part.gcode']);
  });

  for (const state of ['PAUSED', 'ATTENTION', 'BUSY']) {
    it(`a job in ${state} counts as started`, async () => {
      const { result } = await outcome(printer({ job: job({ state }), entry: entry() }), notReady409());
      assert.equal(result && result.printStarted, true);
    });
  }

  for (const state of ['IDLE', 'FINISHED', 'STOPPED', 'READY']) {
    it(`a job in ${state} is no print started → the original error`, () => expectOriginal(printer({ job: job({ state }), entry: entry() }), exists409()));
  }

  it('no job at all → the original error', () => expectOriginal(printer({ job: null, entry: entry() }), exists409()));

  it('the job prints another file → the original error', () =>
    expectOriginal(
      printer({ job: job({ file: { name: 'OTHER~1.GCO', display_name: 'other.gcode', path: '/usb/OTHER~1.GCO', display_path: '/usb/other.gcode' } }), entry: entry() }),
      exists409(),
    ));

  it('the job names the file by its 8.3 name and long name but another path form → success', async () => {
    const jf = { name: 'PART~1.GCO', display_name: 'part.gcode', path: '/usb/DIR/../PART~1.GCO', display_path: '/usb/part.gcode' };
    const { result } = await outcome(printer({ job: job({ file: jf }), entry: entry() }), exists409());
    assert.equal(result && result.recoveredFromError, true);
  });

  it('the same 8.3 name with another long name is another file → the original error', () => {
    const jf = { name: 'PART~1.GCO', display_name: 'part (2).gcode', path: '/usb/OTHER/PART~1.GCO', display_path: '/usb/OTHER/part (2).gcode' };
    return expectOriginal(printer({ job: job({ file: jf }), entry: entry() }), exists409());
  });

  it('the stored file has another size than the upload → the original error', () =>
    expectOriginal(printer({ job: job(), entry: entry({ size: SIZE - 1 }) }), exists409()));

  it('the stored file has no size → the original error', () => expectOriginal(printer({ job: job(), entry: entry({ size: undefined }) }), exists409()));

  it('no file under the name after the error → the original error', () => expectOriginal(printer({ job: job(), entry: undefined }), exists409()));

  it('the old file (same size and time as before) printed by the old job: the 409 to a name being printed → FILE_EXISTS', () =>
    expectOriginal(printer({ job: job(), entry: entry() }), exists409(), { entry: entry(), job: job() }));

  it('the file unchanged since before, though a new job prints it → the original error', () =>
    expectOriginal(printer({ job: job({ id: 9 }), entry: entry() }), exists409(), { entry: entry(), job: null }));

  it('a changed file, but the job that ran before (same id) → the original error', () =>
    expectOriginal(printer({ job: job(), entry: entry({ m_timestamp: 2100 }) }), exists409(), { entry: entry({ size: 99 }), job: job() }));

  it('a file replaced (other size before) and a new job id → success', async () => {
    const { result } = await outcome(printer({ job: job({ id: 9 }), entry: entry() }), notReady409(), { entry: entry({ size: 99 }), job: job() });
    assert.equal(result && result.recoveredFromError, true);
  });

  it('a file replaced (same size, another m_timestamp) and no job before → success', async () => {
    const { result } = await outcome(printer({ job: job(), entry: entry({ m_timestamp: 2100 }) }), notReady409(), { entry: entry(), job: null });
    assert.equal(result && result.recoveredFromError, true);
  });

  it('legacy (no job ids): the job before printed the same file → the original error', () =>
    expectOriginal(printer({ job: job({ id: undefined }), entry: entry() }), exists409(), { entry: entry({ size: 99 }), job: job({ id: undefined }) }));

  it('legacy (no job ids): the job before printed another file → success', async () => {
    const other = { name: 'OTHER~1.GCO', display_name: 'other.gcode', path: '/usb/OTHER~1.GCO', display_path: '/usb/other.gcode' };
    const { result } = await outcome(printer({ job: job({ id: undefined }), entry: entry() }), notReady409(), {
      entry: undefined,
      job: job({ id: undefined, file: other }),
    });
    assert.equal(result && result.recoveredFromError, true);
  });

  it('success without a warning: the result has no warning key', async () => {
    const { result } = await outcome(printer({ job: job(), entry: entry() }), notReady409());
    assert.deepEqual(result, { path: '/usb/part.gcode', size: SIZE, printStarted: true, recoveredFromError: true, file: entry() });
  });

  it('a running job without a file → the original error', () => expectOriginal(printer({ job: job({ file: undefined }), entry: entry() }), exists409()));

  it('the job names the file by its path only (in another case; its display name is the 8.3 name) → success', async () => {
    const jf = { name: 'PART~1.GCO', display_name: 'PART~1.GCO', path: '/usb/part~1.gco', display_path: '/usb/PART~1.GCO' };
    const { result } = await outcome(printer({ job: job({ file: jf }), entry: entry() }), notReady409());
    assert.equal(result && result.recoveredFromError, true);
  });

  it('the same long name with another 8.3 name in another folder is another file → the original error', () => {
    const jf = { name: 'PART~2.GCO', display_name: 'part.gcode', path: '/usb/OTHER/PART~2.GCO', display_path: '/usb/OTHER/part.gcode' };
    return expectOriginal(printer({ job: job({ file: jf }), entry: entry() }), exists409());
  });

  it('legacy: the running job before had no file → another job now → success', async () => {
    const { result } = await outcome(printer({ job: job({ id: undefined }), entry: entry() }), notReady409(), {
      entry: undefined,
      job: job({ id: undefined, file: undefined }),
    });
    assert.equal(result && result.recoveredFromError, true);
  });

  it('an id only before, none now, the same file printing → the original error (ids compared only when both are known)', () =>
    expectOriginal(printer({ job: job({ id: undefined }), entry: entry() }), exists409(), { entry: undefined, job: job({ id: 8 }) }));

  it('no id before, an id now, the same file printing → the original error (ids compared only when both are known)', () =>
    expectOriginal(printer({ job: job({ id: 9 }), entry: entry() }), exists409(), { entry: undefined, job: job({ id: undefined }) }));

  it('nothing known from before the upload → the original error, and the printer is not asked', async () => {
    const ask = printer({ job: job(), entry: entry() });
    const original = exists409();
    await assert.rejects(reconcilePrintAfterUpload(ctx, ask, pp, SIZE, original, undefined), (e) => e === original);
    assert.deepEqual(ask.asked, []);
  });
});

describe('reconcilePrintAfterUpload: stored but not started', () => {
  it('409 NOT_READY with the new file stored → NOT_READY saying where it was stored, the cause kept', async () => {
    const original = notReady409();
    const { error } = await outcome(printer({ job: null, entry: entry() }), original);
    assert.equal(error.code, 'NOT_READY');
    assert.equal(
      error.message,
      `PrusaLink ${LABEL}: the file was stored as /usb/PART~1.GCO but the print did not start: the printer is not ready ("Can't print right now") (HTTP 409)`,
    );
    assert.equal(error.status, 409);
    assert.equal(error.cause && error.cause.code, 'NOT_READY');
    assert.equal(error.cause && error.cause.message, original.message);
  });

  it('409 PRINTER_BUSY with the new file stored → NOT_READY saying where it was stored', async () => {
    const original = new PrusaLinkError('PRINTER_BUSY', 'refused (HTTP 409)', { status: 409 });
    const { error } = await outcome(printer({ job: job({ state: 'IDLE' }), entry: entry() }), original);
    assert.equal(error.code, 'NOT_READY');
    assert.equal(error.message, `PrusaLink ${LABEL}: the file was stored as /usb/PART~1.GCO but the print did not start: the printer is not ready (HTTP 409)`);
  });

  it('409 with another code (FILE_EXISTS) and a new file → the original error', () => expectOriginal(printer({ job: null, entry: entry() }), exists409()));

  it('NOT_READY from another status than 409 → the original error', () =>
    expectOriginal(printer({ job: null, entry: entry() }), new PrusaLinkError('NOT_READY', 'timed out', { status: 408 })));

  it('409 NOT_READY but the file is the old one (unchanged) → the original error', () =>
    expectOriginal(printer({ job: null, entry: entry() }), notReady409(), { entry: entry(), job: null }));

  it('409 NOT_READY but the stored size is not the upload → the original error', () =>
    expectOriginal(printer({ job: null, entry: entry({ size: 5 }) }), notReady409()));
});

describe('reconcilePrintAfterUpload: when asking fails', () => {
  const down = () => new PrusaLinkError('UNREACHABLE', 'printer unreachable: connection refused');
  it('job() fails → the original error', () => expectOriginal(printer({ job: job(), entry: entry(), jobFails: down() }), notReady409()));
  it('fileInfo() fails otherwise than NOT_FOUND → the original error', () =>
    expectOriginal(printer({ job: job(), entry: entry(), infoFails: down() }), notReady409()));
});

describe('askBeforeUpload', () => {
  it('the job and the file under the name', async () => {
    assert.deepEqual(await askBeforeUpload(printer({ job: job(), entry: entry() }), pp), { job: job(), entry: entry() });
  });
  it('a missing file is no entry', async () => {
    assert.deepEqual(await askBeforeUpload(printer({ job: null }), pp), { job: null, entry: undefined });
  });
  it('a failure to ask is nothing known', async () => {
    assert.equal(await askBeforeUpload(printer({ jobFails: new Error('down') }), pp), undefined);
    assert.equal(await askBeforeUpload(printer({ infoFails: new PrusaLinkError('UNREACHABLE', 'x') }), pp), undefined);
  });
});
