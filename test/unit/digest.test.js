'use strict';
// Digest in both dialects, from independent vectors only: the Buddy firmware's unit test (facts document §2.1), the
// Pi worked example (§2.2) and RFC 2617 §3.5's own example for plain MD5 with qop=auth. No server, no timers.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { md5, authScheme, parseDigestChallenge, buddyResponse, piResponse, digestAuthorization } = require('../../dist/client/auth');

const PI_NONCE = '0123456789abcdef'.repeat(4);

describe('digest: hashes (§2.1 Buddy vector, §2.2 Pi example, RFC 2617 §3.5)', () => {
  it('md5 of the Buddy HA1 and HA2 inputs', () => {
    assert.equal(md5('maker:Printer API:password'), '64ae9f2fd6350b83b03a8d3869f32956');
    assert.equal(md5('GET:/secret.html'), '7d01529834bbae7876a603cf0a687015');
  });

  it('md5 hashes UTF-8 bytes: "ü" is c3 bc, not latin-1 fc', () => {
    // md5 of the two bytes c3 bc (UTF-8 "ü"); latin-1 would hash the single byte fc.
    assert.equal(md5('ü'), require('node:crypto').createHash('md5').update(Buffer.from([0xc3, 0xbc])).digest('hex'));
    assert.notEqual(md5('ü'), require('node:crypto').createHash('md5').update(Buffer.from([0xfc])).digest('hex'));
  });

  it('Buddy response for nonce aaaaaaaa00000000 and for the foreign nonce dcd98b7102dd2f0e', () => {
    assert.equal(buddyResponse('maker', 'Printer API', 'password', 'aaaaaaaa00000000', 'GET', '/secret.html'), '0cbf0ac5ca4c879c35a3b91430214a47');
    assert.equal(buddyResponse('maker', 'Printer API', 'password', 'dcd98b7102dd2f0e', 'GET', '/secret.html'), '285b9c363d25d31c5867bca2bd4121af');
  });

  it('Pi MD5-sess response of the worked example', () => {
    assert.equal(
      piResponse('maker', 'Administrator', 'Passw0rd123', PI_NONCE, '0a4f113b', '00000001', 'auth', 'GET', '/api/v1/status'),
      '6e38162c29bb5b95f6ff9b5ce06ed2d5',
    );
  });
});

describe('digest: authScheme', () => {
  const table = [
    ['Digest realm="Printer API", nonce="aaaaaaaa00000000"', 'digest'],
    ['ApiKey realm="Printer API"', 'apikey'],
    ['  DIGEST realm="x"', 'digest'],
    ['Basic_Auth-2 realm="x"', 'basic_auth-2'],
    ['', undefined],
    [undefined, undefined],
    ['"quoted" first', undefined],
    ['9abc', undefined],
  ];
  for (const [header, want] of table) {
    it(`${JSON.stringify(header)} → ${String(want)}`, () => assert.equal(authScheme(header), want));
  }
});

