'use strict';
// The controller finds each flow node's printer (src/nodes/controller.ts): a node whose printer is missing shows the
// red CONFIG ring as soon as it is deployed, before any msg, and each msg fails with CONFIG for a Catch node.
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./flow-helpers');

const NS = '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.';

describe('controller: a flow node without its printer', () => {
  beforeEach(() => h.startServer());
  afterEach(() => h.stopServer());

  for (const type of ['prusalink-status', 'prusalink-job', 'prusalink-files', 'prusalink-upload', 'prusalink-print', 'prusalink-rm']) {
    it(`${type}: red CONFIG ring at deploy, then CONFIG for a Catch node on input`, async () => {
      const flow = [
        { id: 'f1', type: 'tab' },
        { id: 'catcher', type: 'catch', z: 'f1', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper', z: 'f1' },
        { id: 'n', type, z: 'f1', printer: 'gone', interval: '0', path: 'a.gcode', filename: 'a.gcode', wires: [[]] },
      ];
      await h.load(flow, {});
      const node = h.helper.getNode('n');
      assert.deepEqual(h.statuses(node), [{ fill: 'red', shape: 'ring', text: NS + 'reason.noPrinter' }]);
      const caught = h.nextMsg('caught');
      node.receive({ payload: Buffer.from('G28\n') });
      const msg = await caught;
      h.expectCode(msg, 'CONFIG');
      assert.match(msg.error.message, /errors\.noPrinter$/);
    });
  }
});
