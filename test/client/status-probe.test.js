'use strict';
// Detection asks /api/v1/status to learn whether the v1 API exists; a status() call that waited for that detection
// uses its answer instead of asking again. Only that one call: any other status() asks the printer.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { withSim } = require('./helpers');

const statusRequests = (sim) => sim.control.requests().filter((r) => r.method === 'GET' && r.path === '/api/v1/status').length;

describe('status right after detection', () => {
  for (const family of ['buddy', 'pi']) {
    it(`${family}: the first status() of a fresh client reuses detection's answer; the next one asks`, () =>
      withSim({ family }, async (sim, make) => {
        const c = make();
        sim.control.clearRequests();
        const first = await c.status();
        assert.equal(first.state, 'IDLE');
        assert.equal(statusRequests(sim), 1, 'detection asked once, status() did not ask again');
        const second = await c.status();
        assert.equal(statusRequests(sim), 2);
        // The reused answer is as complete as one asked for: the same fields, the same state.
        assert.deepEqual(Object.keys(first).sort(), Object.keys(second).sort());
        assert.deepEqual(Object.keys(first.printer).sort(), Object.keys(second.printer).sort());
        assert.equal(second.state, 'IDLE');
      }));
  }

  it('buddy: two status() calls waiting for the same detection: one reuses the answer, the other asks', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make();
      sim.control.clearRequests();
      const both = await Promise.all([c.status(), c.status()]);
      assert.deepEqual(both.map((s) => s.state), ['IDLE', 'IDLE']);
      assert.equal(statusRequests(sim), 2);
    }));

  it('buddy: after an explicit detect(), status() asks the printer (its state may have changed since)', () =>
    withSim({ family: 'buddy' }, async (sim, make) => {
      const c = make();
      await c.detect();
      sim.control.setFaults({ status: 503 });
      await assert.rejects(c.status(), (e) => e.code === 'SERVER_ERROR');
      sim.control.clearFaults();
      await c.detect(true);
      sim.control.clearRequests();
      await c.status();
      assert.equal(statusRequests(sim), 1);
    }));

  it('mini-legacy: no v1 probe, status() asks the legacy endpoints', () =>
    withSim({ family: 'mini-legacy' }, async (sim, make) => {
      const c = make();
      sim.control.clearRequests();
      assert.equal((await c.status()).state, 'IDLE');
      assert.equal(statusRequests(sim), 0);
      // Detection (facts §3: no upload-by-put, so no v1 storage or status), then the legacy telemetry (§6).
      assert.deepEqual(sim.control.requests().map((r) => `${r.method} ${r.path}`), ['GET /api/version', 'GET /api/printer', 'GET /api/job']);
    }));
});