describe('digest: challenge parser', () => {
  it('Buddy challenge of §2 (quoted, no qop, stale=false)', () => {
    assert.deepEqual(parseDigestChallenge('Digest realm="Printer API", nonce="aaaaaaaa00000000", stale=false'), {
      realm: 'Printer API',
      nonce: 'aaaaaaaa00000000',
      stale: false,
    });
  });

  it('Buddy stale challenge with the fresh nonce of §2.1', () => {
    assert.deepEqual(parseDigestChallenge('Digest realm="Printer API", nonce="aaaaaaaa00000fff", stale=true'), {
      realm: 'Printer API',
      nonce: 'aaaaaaaa00000fff',
      stale: true,
    });
  });

  it('Pi challenge of §2 (no spaces after commas, MD5-sess, opaque)', () => {
    const opaque = 'f'.repeat(64);
    assert.deepEqual(
      parseDigestChallenge(`Digest realm="Administrator",qop="auth",algorithm="MD5-sess",nonce="${PI_NONCE}",opaque="${opaque}"`),
      { realm: 'Administrator', nonce: PI_NONCE, qop: 'auth', algorithm: 'MD5-sess', opaque, stale: false },
    );
  });

  it('unquoted params (Buddy ≥ 5.2 style), upper-case keys, spaces around "=" and STALE=TRUE', () => {
    assert.deepEqual(parseDigestChallenge('digest Realm = Administrator, QOP=auth, algorithm=MD5-sess, Nonce=abc123, stale=TRUE'), {
      realm: 'Administrator',
      nonce: 'abc123',
      qop: 'auth',
      algorithm: 'MD5-sess',
      stale: true,
    });
  });

  it('a quoted value keeps its commas, spaces and escaped quotes', () => {
    assert.deepEqual(parseDigestChallenge('Digest realm="a \\"b\\", c", qop="auth,auth-int", nonce="n"'), {
      realm: 'a "b", c',
      nonce: 'n',
      qop: 'auth,auth-int',
      stale: false,
    });
  });

  it('a key with "-" or "_" is read whole and does not shadow a real one', () => {
    assert.deepEqual(parseDigestChallenge('Digest x-nonce="wrong", my_realm="wrong", realm="r", nonce="right"'), {
      realm: 'r',
      nonce: 'right',
      stale: false,
    });
  });

  it('a challenge without a realm has the realm ""', () => {
    assert.deepEqual(parseDigestChallenge('Digest nonce="n"'), { realm: '', nonce: 'n', stale: false });
  });

  it('stale=false, stale=no and stale="" are not stale', () => {
    for (const v of ['false', 'no', '""']) assert.equal(parseDigestChallenge(`Digest realm="r", nonce="n", stale=${v}`).stale, false, v);
  });

  it('without a nonce, with an empty nonce, or with another scheme: not a Digest challenge', () => {
    assert.equal(parseDigestChallenge('Digest realm="Printer API"'), undefined);
    assert.equal(parseDigestChallenge('Digest realm="Printer API", nonce=""'), undefined);
    assert.equal(parseDigestChallenge('ApiKey realm="Printer API"'), undefined);
    assert.equal(parseDigestChallenge('Basic realm="x", nonce="n"'), undefined);
    assert.equal(parseDigestChallenge(undefined), undefined);
  });

  it('the scheme word itself is not read as a parameter (Digest nonce="n" → nonce n, realm "")', () => {
    assert.deepEqual(parseDigestChallenge('  Digest   nonce="n", realm="Printer API"'), { realm: 'Printer API', nonce: 'n', stale: false });
  });

  it('a parameter whose value names the scheme is read normally: realm="digest"', () => {
    assert.deepEqual(parseDigestChallenge('Digest realm="digest", nonce="n"'), { realm: 'digest', nonce: 'n', stale: false });
  });
});

