'use strict';
// The Authenticator's decisions (facts document §2.3): which header goes out, and what a 401/403 means. Challenges are
// the literal headers of §2; the Buddy response is the firmware's own test vector (§2.1). No server.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Authenticator } = require('../../dist/client/auth');

const BUDDY_CHALLENGE = 'Digest realm="Printer API", nonce="aaaaaaaa00000000", stale=false';
const BUDDY_STALE = 'Digest realm="Printer API", nonce="aaaaaaaa00000fff", stale=true';
const PI_NONCE = '0123456789abcdef'.repeat(4);
const PI_CHALLENGE = `Digest realm="Administrator",qop="auth",algorithm="MD5-sess",nonce="${PI_NONCE}",opaque="${'e'.repeat(64)}"`;
const BUDDY_VECTOR_HEADER =
  'Digest username="maker", realm="Printer API", nonce="aaaaaaaa00000000", uri="/secret.html", response="0cbf0ac5ca4c879c35a3b91430214a47"';

const KEY_REFUSED = 'wrong API key, or the printer has no API key configured (use the Digest user and password instead)';
const MINI_ONLY_KEY =
  'this printer accepts only an API key (X-Api-Key), not a user and password; it is probably a MINI on firmware 4.4: set the API key shown in the printer menu';

describe('auth: mode and headers', () => {
  it('an API key wins over a password; X-Api-Key is sent as given', () => {
    const a = new Authenticator({ apiKey: 'k3y', password: 'p' });
    assert.equal(a.mode, 'apikey');
    assert.deepEqual(a.headers('GET', '/api/version'), { 'X-Api-Key': 'k3y' });
  });

  it('a password alone means Digest; no password and no key means none', () => {
    assert.equal(new Authenticator({ password: 'p' }).mode, 'digest');
    assert.equal(new Authenticator({ password: '' }).mode, 'none');
    assert.equal(new Authenticator({ apiKey: '' }).mode, 'none');
    assert.equal(new Authenticator({}).mode, 'none');
  });

  it('Digest sends nothing before a challenge is known, and none mode never sends anything', () => {
    assert.deepEqual(new Authenticator({ password: 'password' }).headers('GET', '/'), {});
    const none = new Authenticator({});
    none.onRejected(401, BUDDY_CHALLENGE, false, false);
    assert.deepEqual(none.headers('GET', '/'), {});
  });

  it('after the Buddy challenge: the §2.1 vector header, user "maker" by default (also for an empty user)', () => {
    for (const user of [undefined, '']) {
      const a = new Authenticator({ user, password: 'password' });
      assert.deepEqual(a.onRejected(401, BUDDY_CHALLENGE, false, false), { retry: true });
      assert.deepEqual(a.headers('GET', '/secret.html'), { Authorization: BUDDY_VECTOR_HEADER });
    }
  });

  it('a user that is set is the Digest username', () => {
    const a = new Authenticator({ user: 'admin', password: 'password' });
    a.onRejected(401, BUDDY_CHALLENGE, false, false);
    assert.match(a.headers('GET', '/').Authorization, /^Digest username="admin", /);
  });

  it('Pi: nc counts the uses of one nonce (1, 2, 3) and restarts at 1 after a new challenge or reset()', () => {
    const a = new Authenticator({ password: 'Passw0rd123' });
    a.onRejected(401, PI_CHALLENGE, false, false);
    const nc = () => /, nc=([0-9a-f]{8}),/.exec(a.headers('GET', '/api/v1/status').Authorization)[1];
    assert.deepEqual([nc(), nc(), nc()], ['00000001', '00000002', '00000003']);
    a.onRejected(401, PI_CHALLENGE.replace('nonce="0', 'nonce="1'), true, true);
    assert.equal(nc(), '00000004', 'a final stale=false 401 keeps the old nonce and its count');
    a.onRejected(401, PI_CHALLENGE.replace(',qop', ',stale=true,qop'), true, false);
    assert.equal(nc(), '00000001');
    a.reset();
    assert.deepEqual(a.headers('GET', '/api/v1/status'), {});
    assert.equal(a.realm, undefined);
    a.onRejected(401, PI_CHALLENGE, false, false);
    assert.equal(nc(), '00000001');
  });

  it('realm tells Buddy from Pi once a challenge is known', () => {
    const a = new Authenticator({ password: 'p' });
    assert.equal(a.realm, undefined);
    a.onRejected(401, PI_CHALLENGE, false, false);
    assert.equal(a.realm, 'Administrator');
  });
});

