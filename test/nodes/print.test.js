'use strict';
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./flow-helpers');

for (const family of h.FAMILIES) {
  describe(`prusalink-print on ${family}`, () => {
    let sim;
    beforeEach(async () => {
      sim = await h.startSimulator({ family, files: { 'benchy.gcode': 'G28\n' + 'G1 X1\n'.repeat(500) } });
      await h.startServer();
    });
    afterEach(async () => {
      await h.stopServer();
      await sim.stop();
    });

    const printFlow = (path) =>
      h.flowWith(sim, [
        { id: 'pr', type: 'prusalink-print', path, wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);

    it('starts a print from a string msg.payload', async () => {
      const { flow, credentials } = printFlow('');
      await h.load(flow, credentials);
      const got = h.nextMsg('out');
      h.helper.getNode('pr').receive({ payload: 'benchy.gcode', topic: 'p' });
      const msg = await got;
      assert.equal(msg.topic, 'p');
      assert.equal(msg.payload.started, true);
      await h.waitFor(() => sim.control.state === 'PRINTING', 5000, 'printing');
    });

    it('the node path wins over msg.path; a busy printer is a catchable error', async () => {
      const { flow, credentials } = printFlow('benchy.gcode');
      await h.load(flow, credentials);
      const pr = h.helper.getNode('pr');
      const got = h.nextMsg('out');
      pr.receive({ path: 'other.gcode' });
      assert.equal((await got).path, 'benchy.gcode');
      const caught = h.nextMsg('caught');
      pr.receive({});
      const err = await caught;
      // A 409 to the print request means "printer not ready" on every family (facts §4.6): NOT_READY.
      if (h.CATCH_HAS_CODE) assert.equal(err.error.code, 'NOT_READY');
      assert.equal(pr.warn.getCalls().filter((c) => c.thisValue === pr).length, 1);
    });

    it('a missing file reaches Catch with NOT_FOUND', async () => {
      const { flow, credentials } = printFlow('');
      await h.load(flow, credentials);
      const caught = h.nextMsg('caught');
      h.helper.getNode('pr').receive({ path: 'missing.gcode' });
      h.expectCode(await caught, 'NOT_FOUND');
    });
  });
}

describe('prusalink-print on MINI 4.4.1 off its main screen', () => {
  let sim;
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
  });
  it('passes on the NOT_READY error', async () => {
    sim = await h.startSimulator({ family: 'mini-legacy', files: { 'benchy.gcode': 'G28\n' } });
    await h.startServer();
    sim.control.setMainScreen(false);
    const { flow, credentials } = h.flowWith(sim, [
      { id: 'pr', type: 'prusalink-print', path: 'benchy.gcode', wires: [['out']] },
      { id: 'out', type: 'helper', z: 'f1' },
    ]);
    await h.load(flow, credentials);
    const caught = h.nextMsg('caught');
    h.helper.getNode('pr').receive({});
    h.expectCode(await caught, 'NOT_READY');
  });
});
