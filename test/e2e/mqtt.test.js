// The MQTT examples in a real Node-RED (4.1) with a real broker (Mosquitto) and the printer simulator, on the
// farm topic layout of bench/README.md ("Beyond one machine"): a G-code file published to
// prusalink/<farm>/<printer>/cmd/upload/<name> is uploaded and printed (other farms' and printers' uploads are not),
// and the printer's status appears under prusalink/<farm>/<printer>/status/..., OFFLINE once it stops answering.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { LEGS, prerequisites } = require('./lib/env');
const { waitFor } = require('./lib/net');
const { startNodeRed } = require('./lib/node-red');
const { stagePackage } = require('./lib/package');
const { MOSQUITTO, haveClients, startMosquitto, subscribe, publish } = require('./lib/mosquitto');
const { findExample, localize, placeOnTab, ourLogProblems } = require('./lib/flows');

const uploadExample = findExample('^MQTT message uploads and prints a file$');
const statusExample = findExample('^printer status to MQTT$');

// The farm comes from the environment of the Node-RED process (the examples' PRUSALINK_FARM); the printer id is
// the examples' printer config node's name ("Demo printer (simulator)") as one topic level.
const FARM = 'e2e_farm';
const PRINTER = 'demo_printer_simulator';
const BASE = `prusalink/${FARM}/${PRINTER}`;

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
    const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
    sim = await startSimulator({ family: 'buddy', password: 'mqtt-e2e-password' });
    pkg = stagePackage();
    process.env.PRUSALINK_FARM = FARM; // inherited by the Node-RED child process
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

  /** The last message heard on `topic`; mosquitto_sub prints an empty payload as "(null)". */
  const last = (topic) => {
    const m = sub.messages.filter((x) => x.topic === topic).at(-1);
    return m && { ...m, payload: m.payload === '(null)' ? '' : m.payload };
  };

  it('publishes the printer status under prusalink/<farm>/<printer>/status', async () => {
    // Each field is its own QoS 0 message, published one after the other: wait for every topic asserted below, not
    // only for the first one (waiting for state alone failed once when temp_bed had not arrived yet).
    const topics = ['', '/state', '/temp_nozzle', '/temp_bed', '/progress', '/time_remaining', '/job_file'].map((t) => `${BASE}/status${t}`);
    await waitFor(() => topics.every((t) => last(t)), {
      what: `a message on each of ${topics.join(', ')}\n${nr.log()}`,
    });
    const state = last(`${BASE}/status/state`);
    assert.equal(state.payload, sim.control.state);
    const whole = last(`${BASE}/status`);
    assert.equal(JSON.parse(whole.payload).state, sim.control.state);
    for (const key of ['temp_nozzle', 'temp_bed']) {
      assert.ok(Number.isFinite(Number(last(`${BASE}/status/${key}`)?.payload)), `no ${key}`);
    }
    // No job: the job's fields are there, empty.
    for (const key of ['progress', 'time_remaining', 'job_file']) assert.equal(last(`${BASE}/status/${key}`)?.payload, '', key);
    const strays = sub.messages.filter((m) => m.topic.startsWith('prusalink/') && !m.topic.startsWith(`${BASE}/`) && !/e2e-probe$/.test(m.topic));
    assert.deepEqual(strays, [], 'every status message is under prusalink/<farm>/<printer>/');
  });

  it("a G-code file published to prusalink/<farm>/<printer>/cmd/upload/<name> is stored and printed; other farms' and printers' are not", async () => {
    assert.equal(sim.control.state, 'IDLE');
    const gcode = path.join(tmp, 'part.gcode');
    fs.writeFileSync(gcode, '; e2e part\nM140 S60\nM104 S215\nG28\nG1 X10 Y10 Z0.2 F3000\nG1 X50 Y10 E5 F1500\n');
    // Published first: had either been taken, the upload node (one transfer at a time) would store it before part.gcode.
    publish(broker.port, `prusalink/another_farm/${PRINTER}/cmd/upload/elsewhere.gcode`, '', { file: gcode });
    publish(broker.port, `prusalink/${FARM}/another_printer/cmd/upload/other.gcode`, '', { file: gcode });
    publish(broker.port, `${BASE}/cmd/upload/part.gcode`, '', { file: gcode });
    const result = await waitFor(() => last(`${BASE}/cmd/upload/result`), { what: `the upload result\n${nr.log()}` });
    const answer = JSON.parse(result.payload);
    assert.equal(answer.ok, true, `upload result: ${result.payload}`);
    assert.match(answer.path, /part\.gcode$/i);
    assert.equal(answer.printStarted, true);
    await waitFor(() => sim.control.state === 'PRINTING', { what: `the printer to print\n${nr.log()}` });
    const stored = sim.control.listFiles();
    const part = stored.find((f) => /part\.gcode$/i.test(f));
    assert.ok(part, `part.gcode not stored (have ${stored.join(', ')})`);
    assert.deepEqual(sim.control.readFile(part), fs.readFileSync(gcode));
    assert.ok(!stored.some((f) => /(elsewhere|other)\.gcode$|\/result$/i.test(f)), `stored for another farm or printer: ${stored.join(', ')}`);
    assert.deepEqual(
      sub.messages.filter((m) => /\/cmd\/upload\/result$/.test(m.topic)).map((m) => m.topic),
      [`${BASE}/cmd/upload/result`],
      'one answer, on the printer that was addressed',
    );
    assert.deepEqual(ourLogProblems(nr.log()), []);
  });

  it('a failed upload answers with the error on .../cmd/upload/result', async () => {
    // The printer is printing part.gcode: a second "upload and print" stores the file but cannot start it.
    const before = sub.messages.length;
    publish(broker.port, `${BASE}/cmd/upload/second.gcode`, '; second\nG28\n');
    const result = await waitFor(() => sub.messages.slice(before).find((m) => m.topic === `${BASE}/cmd/upload/result`), {
      what: `the second upload's answer\n${nr.log()}`,
    });
    const answer = JSON.parse(result.payload);
    assert.equal(answer.ok, undefined, result.payload);
    assert.equal(typeof answer.error.message, 'string', result.payload);
    assert.equal(typeof answer.error.code, 'string', result.payload);
  });

  it('an unreachable printer is retained as OFFLINE', async () => {
    await sim.control.refuse();
    // state, the whole status and progress are separate messages: wait until all three tell of the outage
    const wholeIsOffline = () => {
      const m = last(`${BASE}/status`);
      return m && JSON.parse(m.payload).state === 'OFFLINE' ? m : undefined;
    };
    const offline = await waitFor(
      () => last(`${BASE}/status/state`)?.payload === 'OFFLINE' && last(`${BASE}/status/progress`)?.payload === '' && wholeIsOffline(),
      { timeoutMs: 40000, what: `OFFLINE on ${BASE}/status/state and ${BASE}/status\n${nr.log()}` },
    );
    const whole = JSON.parse(offline.payload);
    assert.equal(whole.state, 'OFFLINE');
    assert.equal(typeof whole.error.code, 'string');
    assert.equal(last(`${BASE}/status/progress`)?.payload, '');
  });
});