describe('auth: what a 401 or 403 means (§2.3 item 6)', () => {
  const table = [
    // [title, options, status, WWW-Authenticate, sentDigest, retried, printerMessage, verdict]
    ['Pi 403 "Bad X-Api-Key." to a key', { apiKey: 'k' }, 403, undefined, false, false, 'Bad X-Api-Key.', { retry: false, message: KEY_REFUSED }],
    ['Pi 403 "Bad X-Api-Key." in Digest mode', { password: 'p' }, 403, undefined, true, false, 'Bad X-Api-Key.', { retry: false, message: KEY_REFUSED }],
    ['403 spelled "APIKEY", no separator', { password: 'p' }, 403, undefined, true, false, 'invalid APIKEY', { retry: false, message: KEY_REFUSED }],
    ['403 spelled "api-key"', { password: 'p' }, 403, undefined, true, false, 'bad api-key', { retry: false, message: KEY_REFUSED }],
    ['403 without words to a key', { apiKey: 'k' }, 403, undefined, false, false, undefined, { retry: false, message: KEY_REFUSED }],
    ['Buddy 403 (path outside /usb) to a key', { apiKey: 'k' }, 403, undefined, false, false, 'Forbidden', { retry: false, message: 'access forbidden' }],
    ['403 without words in Digest mode', { password: 'p' }, 403, undefined, true, false, undefined, { retry: false, message: 'access forbidden' }],
    ['Buddy 4.4 bare 401 to a key', { apiKey: 'k' }, 401, undefined, false, false, undefined, { retry: false, message: 'wrong API key' }],
    ['Buddy "ApiKey" 401 to a wrong key', { apiKey: 'k' }, 401, 'ApiKey realm="Printer API"', false, false, undefined, { retry: false, message: 'wrong API key' }],
    [
      'Digest challenge to a key (an empty key value on Buddy)',
      { apiKey: 'k' },
      401,
      BUDDY_CHALLENGE,
      false,
      false,
      undefined,
      { retry: false, message: 'wrong API key (on this printer the API key is the PrusaLink password from the printer menu)' },
    ],
    ['bare 401 to Digest: MINI 4.4', { password: 'p' }, 401, undefined, false, false, undefined, { retry: false, message: MINI_ONLY_KEY }],
    ['empty WWW-Authenticate to Digest: MINI 4.4', { password: 'p' }, 401, '', false, false, undefined, { retry: false, message: MINI_ONLY_KEY }],
    [
      'Basic challenge',
      { password: 'p' },
      401,
      'Basic realm="x"',
      false,
      false,
      undefined,
      { retry: false, message: 'the printer asks for an unsupported authentication scheme (basic)' },
    ],
    [
      'Digest without a nonce',
      { password: 'p' },
      401,
      'Digest realm="x"',
      false,
      false,
      undefined,
      { retry: false, message: 'the printer asks for an unsupported authentication scheme (digest)' },
    ],
    [
      'a header with no scheme word',
      { password: 'p' },
      401,
      '"x"',
      false,
      false,
      undefined,
      { retry: false, message: 'the printer asks for an unsupported authentication scheme (unknown)' },
    ],
    ['challenge without credentials', {}, 401, BUDDY_CHALLENGE, false, false, undefined, { retry: false, message: 'the printer requires a password or an API key' }],
    ['first challenge: answer it', { password: 'p' }, 401, BUDDY_CHALLENGE, false, false, undefined, { retry: true }],
    ['stale=true to a sent digest: retry once', { password: 'p' }, 401, BUDDY_STALE, true, false, undefined, { retry: true }],
    ['stale=false to a sent digest: bad credentials', { password: 'p' }, 401, BUDDY_CHALLENGE, true, false, undefined, { retry: false, message: 'wrong password or API key' }],
    ['stale=true again on the retry: final', { password: 'p' }, 401, BUDDY_STALE, true, true, undefined, { retry: false, message: 'wrong password or API key' }],
    ['a challenge on a retry that sent none: final', { password: 'p' }, 401, BUDDY_CHALLENGE, false, true, undefined, { retry: false, message: 'wrong password or API key' }],
  ];
  for (const [title, opts, status, www, sent, retried, printerMessage, want] of table) {
    it(title, () => assert.deepEqual(new Authenticator(opts).onRejected(status, www, sent, retried, printerMessage), want));
  }

  it('a challenge without credentials is still kept (its realm is known)', () => {
    const a = new Authenticator({});
    a.onRejected(401, PI_CHALLENGE, false, false);
    assert.equal(a.realm, 'Administrator');
  });

  it('a final stale=true keeps the fresh nonce for the next call; a final stale=false does not replace the nonce', () => {
    const a = new Authenticator({ password: 'password' });
    a.onRejected(401, BUDDY_STALE, false, false);
    a.onRejected(401, BUDDY_CHALLENGE, true, true);
    assert.match(a.headers('GET', '/').Authorization, /nonce="aaaaaaaa00000fff"/);
    a.onRejected(401, BUDDY_STALE.replace('00000fff', '00001000'), true, true);
    assert.match(a.headers('GET', '/').Authorization, /nonce="aaaaaaaa00001000"/);
  });

  it('a 403 or an API-key 401 does not take a challenge', () => {
    const a = new Authenticator({ password: 'password' });
    a.onRejected(403, BUDDY_CHALLENGE, false, false, 'Bad X-Api-Key.');
    assert.deepEqual(a.headers('GET', '/'), {});
  });
});

