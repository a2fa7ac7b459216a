'use strict';
// Printers close idle keep-alive connections (after 60 s); the simulator's refuse() + listen() drops them at once. The
// next GET meets a reset on its reused connection: it is sent again once, on a fresh one. Requests that must not be
// sent twice (uploads, print start) are never retried: they go out on a fresh connection in the first place.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { withSim, sampleGcode } = require('./helpers');

/** The printer requests recorded since the last clearRequests(), as `METHOD path status`. */
const seen = (sim) => sim.control.requests().map((r) => `${r.method} ${r.path} ${r.status}`);

async function dropConnections(sim) {
  await sim.control.refuse();
  await sim.control.listen();
  sim.control.clearRequests();
}

const CASES = [
  { family: 'buddy', status: ['GET /api/v1/status 200'], upload: 'PUT /api/v1/files/usb/new.gcode 201', print: 'POST /api/v1/files/usb/a.gcode 204' },
  { family: 'pi', status: ['GET /api/v1/status 200'], upload: 'PUT /api/v1/files/local/new.gcode 201', print: 'POST /api/v1/files/local/a.gcode 204' },
  {
    family: 'mini-legacy',
    status: ['GET /api/job 200', 'GET /api/printer 200'],
    upload: 'POST /api/files/local 201',
    print: 'POST /api/files/usb/a.gcode 204',
  },
];

describe('keep-alive connections the printer dropped', () => {
  for (const t of CASES) {
    it(`${t.family}: the next status() succeeds on a fresh connection, each request recorded once`, () =>
      withSim({ family: t.family }, async (sim, make) => {
        const c = make();
        await c.status();
        await dropConnections(sim);
        assert.equal((await c.status()).state, 'IDLE');
        assert.deepEqual(seen(sim).sort(), t.status, 'no second detection, no duplicate');
        // Still a single request per call afterwards: the fresh connection is kept alive in turn.
        sim.control.clearRequests();
        await c.status();
        assert.equal(seen(sim).length, t.status.length);
      }));

    it(`${t.family}: an upload is not retried: exactly one upload request, on a fresh connection`, () =>
      withSim({ family: t.family }, async (sim, make) => {
        const c = make();
        await c.status();
        await dropConnections(sim);
        await c.upload({ buffer: Buffer.from('G28\n') }, 'new.gcode');
        const uploads = seen(sim).filter((r) => r.startsWith('PUT') || r.startsWith('POST'));
        assert.deepEqual(uploads, [t.upload]);
        assert.equal(sim.control.readFile('new.gcode').toString(), 'G28\n');
      }));

    it(`${t.family}: a print start (POST) is not retried: exactly one POST, the print runs`, () =>
      withSim({ family: t.family, files: { 'a.gcode': sampleGcode({ printSeconds: 600 }) } }, async (sim, make) => {
        const c = make();
        await c.status();
        await dropConnections(sim);
        await c.print('a.gcode');
        assert.deepEqual(seen(sim).filter((r) => r.startsWith('POST')), [t.print]);
        assert.equal(sim.control.state, 'PRINTING');
      }));
  }

  it('buddy: HEAD (exists) is retried like GET', () =>
    withSim({ family: 'buddy', files: { 'a.gcode': 'G28\n' } }, async (sim, make) => {
      const c = make();
      await c.status();
      await dropConnections(sim);
      assert.equal(await c.exists('a.gcode'), true);
      assert.deepEqual(seen(sim), ['HEAD /api/v1/files/usb/a.gcode 200']);
    }));
});
