'use strict';
// The shipped example "Print finished - send the picture and the print time", loaded as it is (its printer config
// aimed at a simulator, its status node polling every 0.5 s instead of 5 s), driven through a whole simulated print:
// when the print finishes, the message for Telegram / e-mail / a dashboard carries the file's PNG thumbnail.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../nodes/flow-helpers');
const { makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');

const EXAMPLE = path.join(__dirname, '../../examples/Print finished - send the picture and the print time.json');
const CORE = path.dirname(require.resolve('@node-red/nodes/package.json'));
const CORE_NODES = ['common/20-inject.js', 'common/21-debug.js', 'common/90-comment.js', 'function/10-function.js', 'function/10-switch.js'].map((f) =>
  require(path.join(CORE, 'core', f)),
);
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe('example: print finished, send the picture and the print time (buddy)', () => {
  let sim;
  before(async () => {
    sim = await h.startSimulator({
      family: 'buddy',
      speed: 60,
      files: { 'Benchy with a long name.gcode': makeSampleGcode({ name: 'Benchy', printSeconds: 240 }) },
    });
    await h.startServer();
  });
  after(async () => {
    await h.stopServer();
    await sim.stop();
  });

  it('sends the finished file\'s thumbnail and the time it took', async () => {
    const nodes = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
    const { node: simCfg, credentials } = h.printerConfig(sim, { id: 'prusalink-demo-printer-cfg' });
    const flow = [{ id: 'tabExample', type: 'tab', label: 'example' }];
    for (const n of nodes) {
      if (n.type === 'prusalink-printer') flow.push({ ...n, host: simCfg.host, port: simCfg.port, auth: simCfg.auth });
      else if (n.id === 'ex8s') flow.push({ ...n, z: 'tabExample', interval: '0.5' });
      else flow.push({ ...n, z: 'tabExample' });
    }
    await new Promise((resolve, reject) =>
      h.helper.load([...CORE_NODES, ...Object.values(h.NODES)], flow, credentials, (e) => (e ? reject(e) : resolve())),
    );
    const sent = h.nextMsg('ex8d', 30000);
    // Let the status node see the idle printer first (its first answer comes as `online`), then print.
    const online = await h.nextMsg('ex8w');
    assert.equal(online.payload.state, 'IDLE');
    sim.control.startPrint('Benchy with a long name.gcode');
    const msg = await sent;
    assert.equal(msg.payload.type, 'photo');
    assert.ok(Buffer.isBuffer(msg.payload.content) && msg.payload.content.subarray(0, 4).equals(PNG_MAGIC), 'a PNG thumbnail');
    assert.match(msg.payload.caption, /Benchy with a long name\.gcode finished after \d+ min/);
    assert.equal(typeof msg.printTime, 'number');
    assert.match(msg.dataUrl, /^data:image\/png;base64,/);
    assert.equal(sim.control.state, 'FINISHED');
  });
});
