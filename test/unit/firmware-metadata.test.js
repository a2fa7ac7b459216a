'use strict';
// "Sliced for this printer?" against literal /api/version bodies (facts §1, §8.1): Buddy ≥ 6.5.1 sends `printer` as a
// code ("1.4.1"), which must be read as the model's name, never compared with a G-code's printer_model as it is.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { printerModelOf } = require('../../dist/nodes/metadata-check');
const { printerModelOf: modelName } = require('../../dist/client/profile');
const { checkCompatibility } = require('@makerflows/node-red-prusalink/metadata');

/** A profile as detection makes it from a version body (the model from the client's own reading of it). */
function profileOf(family, version) {
  const profile = { family, version };
  const model = modelName(family, version);
  if (model) profile.model = model;
  return profile;
}

const MK4S_6_5 = JSON.parse('{"api":"2.0.0","text":"PrusaLink","capabilities":{"upload-by-put":true},"firmware":"6.5.3+12780","printer":"1.4.1"}');
const CORE_ONE_6_6 = JSON.parse('{"api":"2.0.0","text":"PrusaLink","capabilities":{"upload-by-put":true},"firmware":"6.6.0+12780","printer":"7.1.0"}');

describe('fixtures: the model the compatibility check compares', () => {
  it('6.5 MK4S ("printer":"1.4.1"): "MK4S", so a file sliced for MK4S (or MK4SIS) passes', () => {
    const model = printerModelOf(profileOf('buddy', MK4S_6_5));
    assert.equal(model, 'MK4S');
    assert.deepEqual(checkCompatibility({ printerModel: 'MK4SIS' }, { printerModel: model, family: 'buddy' }).reasons, []);
    assert.equal(checkCompatibility({ printerModel: 'MINI' }, { printerModel: model, family: 'buddy' }).compatible, false);
  });

  it('6.6 Core One ("printer":"7.1.0"): "Core One", the same as PrusaSlicer\'s COREONE', () => {
    const model = printerModelOf(profileOf('buddy', CORE_ONE_6_6));
    assert.equal(model, 'Core One');
    assert.equal(checkCompatibility({ printerModel: 'COREONE' }, { printerModel: model, family: 'buddy' }).compatible, true);
  });

  it('a code no table knows ("9.2.0") is no model to compare: unknown, not a mismatch', () => {
    assert.equal(printerModelOf(profileOf('buddy', { ...MK4S_6_5, printer: '9.2.0' })), undefined);
  });

  it('6.4 and older (no printer): unknown; Pi "PrusaLink I3MK3S": MK3S; MINI 4.4: MINI', () => {
    assert.equal(printerModelOf(profileOf('buddy', { api: '2.0.0', text: 'PrusaLink' })), undefined);
    assert.equal(printerModelOf(profileOf('pi', { original: 'PrusaLink I3MK3S', text: 'PrusaLink 0.8.1' })), 'MK3S');
    assert.equal(printerModelOf(profileOf('mini-legacy', { text: 'PrusaLink MINI' })), 'MINI');
  });
});
