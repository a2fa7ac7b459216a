'use strict';
// Detection from literal /api/version bodies of each Buddy generation, written by hand from the facts document
// (§1, §8.1), with no server: a stand-in transport answers them. Issue 20 ("the model, by name") and 13.9.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { detectProfile } = require('../../dist/client/profile');
const { printerModelOf } = require('../../dist/client/profile');
const { urlLimitOf } = require('../../dist/client/profile');

/** A transport that answers from a table of target → [status, body]; records what was asked. */
function fakeTransport(answers, realm = 'Printer API') {
  const asked = [];
  return {
    asked,
    label: 'fixture',
    auth: { realm, mode: 'digest' },
    async send(spec) {
      asked.push(spec.target);
      const hit = Object.entries(answers).find(([target]) => target === spec.target || (target.endsWith('*') && spec.target.startsWith(target.slice(0, -1))));
      if (!hit) return { status: 404, headers: {}, body: Buffer.from('Not found') };
      const [status, body] = hit[1];
      return { status, headers: {}, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) };
    },
  };
}

const STORAGE = { storage_list: [{ path: '/usb/', name: 'usb', type: 'USB', read_only: false, available: true }] };
const STATUS = { storage: { path: '/usb/', name: 'usb', read_only: false }, printer: { state: 'IDLE' } };
// §1: Buddy 4.6.x … 6.4.x (no firmware, no printer).
const VERSION_6_3 = '{"api":"2.0.0","server":"2.1.2","nozzle_diameter":0.4,"text":"PrusaLink","hostname":"mk4","capabilities":{"upload-by-put":true}}';
// §1: Buddy ≥ 6.5.1 adds firmware (a build string) and printer (type.version.subversion); version/sdk never sent.
const VERSION_6_5_MK4S =
  '{"api":"2.0.0","server":"2.1.2","nozzle_diameter":0.4,"text":"PrusaLink","hostname":"mk4s","capabilities":{"upload-by-put":true},"firmware":"6.5.3+12780","printer":"1.4.1"}';
// §1: Pi PrusaLink 0.8.x.
const VERSION_PI =
  '{"api":"2.0.0","server":"0.8.1","original":"PrusaLink I3MK3S","text":"PrusaLink 0.8.1","firmware":"3.14.1-8237","sdk":"0.8.1","capabilities":{"upload-by-put":true},"hostname":"mk3"}';
// §1: Buddy 4.4 legacy (the MINI).
const VERSION_MINI = '{"api":"2.0.0","server":"2.1.2","text":"PrusaLink MINI","hostname":"mini"}';

describe('fixtures: /api/version of each generation → the profile', () => {
  it('6.3/6.4 body: Buddy, no firmware and no model (both optional, trap 18)', async () => {
    const t = fakeTransport({ '/api/version': [200, VERSION_6_3], '/api/v1/storage': [200, STORAGE], '/api/v1/status': [200, STATUS] });
    const { profile } = await detectProfile(t);
    assert.equal(profile.family, 'buddy');
    assert.equal(profile.firmware, undefined);
    assert.equal(profile.model, undefined);
    assert.equal('model' in profile, false);
  });

  it('6.5 body: firmware "6.5.3+12780" and model "MK4S" from printer "1.4.1"', async () => {
    const t = fakeTransport({ '/api/version': [200, VERSION_6_5_MK4S], '/api/v1/storage': [200, STORAGE], '/api/v1/status': [200, STATUS] });
    const { profile } = await detectProfile(t);
    assert.equal(profile.family, 'buddy');
    assert.equal(profile.firmware, '6.5.3+12780');
    assert.equal(profile.model, 'MK4S');
  });

  it('Pi 0.8.1 body: model "MK3S" from original "PrusaLink I3MK3S"; MINI 4.4 body: "MINI" from its text', async () => {
    const pi = await detectProfile(fakeTransport({ '/api/version': [200, VERSION_PI], '/api/v1/status': [200, STATUS] }, 'Administrator'));
    assert.equal(pi.profile.family, 'pi');
    assert.equal(pi.profile.model, 'MK3S');
    const mini = await detectProfile(fakeTransport({ '/api/version': [200, VERSION_MINI] }, undefined));
    assert.equal(mini.profile.family, 'mini-legacy');
    assert.equal(mini.profile.model, 'MINI');
  });
});

