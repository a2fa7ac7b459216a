'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { checkCompatibility, normalizeModel } = require('@makerflows/node-red-prusalink/metadata');

const meta = (over) => ({ format: 'gcode', warnings: [], raw: {}, ...over });

describe('checkCompatibility', () => {
  it('accepts a matching model and nozzle, ignoring the input-shaper suffix and case', () => {
    assert.deepEqual(checkCompatibility(meta({ printerModel: 'MK4IS', nozzleDiameter: 0.4 }), { printerModel: 'mk4', nozzleDiameter: 0.4 }), {
      compatible: true,
      reasons: [],
    });
    assert.equal(normalizeModel('MK3.9'), 'MK39');
    assert.equal(normalizeModel('MINIIS'), 'MINI');
  });

  it('refuses another printer model and another nozzle, giving both reasons', () => {
    const r = checkCompatibility(meta({ printerModel: 'MINI', nozzleDiameter: 0.6 }), { printerModel: 'MK4S', nozzleDiameter: 0.4 });
    assert.equal(r.compatible, false);
    assert.equal(r.reasons.length, 2);
    assert.match(r.reasons[0], /MINI.*MK4S/);
    assert.match(r.reasons[1], /0\.6 mm.*0\.4 mm/);
  });

  it('refuses binary G-code on Pi PrusaLink', () => {
    const r = checkCompatibility(meta({ format: 'bgcode' }), { family: 'pi' });
    assert.equal(r.compatible, false);
    assert.equal(checkCompatibility(meta({ format: 'bgcode' }), { family: 'buddy' }).compatible, true);
  });

  it('cannot refuse on what the file does not declare', () => {
    assert.equal(checkCompatibility(meta({}), { printerModel: 'MK4', nozzleDiameter: 0.4 }).compatible, true);
  });
});
