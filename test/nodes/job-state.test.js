'use strict';
// Issue 14.5 / 13.8: after pause, resume or stop the job node reports what the printer does, not the state it read
// before the queued command took effect, and its dot follows the shared state colours (conventions doc §7).
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./flow-helpers');

const DELAY_MS = 700; // the simulator changes state this long after its 204, like the real PrusaLink
const FILES = { 'box.gcode': 'G28\n' + 'G1 X10 Y10\n'.repeat(2000) };

async function run(action) {
  const got = h.nextMsg('out', 10000);
  h.helper.getNode('j1').receive({ action });
  return got;
}

for (const family of h.FAMILIES) {
  describe(`prusalink-job on ${family} with commands that take effect after the 204`, () => {
    let sim;
    beforeEach(async () => {
      sim = await h.startSimulator({ family, jobCommandDelayMs: DELAY_MS, files: FILES });
      await h.startServer();
    });
    afterEach(async () => {
      await h.stopServer();
      await sim.stop();
    });

    it('pause emits PAUSED with a yellow dot, resume PRINTING with a blue dot, stop a job that is no longer printing', async () => {
      const { flow, credentials } = h.flowWith(sim, [
        { id: 'j1', type: 'prusalink-job', action: 'msg', wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);
      await h.load(flow, credentials);
      sim.control.startPrint('box.gcode');
      const j1 = h.helper.getNode('j1');

      let msg = await run('pause');
      assert.equal(msg.payload.state, 'PAUSED');
      assert.equal(msg.requested, false);
      assert.equal(h.lastStatus(j1).fill, 'yellow');
      assert.equal(h.lastStatus(j1).shape, 'dot');
      assert.match(h.lastStatus(j1).text, /\.state\.paused(Pct)?$/);

      msg = await run('resume');
      assert.equal(msg.payload.state, 'PRINTING');
      assert.equal(msg.requested, false);
      assert.equal(h.lastStatus(j1).fill, 'blue');
      assert.match(h.lastStatus(j1).text, /\.state\.printing(Pct)?$/);

      msg = await run('stop');
      assert.equal(msg.requested, false);
      const after = msg.payload === null ? 'no job' : msg.payload.state;
      assert.ok(['no job', 'BUSY', 'STOPPED', 'IDLE'].includes(after), `after stop: ${after}`);
      assert.doesNotMatch(h.lastStatus(j1).text, /printing/);
    });
  });
}

describe('prusalink-job when the printer has not changed state within the wait', () => {
  let sim;
  beforeEach(async () => {
    sim = await h.startSimulator({ family: 'pi', jobCommandDelayMs: 60_000, files: FILES });
    await h.startServer();
  });
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
  });

  it('emits requested: true with the state it still reads, and a yellow ring "pause requested"', async () => {
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'j1', type: 'prusalink-job', action: 'pause', wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    sim.control.startPrint('box.gcode');
    const msg = await run(undefined);
    assert.equal(msg.action, 'pause');
    assert.equal(msg.requested, true);
    assert.equal(msg.payload.state, 'PRINTING');
    assert.deepEqual(h.lastStatus(h.helper.getNode('j1')), { fill: 'yellow', shape: 'ring', text: 'prusalink-job.status.pauseRequested' });
  });
});