describe('fixtures: every printer code of §8.1 → its name', () => {
  const TABLE = [
    ['1.4.0', 'MK4'],
    ['1.4.1', 'MK4S'],
    ['1.3.5', 'MK3.5'],
    ['1.3.6', 'MK3.5S'],
    ['1.3.9', 'MK3.9'],
    ['1.3.10', 'MK3.9S'],
    ['2.1.0', 'MINI'],
    ['3.1.0', 'XL'],
    ['7.1.0', 'Core One'],
    ['8.1.0', 'Core One L'],
    ['7.10.0', 'Core One INDX'],
  ];
  for (const [code, name] of TABLE) {
    it(`${code} → ${name}`, () => assert.equal(printerModelOf('buddy', { printer: code }), name));
  }
  it('an unknown code is kept as it came; an empty or non-string one is no model', () => {
    assert.equal(printerModelOf('buddy', { printer: '9.2.0' }), '9.2.0');
    assert.equal(printerModelOf('buddy', { printer: '' }), undefined);
    assert.equal(printerModelOf('buddy', { printer: 140 }), undefined);
  });
  it('Pi: the other SDK types (I3MK25S → MK2.5S), an unknown type kept without the "PrusaLink " prefix', () => {
    assert.equal(printerModelOf('pi', { original: 'PrusaLink I3MK25S' }), 'MK2.5S');
    assert.equal(printerModelOf('pi', { original: 'PrusaLink TRILAB' }), 'TRILAB');
  });
});

describe('fixtures: the request-URL limit per generation (§9; issue 13 item 9)', () => {
  const profile = (over) => ({ family: 'buddy', capabilities: { v1: true }, ...over });

  it('≥ 6.5.1 (firmware in /api/version): 168, without asking', async () => {
    const t = fakeTransport({});
    assert.equal(await urlLimitOf(t, profile({ firmware: '6.5.3+12780' })), 168);
    assert.deepEqual(t.asked, []);
  });

  it('firmware unknown: one 120-character probe; 414 → 100 (≤ 5.0.x), 200 → 168 (5.1 to 6.4)', async () => {
    const old = fakeTransport({ '/api/version?*': [414, 'URI too long'] });
    assert.equal(await urlLimitOf(old, profile({})), 100);
    assert.deepEqual(old.asked.map((a) => a.length), [120]);
    const current = fakeTransport({ '/api/version?*': [200, VERSION_6_3] });
    assert.equal(await urlLimitOf(current, profile({})), 168);
  });

  it('MINI 4.4 and Buddy 4.6 (no v1 status): 100; Pi: no limit; none of them asked', async () => {
    const t = fakeTransport({});
    assert.equal(await urlLimitOf(t, { family: 'mini-legacy', capabilities: { v1: false } }), 100);
    assert.equal(await urlLimitOf(t, profile({ capabilities: { v1: false } })), 100);
    assert.equal(await urlLimitOf(t, { family: 'pi', capabilities: { v1: true } }), undefined);
    assert.deepEqual(t.asked, []);
  });
});

describe('fixtures: a probe answered otherwise', () => {
  it('another HTTP status (e.g. 404) keeps 168 and does not fail detection', async () => {
    const { urlLimitOf } = require('../../dist/client/profile');
    const { PrusaLinkError } = require('@makerflows/node-red-prusalink');
    const t = {
      label: 'fixture',
      auth: { realm: 'Printer API', mode: 'digest' },
      async send() {
        throw new PrusaLinkError('NOT_FOUND', 'Not found', { method: 'GET', path: '/api/version?…', printer: 'fixture', status: 404 });
      },
    };
    assert.equal(await urlLimitOf(t, { family: 'buddy', capabilities: { v1: true } }), 168);
  });
});
