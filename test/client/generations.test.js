'use strict';
// The client against every Buddy firmware generation the simulator speaks (issue 20, issue 13 item 9): the same
// suite passes on each, and what differs (the URL limit, the model) is what the facts document says.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { withSim, rejectsWith, eventually, sampleGcode } = require('./helpers');

const GENERATIONS = [
  { firmware: '5.0.2', model: 'MK4', urlLimit: 100, modelName: undefined },
  { firmware: '6.3.2', model: 'MK4', urlLimit: 168, modelName: undefined },
  { firmware: '6.4.1', model: 'XL', urlLimit: 168, modelName: undefined },
  { firmware: '6.5.3', model: 'MK4S', urlLimit: 168, modelName: 'MK4S' },
  { firmware: '6.6.0', model: 'Core One', urlLimit: 168, modelName: 'Core One' },
];

for (const g of GENERATIONS) {
  describe(`client on Buddy ${g.firmware} (${g.model})`, () => {
    const simOpts = { family: 'buddy', firmware: g.firmware, model: g.model };

    it('upload, list, print, pause, resume, stop: the same answers on every generation', async () => {
      await withSim({ ...simOpts, speed: 20 }, async (sim, make) => {
        const c = make();
        const up = await c.upload({ buffer: sampleGcode({ name: 'gen', printSeconds: 3600 }) }, 'usb/gen/part.gcode', { printAfterUpload: false });
        assert.equal(up.path, '/usb/gen/part.gcode');
        assert.equal(up.printStarted, false);
        const names = (await c.list('usb/gen')).entries.map((e) => e.display_name);
        assert.deepEqual(names, ['part.gcode']);
        await c.print('usb/gen/part.gcode');
        await eventually(async () => (await c.status()).state === 'PRINTING');
        await c.pause();
        assert.equal((await c.status()).state, 'PAUSED');
        await c.resume();
        assert.equal((await c.status()).state, 'PRINTING');
        await c.stop();
        await eventually(async () => ['STOPPED', 'IDLE'].includes((await c.status()).state));
      });
    });

    it(`the model: ${g.modelName === undefined ? 'absent (this firmware does not name it)' : `"${g.modelName}"`}, in the profile and in the status`, async () => {
      await withSim(simOpts, async (_sim, make) => {
        const c = make();
        assert.equal((await c.detect()).model, g.modelName);
        const st = await c.status();
        assert.equal(st.model, g.modelName);
        assert.equal('model' in st, g.modelName !== undefined);
      });
    });

    it(`a request URL over ${g.urlLimit} characters is refused before it is sent, naming the limit`, async () => {
      await withSim(simOpts, async (sim, make) => {
        const c = make();
        await c.detect();
        // "/api/v1/files/usb/" is 18 characters: the whole target is one over the limit.
        const name = 'a'.repeat(g.urlLimit - 18 - 6 + 1) + '.gcode';
        sim.control.clearRequests();
        await rejectsWith(c.fileInfo(`usb/${name}`), 'NAME_TOO_LONG', new RegExp(`accepts at most ${g.urlLimit}\\b`));
        assert.deepEqual(sim.control.requests().map((r) => r.url), []);
        // One character less is asked (and the file is not there).
        await rejectsWith(c.fileInfo(`usb/${name.slice(1)}`), 'NOT_FOUND');
      });
    });

    it('an upload path over 103 bytes is refused before any byte is sent, naming the limit and what the firmware would do', async () => {
      await withSim(simOpts, async (sim, make) => {
        const c = make();
        await c.detect();
        sim.control.clearRequests();
        const name = 'b'.repeat(93) + 'c.gcode'; // "/usb/" + 100 characters = 105 bytes
        await rejectsWith(c.upload({ buffer: sampleGcode({ name: 'long' }) }, `usb/${name}`), 'NAME_TOO_LONG', /105 bytes; this printer takes at most 103 \(firmware 6\.4 and newer refuse a longer one with 414, older firmware cuts the name short\)/);
        assert.deepEqual(sim.control.requests().filter((r) => r.method === 'PUT'), []);
        assert.deepEqual(sim.control.listFiles(), []);
      });
    });
  });
}

describe('client: how the URL limit is learnt', () => {
  it('Buddy 4.7 to 6.4 (no firmware in /api/version): one probe at detection; ≥ 6.5.1: none', async () => {
    const probes = (sim) => sim.control.requests().filter((r) => r.url.startsWith('/api/version?'));
    await withSim({ family: 'buddy', firmware: '6.4.1' }, async (sim, make) => {
      await make().detect();
      assert.deepEqual(probes(sim).map((r) => [r.url.length, r.status]), [[120, 200]]);
    });
    await withSim({ family: 'buddy', firmware: '6.5.3' }, async (sim, make) => {
      await make().detect();
      assert.deepEqual(probes(sim), []);
    });
  });

  it('MINI 4.4.1: 100 characters, without a probe', async () => {
    await withSim({ family: 'mini-legacy' }, async (sim, make) => {
      const c = make();
      await c.detect();
      const name = 'm'.repeat(100 - '/api/files/usb/'.length - 6 + 1) + '.gcode';
      sim.control.clearRequests();
      await rejectsWith(c.delete(`usb/${name}`), 'NAME_TOO_LONG', /accepts at most 100\b/);
      assert.deepEqual(sim.control.requests().map((r) => r.url), []);
    });
  });

  it('Pi PrusaLink: the model from `original` ("PrusaLink I3MK3S" → "MK3S"); MINI 4.4.1 "MINI" from its text', async () => {
    await withSim({ family: 'pi' }, async (_sim, make) => {
      assert.equal((await make().detect()).model, 'MK3S');
    });
    await withSim({ family: 'mini-legacy' }, async (_sim, make) => {
      assert.equal((await make().detect()).model, 'MINI');
    });
  });
});
