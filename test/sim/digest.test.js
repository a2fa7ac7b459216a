'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { verifyBuddyDigest, makeBuddyNonce } = require('../../dist/sim/auth/digest-buddy');
const { verifyPiDigest, piResponse } = require('../../dist/sim/auth/digest-pi');
const { parseDigestHeader } = require('../../dist/sim/auth/digest-params');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { md5, request, buddyAuthorization, parseChallenge } = require('./helpers');

describe('Buddy digest test vector (doc §2.1)', () => {
  const params = { nonce: 'aaaaaaaa00000000', response: '0cbf0ac5ca4c879c35a3b91430214a47' };

  it('the test-side math gives the firmware test vector', () => {
    const ha1 = md5('maker:Printer API:password');
    const ha2 = md5('GET:/secret.html');
    assert.equal(ha1, '64ae9f2fd6350b83b03a8d3869f32956');
    assert.equal(ha2, '7d01529834bbae7876a603cf0a687015');
    assert.equal(md5(`${ha1}:aaaaaaaa00000000:${ha2}`), params.response);
  });

  it('accepts the vector for a fresh nonce of the current boot', () => {
    const v = verifyBuddyDigest(params, 'GET', '/secret.html', 'password', { random: 0xaaaaaaaa, uptime: 0, lifetime: 300 });
    assert.equal(v, 'ok');
  });

  it('answers stale for a foreign random part with a correct response', () => {
    const p = { nonce: 'dcd98b7102dd2f0e', response: '285b9c363d25d31c5867bca2bd4121af' };
    assert.equal(verifyBuddyDigest(p, 'GET', '/secret.html', 'password', { random: 0xaaaaaaaa, uptime: 0, lifetime: 300 }), 'stale');
  });

  it('answers stale at uptime 0xfff for a nonce issued at 0, and the fresh nonce is aaaaaaaa00000fff', () => {
    assert.equal(verifyBuddyDigest(params, 'GET', '/secret.html', 'password', { random: 0xaaaaaaaa, uptime: 0xfff, lifetime: 300 }), 'stale');
    assert.equal(makeBuddyNonce(0xaaaaaaaa, 0xfff), 'aaaaaaaa00000fff');
  });

  it('rejects a wrong password or another request target', () => {
    const s = { random: 0xaaaaaaaa, uptime: 0, lifetime: 300 };
    assert.equal(verifyBuddyDigest(params, 'GET', '/secret.html', 'wrong', s), 'bad');
    assert.equal(verifyBuddyDigest(params, 'GET', '/secret.html?x', 'password', s), 'bad');
  });

  it('parses quoted and unquoted parameters', () => {
    const p = parseDigestHeader('Digest username="maker", nonce=abc, response="r", qop=auth, nc=00000001');
    assert.deepEqual([p.username, p.nonce, p.response, p.qop, p.nc], ['maker', 'abc', 'r', 'auth', '00000001']);
  });
});

describe('Buddy digest over HTTP with a fixed nonce random part', () => {
  let printer;
  before(async () => {
    printer = await startSimulator({ family: 'buddy', nonceRandom: 0xaaaaaaaa });
  });
  after(() => printer.stop());

  it('challenges with a nonce whose random half is the configured one', async () => {
    const r = await request(printer.url, '/api/version');
    assert.equal(r.status, 401);
    assert.match(parseChallenge(r.headers['www-authenticate']).nonce, /^aaaaaaaa[0-9a-f]{8}$/);
  });

  it('accepts the vector nonce aaaaaaaa00000000 computed by the test', async () => {
    const r = await request(printer.url, '/api/version', {
      headers: { Authorization: buddyAuthorization('password', 'aaaaaaaa00000000', 'GET', '/api/version') },
    });
    assert.equal(r.status, 200);
  });

  it('answers stale=true for a foreign random part with a correct response', async () => {
    const r = await request(printer.url, '/api/version', {
      headers: { Authorization: buddyAuthorization('password', 'dcd98b7102dd2f0e', 'GET', '/api/version') },
    });
    assert.equal(r.status, 401);
    assert.equal(parseChallenge(r.headers['www-authenticate']).stale, 'true');
  });
});

describe('Pi digest worked example (doc §2.2)', () => {
  const nonce = '0123456789abcdef'.repeat(4);
  it('the test-side math and the simulator give 6e38162c29bb5b95f6ff9b5ce06ed2d5', () => {
    const inner = md5('maker:Administrator:Passw0rd123');
    assert.equal(inner, 'c1df265d3dc4ee152bb915836a12c852');
    const ha1 = md5(`${inner}:${nonce}:0a4f113b`);
    assert.equal(ha1, '3898d8be326b473939dbc05b99c2b02c');
    const ha2 = md5('GET:/api/v1/status');
    assert.equal(ha2, '0d1a31cc478bf9d87bce5d64753faa0d');
    assert.equal(md5(`${ha1}:${nonce}:00000001:0a4f113b:auth:${ha2}`), '6e38162c29bb5b95f6ff9b5ce06ed2d5');
    const sim = piResponse({ user: 'maker', password: 'Passw0rd123', nonce, cnonce: '0a4f113b', nc: '00000001', qop: 'auth', method: 'GET', uri: '/api/v1/status' });
    assert.equal(sim, '6e38162c29bb5b95f6ff9b5ce06ed2d5');
  });

  it('a right response with a nonce the server did not issue is stale; a plain-MD5 answer is bad', () => {
    const params = {
      username: 'maker', realm: 'Administrator', nonce, uri: '/api/v1/status', algorithm: 'MD5-sess', qop: 'auth',
      nc: '00000001', cnonce: '0a4f113b', opaque: 'o', response: '6e38162c29bb5b95f6ff9b5ce06ed2d5',
    };
    const s = { user: 'maker', password: 'Passw0rd123', secret: 's', opaque: 'o', nowMs: Date.now() };
    assert.equal(verifyPiDigest(params, 'GET', '/api/v1/status', 'ua', s), 'stale');
    assert.equal(verifyPiDigest({ ...params, algorithm: 'MD5' }, 'GET', '/api/v1/status', 'ua', s), 'bad');
  });
});
