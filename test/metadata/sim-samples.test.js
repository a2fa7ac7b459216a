'use strict';
// Cross-check: the simulator's sample files come from an independent generator; the reader must agree with the
// options they were made from.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { readMetadata, checkCompatibility } = require('@makerflows/node-red-prusalink/metadata');

// The sample makers the package's `./sim` entry exports: missing means a broken build or map, which must fail here.
const sample = require('@makerflows/node-red-prusalink/sim');

describe('readMetadata on the simulator sample files', () => {
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
