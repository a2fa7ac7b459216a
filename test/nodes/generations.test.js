'use strict';
// The nodes against every Buddy firmware generation of the simulator (issue 20): Test connection names the model
// where the firmware tells it, and the status node's events follow what each generation reports (§8.1): a preheat is
// BUSY up to 6.3 and PRINTING from 6.4; waiting after a power loss is ATTENTION up to 6.5.4 and PAUSED from 6.5.5.
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./flow-helpers');

const GENERATIONS = [
  { firmware: '5.0.2', model: 'MK4', modelName: undefined, preheat: 'busy', powerLoss: 'attention' },
  { firmware: '6.3.2', model: 'MK4', modelName: undefined, preheat: 'busy', powerLoss: 'attention' },
  { firmware: '6.4.1', model: 'XL', modelName: undefined, preheat: null, powerLoss: 'attention' },
  { firmware: '6.5.3', model: 'MK4S', modelName: 'MK4S', preheat: null, powerLoss: 'attention' },
  { firmware: '6.6.0', model: 'Core One', modelName: 'Core One', preheat: null, powerLoss: 'paused' },
];

for (const g of GENERATIONS) {
  describe(`nodes on Buddy ${g.firmware} (${g.model})`, () => {
    let sim;
    beforeEach(async () => {
      const { makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');
      sim = await h.startSimulator({
        family: 'buddy',
        firmware: g.firmware,
        model: g.model,
        speed: 20,
        files: { 'box.gcode': makeSampleGcode({ printSeconds: 120 }) },
      });
      await h.startServer();
    });
    afterEach(async () => {
      await h.stopServer();
      await sim.stop();
    });

    it(`Test connection answers the model: ${g.modelName === undefined ? 'none (not reported)' : `"${g.modelName}"`}`, async () => {
      const { flow, credentials } = h.flowWith(sim, []);
      await h.load(flow, credentials);
      const cfg = flow[1];
      const body = { id: 'printer1', host: cfg.host, port: cfg.port, protocol: 'http', auth: cfg.auth, timeout: '5', user: 'maker', password: '__PWRD__' };
      const res = await h.helper.request().post('/prusalink-printer/test').send(body).expect(200);
      assert.equal(res.body.ok, true, JSON.stringify(res.body));
      assert.equal(res.body.family, 'buddy');
      assert.equal(res.body.model, g.modelName);
    });

    it(`status events of a print with a preheat (${g.preheat ?? 'no event'}) and a power loss (${g.powerLoss}); the output carries the model`, async () => {
      const { flow, credentials } = h.flowWith(sim, [
        { id: 'st1', type: 'prusalink-status', interval: '0.3', output: 'change', wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);
      await h.load(flow, credentials);
      const msgs = h.collect('out');
      const events = () => msgs.map((m) => m.event);
      /** Waits until the status node has polled twice more: a state held that long has been seen. */
      const twoPolls = async () => {
        const polls = () => sim.control.requests().filter((r) => r.path === '/api/v1/status').length;
        const now = polls();
        await h.waitFor(() => polls() >= now + 2, 8000, 'two polls');
      };
      await h.waitFor(() => msgs.length >= 1, 8000, 'first status');
      assert.equal(msgs[0].payload.model, g.modelName);
      sim.control.startPrint('box.gcode');
      await h.waitFor(() => events().includes('printing'), 8000, 'printing');
      sim.control.situation('preheat');
      await twoPolls();
      sim.control.setState('PRINTING'); // the preheat ends
      await twoPolls();
      sim.control.situation('power-loss');
      await h.waitFor(() => events().includes(g.powerLoss), 8000, g.powerLoss);
      sim.control.setState('PRINTING'); // resumed on the printer's screen
      await h.waitFor(() => events().filter((e) => e === 'printing').length >= (g.preheat ? 3 : 2), 8000, 'printing again');
      const expected = g.preheat
        ? ['online', 'printing', g.preheat, 'printing', g.powerLoss, 'printing']
        : ['online', 'printing', g.powerLoss, 'printing'];
      assert.deepEqual(events(), expected);
    });
  });
}

describe('prusalink-job on Buddy 6.6.0: no "continue" (Buddy answers 400 to it through 6.6, trap 19)', () => {
  let sim;
  beforeEach(async () => {
    sim = await h.startSimulator({ family: 'buddy' });
    await h.startServer();
  });
  afterEach(async () => {
    await h.stopServer();
    await sim.stop();
  });

  it('msg.action "continue" is refused before any request, with INVALID_ARGUMENT', async () => {
    const { flow, credentials } = h.flowWith(sim, [{ id: 'j1', type: 'prusalink-job', action: 'msg', wires: [[]] }]);
    await h.load(flow, credentials);
    const node = h.helper.getNode('j1');
    const errored = new Promise((resolve) => node.on('call:error', (call) => resolve(call)));
    sim.control.clearRequests();
    node.receive({ action: 'continue' });
    const call = await errored;
    assert.equal(call.args[0].code, 'INVALID_ARGUMENT');
    assert.equal(call.args[0].message, 'prusalink-job.errors.unknownAction');
    assert.deepEqual(h.apiRequests(sim).filter((r) => r.path.endsWith('/continue')), []);
  });
});