describe('auth: what the transport asks before an upload and about a 403 (moved from the transport, issue 15)', () => {
  it('a fresh challenge before an upload body: Digest only (an API key and no credentials have no nonce)', () => {
    assert.equal(new Authenticator({ password: 'p' }).wantsFreshChallengeBeforeBody, true);
    assert.equal(new Authenticator({ apiKey: 'k3y' }).wantsFreshChallengeBeforeBody, false);
    assert.equal(new Authenticator({}).wantsFreshChallengeBeforeBody, false);
  });

  it('§2.3: Pi\'s 403 "Bad X-Api-Key." is about the credentials, in every mode', () => {
    for (const opts of [{ apiKey: 'k3y' }, { password: 'p' }, {}]) assert.equal(new Authenticator(opts).isCredentials403('Bad X-Api-Key.', false), true);
    assert.equal(new Authenticator({}).isCredentials403('bad api key', false), true);
    // The same spellings onRejected reads as the key's (its table above): no separator too.
    assert.equal(new Authenticator({ password: 'p' }).isCredentials403('invalid APIKEY', false), true);
  });

  it('an empty 403 is about the credentials only when an API key was sent; Buddy\'s 403 outside /usb is not', () => {
    assert.equal(new Authenticator({ apiKey: 'k3y' }).isCredentials403('', true), true);
    assert.equal(new Authenticator({ password: 'p' }).isCredentials403('', true), false);
    assert.equal(new Authenticator({ apiKey: 'k3y' }).isCredentials403('403: Forbidden', false), false);
    assert.equal(new Authenticator({ password: 'p' }).isCredentials403('403: Forbidden', false), false);
  });
});
