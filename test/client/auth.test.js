'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { withSim, rejectsWith } = require('./helpers');

describe('authentication', () => {
  for (const family of ['buddy', 'pi']) {
    it(`${family}: Digest with the right password; one request per call in steady state`, () =>
      withSim({ family }, async (sim, make) => {
        const c = make();
        await c.detect();
        sim.control.clearRequests();
        for (let i = 0; i < 100; i++) await c.status();
        const reqs = sim.control.requests();
        // Detected beforehand (so no detection answer is reused): exactly one authenticated request per call.
        assert.deepEqual(
          reqs.map((r) => `${r.method} ${r.path} ${r.status} ${r.auth}`),
          Array(100).fill('GET /api/v1/status 200 digest'),
        );
        const ua = new Set(reqs.map((r) => r.headers['user-agent']));
        assert.equal(ua.size, 1, 'constant User-Agent');
      }));

    it(`${family}: first call follows the challenge once`, () =>
      withSim({ family }, async (sim, make) => {
        const c = make();
        await c.version();
        assert.deepEqual(sim.control.requests().map((r) => r.status), [401, 200]);
      }));

    it(`${family}: wrong password → AUTH_FAILED without a retry loop, no secret in the message`, () =>
      withSim({ family }, async (sim, make) => {
        const c = make({ password: 'not-the-password' });
        const e = await rejectsWith(c.status(), 'AUTH_FAILED', /wrong password or API key \(HTTP 401\)/);
        assert.ok(!e.message.includes('not-the-password'));
        assert.match(e.message, new RegExp(`^PrusaLink ${c.label.replace(/[[\]]/g, '\\$&')}: `));
        assert.ok(sim.control.requests().length <= 2);
      }));

    it(`${family}: stale nonces (fault staleNonceAlways) are retried once per request`, () =>
      withSim({ family }, async (sim, make) => {
        const c = make();
        await c.detect();
        sim.control.setFaults({ staleNonceAlways: true });
        sim.control.clearRequests();
        const st = await c.status();
        assert.equal(st.state, 'IDLE');
        const statuses = sim.control.requests().map((r) => r.status);
        assert.deepEqual(statuses, [401, 200]);
      }));

    it(`${family}: a reboot (new nonce secret) costs one stale retry`, () =>
      withSim({ family }, async (sim, make) => {
        const c = make();
        await c.status();
        sim.control.reboot();
        sim.control.clearRequests();
        await c.status();
        await c.status();
        assert.deepEqual(sim.control.requests().map((r) => r.status), [401, 200, 200]);
      }));
  }

  it('buddy: X-Api-Key (the PrusaLink password) works, wrong key → AUTH_FAILED; one request per call', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make({ apiKey: sim.credentials.password, password: undefined });
      await c.detect();
      sim.control.clearRequests();
      for (let i = 0; i < 100; i++) await c.status();
      assert.deepEqual(
        sim.control.requests().map((r) => `${r.method} ${r.path} ${r.status} ${r.auth}`),
        Array(100).fill('GET /api/v1/status 200 apikey'),
      );
      const bad = make({ apiKey: 'wrong-key', password: undefined });
      const e = await rejectsWith(bad.status(), 'AUTH_FAILED', /wrong API key/);
      assert.ok(!e.message.includes('wrong-key'));
    }));

  it('pi: X-Api-Key when configured; wrong key → 403 → AUTH_FAILED', () =>
    withSim({ family: 'pi', apiKey: 'pikey' }, async (sim, make) => {
      const c = make({ apiKey: 'pikey' });
      await c.detect();
      sim.control.clearRequests();
      for (let i = 0; i < 100; i++) await c.status();
      assert.ok(sim.control.requests().length <= 101);
      const e = await rejectsWith(make({ apiKey: 'nope' }).status(), 'AUTH_FAILED', /API key/);
      assert.equal(e.status, 403);
    }));

  it('mini-legacy: API key works (≤ 2 requests per status: /api/printer + /api/job), wrong key → AUTH_FAILED', () =>
    withSim({ family: 'mini-legacy' }, async (sim, make) => {
      const c = make();
      await c.detect();
      sim.control.clearRequests();
      for (let i = 0; i < 50; i++) await c.status();
      assert.ok(sim.control.requests().length <= 100);
      await rejectsWith(make({ apiKey: 'nope' }).status(), 'AUTH_FAILED', /wrong API key/);
    }));

  it('mini-legacy: a password instead of the API key gets a clear message', () =>
    withSim({ family: 'mini-legacy' }, async (sim, make) => {
      const c = make({ apiKey: undefined, password: 'pw' });
      await rejectsWith(c.status(), 'AUTH_FAILED', /accepts only an API key/);
    }));
});