describe('digest: Authorization header', () => {
  it('Buddy dialect (no qop): exactly the five quoted params of §2.1, response of the vector', () => {
    const ch = { realm: 'Printer API', nonce: 'aaaaaaaa00000000', stale: false };
    assert.equal(
      digestAuthorization(ch, { user: 'maker', password: 'password', method: 'GET', uri: '/secret.html' }),
      'Digest username="maker", realm="Printer API", nonce="aaaaaaaa00000000", uri="/secret.html", response="0cbf0ac5ca4c879c35a3b91430214a47"',
    );
  });

  it('Pi dialect (MD5-sess, qop=auth, opaque): the worked example of §2.2, every param', () => {
    const ch = { realm: 'Administrator', nonce: PI_NONCE, qop: 'auth', algorithm: 'MD5-sess', opaque: 'op', stale: false };
    assert.equal(
      digestAuthorization(ch, { user: 'maker', password: 'Passw0rd123', method: 'GET', uri: '/api/v1/status', cnonce: '0a4f113b', nc: 1 }),
      `Digest username="maker", realm="Administrator", nonce="${PI_NONCE}", uri="/api/v1/status", algorithm=MD5-sess, ` +
        'response="6e38162c29bb5b95f6ff9b5ce06ed2d5", qop=auth, nc=00000001, cnonce="0a4f113b", opaque="op"',
    );
  });

  it('-sess is recognised in any letter case (md5-sess)', () => {
    const ch = { realm: 'Administrator', nonce: PI_NONCE, qop: 'auth', algorithm: 'md5-sess', stale: false };
    const h = digestAuthorization(ch, { user: 'maker', password: 'Passw0rd123', method: 'GET', uri: '/api/v1/status', cnonce: '0a4f113b', nc: 1 });
    assert.match(h, /response="6e38162c29bb5b95f6ff9b5ce06ed2d5"/);
    assert.match(h, /algorithm=md5-sess,/);
  });

  it('plain MD5 with qop=auth: RFC 2617 §3.5 example (Mufasa), algorithm defaults to MD5, no opaque param', () => {
    const ch = { realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', qop: 'auth,auth-int', stale: false };
    assert.equal(
      digestAuthorization(ch, { user: 'Mufasa', password: 'Circle Of Life', method: 'GET', uri: '/dir/index.html', cnonce: '0a4f113b', nc: 1 }),
      'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", ' +
        'algorithm=MD5, response="6629fae49393a05397450978507c4ef1", qop=auth, nc=00000001, cnonce="0a4f113b"',
    );
  });

  it('an algorithm that merely contains "sess" is not MD5-sess (RFC 2617 example with algorithm=MD5-sessX)', () => {
    const ch = { realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', qop: 'auth', algorithm: 'MD5-sessX', stale: false };
    const h = digestAuthorization(ch, { user: 'Mufasa', password: 'Circle Of Life', method: 'GET', uri: '/dir/index.html', cnonce: '0a4f113b', nc: 1 });
    assert.match(h, /response="6629fae49393a05397450978507c4ef1"/);
  });

  it('qop: "auth" is chosen among several offers with spaces; otherwise the first one offered', () => {
    const base = { realm: 'r', nonce: 'n', stale: false };
    const input = { user: 'u', password: 'p', method: 'GET', uri: '/', cnonce: 'c', nc: 1 };
    assert.match(digestAuthorization({ ...base, qop: 'auth-int, auth' }, input), /, qop=auth, /);
    assert.match(digestAuthorization({ ...base, qop: ' auth-int , other' }, input), /, qop=auth-int, /);
  });

  it('nc is the use count in 8 hex digits; 1 when none is given', () => {
    const ch = { realm: 'r', nonce: 'n', qop: 'auth', stale: false };
    const input = { user: 'u', password: 'p', method: 'GET', uri: '/', cnonce: 'c' };
    assert.match(digestAuthorization(ch, { ...input, nc: 255 }), /, nc=000000ff, /);
    assert.match(digestAuthorization(ch, input), /, nc=00000001, /);
  });

  it('a generated cnonce is 16 hex digits, new per header, and the response is computed with it', () => {
    const ch = { realm: 'Administrator', nonce: PI_NONCE, qop: 'auth', algorithm: 'MD5-sess', stale: false };
    const input = { user: 'maker', password: 'Passw0rd123', method: 'GET', uri: '/api/v1/status', nc: 1 };
    const h1 = digestAuthorization(ch, input);
    const h2 = digestAuthorization(ch, input);
    const c1 = /cnonce="([0-9a-f]*)"/.exec(h1)[1];
    const c2 = /cnonce="([0-9a-f]*)"/.exec(h2)[1];
    assert.equal(c1.length, 16);
    assert.notEqual(c1, c2);
    const ha1 = md5(`${md5('maker:Administrator:Passw0rd123')}:${PI_NONCE}:${c1}`);
    assert.match(h1, new RegExp(`response="${md5(`${ha1}:${PI_NONCE}:00000001:${c1}:auth:${md5('GET:/api/v1/status')}`)}"`));
  });

  it('quotes and backslashes in a value are escaped, in both dialects', () => {
    const input = { user: 'a"b\\c', password: 'p', method: 'GET', uri: '/x', cnonce: 'c', nc: 1 };
    assert.match(digestAuthorization({ realm: 'r', nonce: 'n', stale: false }, input), /^Digest username="a\\"b\\\\c", realm="r",/);
    assert.match(digestAuthorization({ realm: 'r', nonce: 'n', qop: 'auth', stale: false }, input), /^Digest username="a\\"b\\\\c", realm="r",/);
  });

  it('the uri is hashed exactly as sent (percent-encoded, with the query)', () => {
    const ch = { realm: 'Printer API', nonce: 'aaaaaaaa00000000', stale: false };
    const uri = '/api/v1/files/usb/a%20b.gcode?x=1';
    const h = digestAuthorization(ch, { user: 'maker', password: 'password', method: 'PUT', uri });
    const want = md5(`${md5('maker:Printer API:password')}:aaaaaaaa00000000:${md5(`PUT:${uri}`)}`);
    assert.match(h, new RegExp(`uri="${uri.replace(/[?]/g, '\\?')}", response="${want}"$`));
  });
});
