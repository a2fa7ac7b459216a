'use strict';
// Issue 14.5: the real PrusaLink answers 204 to pause / resume / stop when it has queued the command; the state
// changes afterwards. The simulator's jobCommandDelayMs option models that on every family.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { PrusaLinkClient } = require('@makerflows/node-red-prusalink');

const DELAY_MS = 400;
const waitUntil = async (check, ms, what) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

for (const family of ['buddy', 'mini-legacy', 'pi']) {
  describe(`jobCommandDelayMs on ${family}`, () => {
    it('pause, resume and stop are answered at once and take effect after the delay', async () => {
      const sim = await startSimulator({ family, jobCommandDelayMs: DELAY_MS, files: { 'box.gcode': 'G28\n' } });
      try {
        const client = new PrusaLinkClient({ host: sim.url, ...sim.credentials });
        sim.control.startPrint('box.gcode');
        for (const [command, after] of [['pause', 'PAUSED'], ['resume', 'PRINTING']]) {
          const before = sim.control.state;
          const sent = Date.now();
          await client[command]();
          assert.equal(sim.control.state, before, `${command}: still ${before} right after the 204`);
          await waitUntil(() => sim.control.state === after, 3000, `${command} → ${after}`);
          assert.ok(Date.now() - sent >= DELAY_MS - 20, `${command} took effect after ${Date.now() - sent} ms`);
        }
        await client.stop();
        assert.equal(sim.control.state, 'PRINTING', 'stop: still PRINTING right after the 204');
        await waitUntil(() => sim.control.state !== 'PRINTING', 3000, 'stop to take effect');
        assert.ok(['BUSY', 'STOPPED', 'IDLE'].includes(sim.control.state), sim.control.state);
      } finally {
        await sim.stop();
      }
    });

    it('a command the state does not allow is still refused at once (409), and nothing happens later', async () => {
      const sim = await startSimulator({ family, jobCommandDelayMs: DELAY_MS, files: { 'box.gcode': 'G28\n' } });
      try {
        const client = new PrusaLinkClient({ host: sim.url, ...sim.credentials });
        sim.control.startPrint('box.gcode');
        await assert.rejects(client.resume(), (e) => e.code === 'NOT_READY');
        await new Promise((r) => setTimeout(r, DELAY_MS + 100));
        assert.equal(sim.control.state, 'PRINTING');
      } finally {
        await sim.stop();
      }
    });
  });
}

describe('jobCommandDelayMs option', () => {
  it('is refused when negative or not a number', async () => {
    for (const bad of [-1, 'soon']) {
      let sim;
      await assert.rejects(
        startSimulator({ family: 'pi', jobCommandDelayMs: bad }).then((s) => {
          sim = s;
        }),
        /jobCommandDelayMs/,
      );
      await sim?.stop(); // the old simulator ignored the option and started: stop it so the run can end
    }
  });
});
