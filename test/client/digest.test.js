'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { md5, buddyResponse, piResponse, digestAuthorization, parseDigestChallenge } = require('../../dist/client/auth');

describe('Digest (docs §2 test vectors)', () => {
  it('Buddy vector: password "password", nonce aaaaaaaa00000000, GET /secret.html', () => {
    assert.equal(md5('maker:Printer API:password'), '64ae9f2fd6350b83b03a8d3869f32956');
    assert.equal(md5('GET:/secret.html'), '7d01529834bbae7876a603cf0a687015');
    assert.equal(buddyResponse('maker', 'Printer API', 'password', 'aaaaaaaa00000000', 'GET', '/secret.html'), '0cbf0ac5ca4c879c35a3b91430214a47');
    assert.equal(buddyResponse('maker', 'Printer API', 'password', 'dcd98b7102dd2f0e', 'GET', '/secret.html'), '285b9c363d25d31c5867bca2bd4121af');
  });

  it('Buddy header: exactly five quoted params, no qop/algorithm/nc', () => {
    const ch = parseDigestChallenge('Digest realm="Printer API", nonce="aaaaaaaa00000000", stale=false');
    assert.deepEqual(ch, { realm: 'Printer API', nonce: 'aaaaaaaa00000000', stale: false });
    const h = digestAuthorization(ch, { user: 'maker', password: 'password', method: 'GET', uri: '/secret.html' });
    assert.equal(
      h,
      'Digest username="maker", realm="Printer API", nonce="aaaaaaaa00000000", uri="/secret.html", response="0cbf0ac5ca4c879c35a3b91430214a47"',
    );
  });

  it('Pi worked example (MD5-sess, qop=auth)', () => {
    const nonce = '0123456789abcdef'.repeat(4);
    assert.equal(md5('maker:Administrator:Passw0rd123'), 'c1df265d3dc4ee152bb915836a12c852');
    assert.equal(md5(`c1df265d3dc4ee152bb915836a12c852:${nonce}:0a4f113b`), '3898d8be326b473939dbc05b99c2b02c');
    assert.equal(md5('GET:/api/v1/status'), '0d1a31cc478bf9d87bce5d64753faa0d');
    assert.equal(
      piResponse('maker', 'Administrator', 'Passw0rd123', nonce, '0a4f113b', '00000001', 'auth', 'GET', '/api/v1/status'),
      '6e38162c29bb5b95f6ff9b5ce06ed2d5',
    );
  });

  it('Pi header echoes algorithm, qop, opaque and sends nc, cnonce', () => {
    const nonce = '0123456789abcdef'.repeat(4);
    const ch = parseDigestChallenge(`Digest realm="Administrator",qop="auth",algorithm="MD5-sess",nonce="${nonce}",opaque="op"`);
    assert.equal(ch.qop, 'auth');
    assert.equal(ch.stale, false);
    const h = digestAuthorization(ch, { user: 'maker', password: 'Passw0rd123', method: 'GET', uri: '/api/v1/status', cnonce: '0a4f113b', nc: 1 });
    assert.match(h, /response="6e38162c29bb5b95f6ff9b5ce06ed2d5"/);
    assert.match(h, /algorithm=MD5-sess/);
    assert.match(h, /qop=auth/);
    assert.match(h, /nc=00000001/);
    assert.match(h, /cnonce="0a4f113b"/);
    assert.match(h, /opaque="op"/);
  });

  it('stale=true is read; non-digest headers are not challenges', () => {
    assert.equal(parseDigestChallenge('Digest realm="Printer API", nonce="aaaaaaaa00000fff", stale=true').stale, true);
    assert.equal(parseDigestChallenge('ApiKey realm="Printer API"'), undefined);
    assert.equal(parseDigestChallenge(undefined), undefined);
  });
});
