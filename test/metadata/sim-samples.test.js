'use strict';
// Cross-check: the simulator's sample files come from an independent generator; the reader must agree with the
// options they were made from.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { readMetadata, checkCompatibility } = require('../../dist/metadata');

const samplePath = path.join(__dirname, '../../dist/sim/model/sample-gcode.js');
const hasSamples = fs.existsSync(samplePath);

describe('readMetadata on the simulator sample files', { skip: hasSamples ? false : 'simulator samples not built' }, () => {
  const sample = hasSamples ? require(samplePath) : {};
  const options = { name: 'cross check', printSeconds: 5025, filament: 'PETG', printerModel: 'MINI', sizeBytes: 400_000 };

  it('plain G-code', async () => {
    const meta = await readMetadata({ buffer: sample.makeSampleGcode(options) });
    assert.equal(meta.format, 'gcode');
    assert.equal(meta.estimatedPrintTime, 5025);
    assert.equal(meta.filamentType, 'PETG');
    assert.equal(meta.printerModel, 'MINI');
    assert.equal(typeof meta.filamentWeight, 'number');
    assert.equal(typeof meta.nozzleDiameter, 'number');
    assert.equal(checkCompatibility(meta, { printerModel: 'MK4' }).compatible, false);
  });

  it('binary G-code', async () => {
    const meta = await readMetadata({ buffer: sample.makeSampleBgcode(options) });
    assert.equal(meta.format, 'bgcode');
    assert.deepEqual(meta.warnings, []);
    assert.equal(meta.estimatedPrintTime, 5025);
    assert.equal(meta.filamentType, 'PETG');
    assert.equal(meta.printerModel, 'MINI');
    assert.deepEqual(meta.thumbnails.map((t) => `${t.width}x${t.height}`), ['16x16', '64x48']);
  });
});
