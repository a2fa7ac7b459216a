'use strict';
// Fault staleNonceAlways under concurrency: every request is refused once with stale=true, and the nonce of that
// refusal is accepted once, from that same request, however many requests run at the same time.
const { describe, it, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { PrusaLinkClient } = require('@makerflows/node-red-prusalink');
const { request, parseChallenge, buddyAuthorization, buddyNonce } = require('./helpers');

const auth = (nonce, uri) => ({ Authorization: buddyAuthorization('password', nonce, 'GET', uri) });

describe('staleNonceAlways (buddy, raw requests)', () => {
  let p;
  before(async () => {
    p = await startSimulator({ family: 'buddy' });
  });
  after(() => p.stop());
  beforeEach(() => p.control.setFaults({ staleNonceAlways: true }));

  it('two requests with the same nonce at once get two different nonces; each retry with its own passes', async () => {
    const nonce = await buddyNonce(p.url);
    const first = await Promise.all([request(p.url, '/api/version', { headers: auth(nonce, '/api/version') }), request(p.url, '/api/version', { headers: auth(nonce, '/api/version') })]);
    const challenges = first.map((r) => parseChallenge(r.headers['www-authenticate']));
    assert.deepEqual(first.map((r) => r.status), [401, 401]);
    assert.deepEqual(challenges.map((c) => c.stale), ['true', 'true']);
    assert.notEqual(challenges[0].nonce, challenges[1].nonce);
    const retries = await Promise.all(challenges.map((c) => request(p.url, '/api/version', { headers: auth(c.nonce, '/api/version') })));
    assert.deepEqual(retries.map((r) => r.status), [200, 200]);
  });

  it("a nonce is accepted once, and only from the request it was handed to", async () => {
    const nonce = await buddyNonce(p.url);
    const refused = await request(p.url, '/api/version', { headers: auth(nonce, '/api/version') });
    const issued = parseChallenge(refused.headers['www-authenticate']).nonce;
    const other = await request(p.url, '/api/printer', { headers: auth(issued, '/api/printer') });
    assert.equal(other.status, 401, 'another request may not use it');
    assert.equal(parseChallenge(other.headers['www-authenticate']).stale, 'true');
    assert.equal((await request(p.url, '/api/version', { headers: auth(issued, '/api/version') })).status, 200);
    assert.equal((await request(p.url, '/api/version', { headers: auth(issued, '/api/version') })).status, 401, 'used up');
  });
});

for (const family of ['buddy', 'pi']) {
  describe(`staleNonceAlways with concurrent client calls (${family})`, () => {
    let sim;
    const clients = [];
    const make = () => {
      const c = new PrusaLinkClient({ host: sim.url, user: sim.credentials.user, password: sim.credentials.password });
      clients.push(c);
      return c;
    };
    before(async () => {
      sim = await startSimulator({ family });
    });
    after(async () => {
      for (const c of clients) c.close();
      await sim.stop();
    });

    /** Every status call ended in one refusal and one success. */
    function assertOneRetryEach(calls) {
      const reqs = sim.control.requests().filter((r) => r.path === '/api/v1/status');
      assert.equal(reqs.filter((r) => r.status === 401).length, calls, 'one stale refusal per call');
      assert.equal(reqs.filter((r) => r.status === 200).length, calls, 'one success per call');
      assert.equal(reqs.length, 2 * calls);
    }

    it('10 concurrent status() on one client: all succeed, each with exactly one retry', async () => {
      const c = make();
      await c.detect();
      sim.control.setFaults({ staleNonceAlways: true });
      sim.control.clearRequests();
      try {
        const results = await Promise.all(Array.from({ length: 10 }, () => c.status()));
        assert.ok(results.every((s) => s.state === 'IDLE'));
        assertOneRetryEach(10);
      } finally {
        sim.control.clearFaults();
      }
    });

    it('10 clients calling status() at the same moment: all succeed, each with exactly one retry', async () => {
      const many = Array.from({ length: 10 }, make);
      await Promise.all(many.map((c) => c.detect()));
      sim.control.setFaults({ staleNonceAlways: true });
      sim.control.clearRequests();
      try {
        const results = await Promise.all(many.map((c) => c.status()));
        assert.ok(results.every((s) => s.state === 'IDLE'));
        assertOneRetryEach(10);
      } finally {
        sim.control.clearFaults();
      }
    });
  });
}
