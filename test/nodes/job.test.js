'use strict';
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./flow-helpers');

for (const family of h.FAMILIES) {
  describe(`prusalink-job on ${family}`, () => {
    let sim;
    beforeEach(async () => {
      sim = await h.startSimulator({ family, speed: 1, files: { 'box.gcode': 'G28\n' + 'G1 X10 Y10\n'.repeat(2000) } });
      await h.startServer();
    });
    afterEach(async () => {
      await h.stopServer();
      await sim.stop();
    });

    const jobFlow = (action) =>
      h.flowWith(sim, [
        { id: 'j1', type: 'prusalink-job', action, wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);

    it('no job: msg.payload null, not an error', async () => {
      const { flow, credentials } = jobFlow('get');
      await h.load(flow, credentials);
      const got = h.nextMsg('out');
      h.helper.getNode('j1').receive({ topic: 'x' });
      const msg = await got;
      assert.equal(msg.payload, null);
      assert.equal(msg.topic, 'x');
    });

    it('pause and resume from msg.action, stop from the node setting', async () => {
      const { flow, credentials } = jobFlow('msg');
      flow.push({ id: 'j2', type: 'prusalink-job', z: 'f1', printer: 'printer1', action: 'stop', wires: [['out2']] });
      flow.push({ id: 'out2', type: 'helper', z: 'f1' });
      await h.load(flow, credentials);
      sim.control.startPrint('box.gcode');
      let got = h.nextMsg('out');
      h.helper.getNode('j1').receive({ action: 'get' });
      let msg = await got;
      assert.equal(msg.payload.state, 'PRINTING');
      assert.ok(msg.payload.file.display_name.includes('box'));

      got = h.nextMsg('out');
      h.helper.getNode('j1').receive({ action: 'pause' });
      msg = await got;
      assert.equal(msg.action, 'pause');
      await h.waitFor(() => sim.control.state === 'PAUSED', 5000, 'paused');

      got = h.nextMsg('out');
      h.helper.getNode('j1').receive({ action: 'Resume' });
      await got;
      await h.waitFor(() => sim.control.state === 'PRINTING', 5000, 'printing');

      // The node's own action wins over msg.action, with one warning per node.
      const j2 = h.helper.getNode('j2');
      got = h.nextMsg('out2');
      j2.receive({ action: 'pause' });
      msg = await got;
      assert.equal(msg.action, 'stop');
      await h.waitFor(() => ['STOPPED', 'IDLE', 'BUSY'].includes(sim.control.state), 5000, 'stopped');
      const warns = j2.warn.getCalls().filter((c) => c.thisValue === j2);
      assert.equal(warns.length, 1);
    });

    it('pause without a job is a catchable NO_JOB error; an unknown action makes no request', async () => {
      const { flow, credentials } = jobFlow('msg');
      await h.load(flow, credentials);
      let caught = h.nextMsg('caught');
      h.helper.getNode('j1').receive({ action: 'pause' });
      let msg = await caught;
      h.expectCode(msg, 'NO_JOB');

      sim.control.clearRequests();
      caught = h.nextMsg('caught');
      h.helper.getNode('j1').receive({ action: 'explode' });
      msg = await caught;
      h.expectCode(msg, 'INVALID_ARGUMENT');
      assert.match(msg.error.message, /explode|unknownAction/);
      assert.equal(h.apiRequests(sim).length, 0);
    });
  });
}
