// The MQTT examples in a real Node-RED (4.1) with a real broker (Mosquitto) and the printer simulator:
// a G-code file published to prusalink/<x>/upload/<name> is uploaded and printed, and the printer's
// status appears under prusalink/<printer>/status/...
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { root, LEGS, prerequisites } = require('./lib/env');
const { waitFor } = require('./lib/net');
const { startNodeRed } = require('./lib/node-red');
const { stagePackage } = require('./lib/package');
const { MOSQUITTO, haveClients, startMosquitto, subscribe, publish } = require('./lib/mosquitto');
const { findExample, localize, placeOnTab, ourLogProblems } = require('./lib/flows');

const uploadExample = findExample('^MQTT message uploads and prints a file$');
const statusExample = findExample('^printer status to MQTT$');

const skip = prerequisites([
  [MOSQUITTO, 'mosquitto not installed: apt-get install mosquitto'],
  [haveClients, 'mosquitto_pub/mosquitto_sub not installed: apt-get install mosquitto-clients'],
  [uploadExample, 'example "MQTT message uploads and prints a file" missing from examples/'],
  [statusExample, 'example "Printer status to MQTT" missing from examples/'],
]);

/** Both examples on one tab each, config nodes (shared ids) once. */
function bothExamples(sim, mqttPort) {
  const seen = new Set();
  const flows = [];
  for (const [ex, tab] of [
    [uploadExample, 'tabMqttUpload'],
    [statusExample, 'tabMqttStatus'],
  ]) {
    for (const n of placeOnTab(localize(ex.flows, { sim, mqttPort }), tab, ex.name)) {
      if (!seen.has(n.id)) flows.push(n);
      seen.add(n.id);
    }
  }
  return flows;
}

describe('MQTT examples with Mosquitto', { skip }, () => {
  let broker;
  let sim;
  let pkg;
  let nr;
  let sub;
  let tmp;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-e2e-gcode-'));
    broker = await startMosquitto();
    const { startSimulator } = require(path.join(root, 'dist', 'sim'));
    sim = await startSimulator({ family: 'buddy', password: 'mqtt-e2e-password' });
    pkg = stagePackage();
    nr = await startNodeRed({ leg: LEGS.nr4, userDir: pkg.makeUserDir() });
    sub = await subscribe(broker.port, 'prusalink/#');
    await nr.deploy(bothExamples(sim, broker.port));
  });
  after(async () => {
    if (sub) await sub.stop();
    if (nr) await nr.stop();
    if (pkg) pkg.cleanup();
    if (sim) await sim.stop();
    if (broker) await broker.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('publishes the printer status under prusalink/<printer>/status', async () => {
    const state = await waitFor(() => sub.messages.find((m) => /^prusalink\/[^/]+\/status\/state$/.test(m.topic)), {
      what: 'a status/state message',
    });
    assert.equal(state.payload, sim.control.state);
    const whole = sub.messages.find((m) => /^prusalink\/[^/]+\/status$/.test(m.topic));
    assert.ok(whole, 'no whole-status message');
    assert.equal(JSON.parse(whole.payload).state, sim.control.state);
    const nozzle = sub.messages.find((m) => /\/status\/temp_nozzle$/.test(m.topic));
    assert.ok(nozzle && Number.isFinite(Number(nozzle.payload)), 'no nozzle temperature');
  });

  it('a G-code file published to prusalink/<x>/upload/<name> is stored and printed', async () => {
    assert.equal(sim.control.state, 'IDLE');
    const gcode = path.join(tmp, 'part.gcode');
    fs.writeFileSync(gcode, '; e2e part\nM140 S60\nM104 S215\nG28\nG1 X10 Y10 Z0.2 F3000\nG1 X50 Y10 E5 F1500\n');
    publish(broker.port, 'prusalink/e2e/upload/part.gcode', '', { file: gcode });
    await waitFor(() => sim.control.state === 'PRINTING', { what: `the printer to print\n${nr.log()}` });
    assert.ok(
      sim.control.listFiles().some((f) => /part\.gcode$/i.test(f)),
      `part.gcode not stored (have ${sim.control.listFiles().join(', ')})`,
    );
    assert.deepEqual(sim.control.readFile(sim.control.listFiles().find((f) => /part\.gcode$/i.test(f))), fs.readFileSync(gcode));
    const result = await waitFor(() => sub.messages.find((m) => m.topic === 'prusalink/upload/result'), { what: 'the upload result' });
    assert.doesNotMatch(result.payload, /error/i, `upload result: ${result.payload}`);
    assert.deepEqual(ourLogProblems(nr.log()), []);
  });
});
