// The "Home Assistant MQTT discovery" example in a real Node-RED (4.1) with a real broker (Mosquitto) and the
// printer simulator, on the farm topic layout of bench/README.md ("Beyond one machine"): the retained discovery
// configs carry what Home Assistant requires, the retained status follows a simulated print (and the sensors'
// value_templates, rendered by Jinja2 as Home Assistant does, read the right fields from it), and a button press
// (as Home Assistant publishes it) pauses the printer and is answered on .../cmd/<action>/result.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { LEGS, prerequisites } = require('./lib/env');
const { waitFor } = require('./lib/net');
const { startNodeRed } = require('./lib/node-red');
const { stagePackage } = require('./lib/package');
const { MOSQUITTO, haveClients, startMosquitto, subscribe, publish } = require('./lib/mosquitto');
const { findExample, localize, placeOnTab, ourLogProblems } = require('./lib/flows');

const example = findExample('^Home Assistant MQTT discovery$');

const skip = prerequisites([
  [MOSQUITTO, 'mosquitto not installed: apt-get install mosquitto'],
  [haveClients, 'mosquitto_pub/mosquitto_sub not installed: apt-get install mosquitto-clients'],
  [example, 'example "Home Assistant MQTT discovery" missing from examples/'],
]);

const SENSORS = ['state', 'progress', 'time_remaining', 'temp_nozzle', 'temp_bed', 'file'];
const BUTTONS = ['pause', 'resume', 'stop'];

// PRUSALINK_FARM is unset in the test (before()), so the example's default farm applies.
const FARM = 'home';
const PRINTER = 'demo_printer_simulator';
const BASE = `prusalink/${FARM}/${PRINTER}`;
const NODE_ID = `${FARM}_${PRINTER}`;

// Home Assistant renders value_template with Jinja2 (sandboxed); StrictUndefined turns a field read that HA would
// only log as a warning into a failure.
// The first Python that has Jinja2: the one on PATH, or Debian's (python3-jinja2, which .ci/run installs if needed).
const PYTHON = ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import jinja2'], { stdio: 'ignore' }).status === 0);
const haveJinja = Boolean(PYTHON);
const RENDER_PY = [
  'import json, sys',
  'from jinja2 import StrictUndefined',
  'from jinja2.sandbox import ImmutableSandboxedEnvironment',
  'd = json.load(sys.stdin)',
  'env = ImmutableSandboxedEnvironment(undefined=StrictUndefined)',
  "print(json.dumps({k: env.from_string(t).render(value_json=d['value'], value=json.dumps(d['value'])) for k, t in d['templates'].items()}))",
].join('\n');

/** Each template of `templates` ({ key: template }) rendered against the MQTT JSON `value`, as strings. */
function render(templates, value) {
  const res = spawnSync(PYTHON, ['-c', RENDER_PY], { input: JSON.stringify({ templates, value }), encoding: 'utf8', timeout: 10000 });
  if (res.status !== 0) throw new Error(`jinja2: ${res.stderr}`);
  return JSON.parse(res.stdout);
}

describe('Home Assistant MQTT discovery example with Mosquitto', { skip }, () => {
  let broker;
  let sim;
  let pkg;
  let nr;
  let sub;

  /** The last message heard on `topic`, parsed as JSON when it is JSON. */
  const last = (topic) => {
    const m = sub.messages.filter((x) => x.topic === topic).at(-1);
    if (!m) return undefined;
    try {
      return JSON.parse(m.payload);
    } catch {
      return m.payload;
    }
  };

  before(async () => {
    broker = await startMosquitto();
    const { startSimulator, makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');
    sim = await startSimulator({
      family: 'buddy',
      password: 'ha-e2e-password',
      files: { 'Benchy for HA.gcode': makeSampleGcode({ name: 'benchy', printSeconds: 3600 }) },
    });
    pkg = stagePackage();
    delete process.env.PRUSALINK_FARM; // the Node-RED child inherits the environment
    nr = await startNodeRed({ leg: LEGS.nr4, userDir: pkg.makeUserDir() });
    await nr.deploy(placeOnTab(localize(example.flows, { sim, mqttPort: broker.port }), 'tabHomeAssistant', example.name));
    // Subscribed after the deploy: what arrives from homeassistant/ now is retained.
    sub = await subscribe(broker.port, '#');
  });
  after(async () => {
    if (sub) await sub.stop();
    if (nr) await nr.stop();
    if (pkg) pkg.cleanup();
    if (sim) await sim.stop();
    if (broker) await broker.stop();
  });

  it('retained discovery configs: every sensor and button with the fields Home Assistant requires', async () => {
    const configTopic = (kind, key) => `homeassistant/${kind}/${NODE_ID}/${key}/config`;
    await waitFor(() => [...SENSORS.map((k) => configTopic('sensor', k)), ...BUTTONS.map((k) => configTopic('button', k))].every((t) => last(t)), {
      what: `all retained discovery configs\n${nr.log()}`,
    });
    const uniqueIds = new Set();
    for (const [kind, keys] of [
      ['sensor', SENSORS],
      ['button', BUTTONS],
    ]) {
      for (const key of keys) {
        const c = last(configTopic(kind, key));
        assert.equal(typeof c.name, 'string', `${kind}/${key} name`);
        assert.equal(c.unique_id, `prusalink_${NODE_ID}_${key}`);
        uniqueIds.add(c.unique_id);
        assert.deepEqual(c.device.identifiers, [`prusalink_${NODE_ID}`]);
        for (const f of ['name', 'manufacturer', 'model']) assert.equal(typeof c.device[f], 'string', `device.${f}`);
        assert.equal(c.availability[0].topic, `${BASE}/availability`);
        if (kind === 'sensor') {
          assert.equal(c.state_topic, `${BASE}/status`);
          assert.equal(typeof c.value_template, 'string', `${kind}/${key} value_template`);
        } else {
          assert.equal(c.command_topic, `${BASE}/cmd/${key}`);
          assert.equal(c.payload_press, key);
        }
      }
    }
    assert.equal(uniqueIds.size, SENSORS.length + BUTTONS.length, 'unique_id values are unique');
    assert.equal(last(configTopic('sensor', 'temp_nozzle')).device_class, 'temperature');
    assert.equal(last(configTopic('sensor', 'temp_nozzle')).unit_of_measurement, '°C');
    assert.equal(last(configTopic('sensor', 'time_remaining')).device_class, 'duration');
    assert.equal(last(configTopic('sensor', 'progress')).unit_of_measurement, '%');
  });

  /** The sensors' value_templates, { key: template }, from their retained discovery configs. */
  const templates = () => Object.fromEntries(SENSORS.map((k) => [k, last(`homeassistant/sensor/${NODE_ID}/${k}/config`).value_template]));

  it('the retained status and availability follow the printer through a simulated print', async () => {
    await waitFor(() => last(`${BASE}/availability`) === 'online', { what: 'availability online' });
    const idle = await waitFor(() => last(`${BASE}/status`), { what: 'a status message' });
    assert.equal(idle.state, sim.control.state);
    assert.ok(Number.isFinite(idle.printer.temp_nozzle) && Number.isFinite(idle.printer.temp_bed), JSON.stringify(idle));

    sim.control.startPrint('Benchy for HA.gcode');
    const printing = await waitFor(
      () => {
        const s = last(`${BASE}/status`);
        return s && s.state === 'PRINTING' && s.job && s;
      },
      { timeoutMs: 30000, what: `a PRINTING status with a job\n${JSON.stringify(last(`${BASE}/status`))}` },
    );
    assert.equal(printing.job.file.display_name || printing.job.file.name, 'Benchy for HA.gcode');
    assert.ok(printing.job.progress >= 0 && printing.job.progress <= 100);
    assert.ok(printing.job.time_remaining > 0, JSON.stringify(printing));
  });

  it("the sensors' value_templates read their fields from the retained status", { skip: !haveJinja && !process.env.CI && 'python3 with jinja2 not installed (apt-get install python3-jinja2)' }, () => {
    const idle = render(templates(), { state: 'IDLE', printer: { state: 'IDLE', temp_nozzle: 24.5, temp_bed: 23 } });
    assert.deepEqual(idle, { state: 'IDLE', progress: '0', time_remaining: '0', temp_nozzle: '24.5', temp_bed: '23', file: '' });

    const status = last(`${BASE}/status`);
    const printing = render(templates(), status);
    assert.equal(printing.state, status.state);
    assert.equal(Number(printing.progress), status.job.progress);
    assert.equal(Number(printing.time_remaining), status.job.time_remaining);
    assert.equal(Number(printing.temp_nozzle), status.printer.temp_nozzle);
    assert.equal(Number(printing.temp_bed), status.printer.temp_bed);
    assert.equal(printing.file, 'Benchy for HA.gcode');

    // What "Printer status to MQTT" retains there once the printer stops answering: no template may fail on it.
    const offline = render(templates(), { state: 'OFFLINE', error: { code: 'UNREACHABLE', message: 'no answer' } });
    assert.equal(offline.state, 'OFFLINE');
    assert.equal(offline.file, '');
  });

  it('a Pause button press pauses the printer, Resume resumes it; each is answered on .../cmd/<action>/result', async () => {
    if (sim.control.state !== 'PRINTING') sim.control.startPrint('Benchy for HA.gcode');
    const pause = last(`homeassistant/button/${NODE_ID}/pause/config`);
    publish(broker.port, pause.command_topic, pause.payload_press);
    await waitFor(() => sim.control.state === 'PAUSED', { what: `the printer to pause\n${nr.log()}` });
    assert.deepEqual(await waitFor(() => last(`${BASE}/cmd/pause/result`), { what: 'the answer to pause' }), { ok: true });
    await waitFor(() => last(`${BASE}/status`)?.state === 'PAUSED', { timeoutMs: 30000, what: 'PAUSED in the retained status' });

    // Another client's command with an id to find its answer by.
    const resume = last(`homeassistant/button/${NODE_ID}/resume/config`);
    publish(broker.port, resume.command_topic, JSON.stringify({ id: 'e2e-resume-1' }));
    await waitFor(() => sim.control.state === 'PRINTING', { what: 'the printer to resume' });
    assert.deepEqual(await waitFor(() => last(`${BASE}/cmd/resume/result`), { what: 'the answer to resume' }), { id: 'e2e-resume-1', ok: true });
    assert.deepEqual(ourLogProblems(nr.log()), []);
  });

  it('a command the printer refuses is answered with the error', async () => {
    // Resuming a print that is not paused is a conflict on the printer.
    assert.equal(sim.control.state, 'PRINTING');
    const before = sub.messages.length;
    publish(broker.port, `${BASE}/cmd/resume`, 'resume');
    const answer = await waitFor(
      () => {
        const m = sub.messages.slice(before).find((x) => x.topic === `${BASE}/cmd/resume/result`);
        return m && JSON.parse(m.payload);
      },
      { what: `the answer to a refused resume\n${nr.log()}` },
    );
    assert.equal(answer.ok, undefined, JSON.stringify(answer));
    assert.equal(typeof answer.error.message, 'string');
  });

  it('a command for another farm or printer is not acted on', async () => {
    const before = sub.messages.length;
    publish(broker.port, `prusalink/another_farm/${PRINTER}/cmd/stop`, 'stop');
    publish(broker.port, `prusalink/${FARM}/another_printer/cmd/stop`, 'stop');
    // Published after the two: its answer means the two before it have been through the command function.
    publish(broker.port, `${BASE}/cmd/pause`, JSON.stringify({ id: 'e2e-marker' }));
    await waitFor(() => sub.messages.slice(before).some((m) => m.topic === `${BASE}/cmd/pause/result`), { what: 'the answer to pause' });
    assert.equal(sim.control.state, 'PAUSED');
    assert.deepEqual(
      sub.messages.slice(before).filter((m) => /\/result$/.test(m.topic)).map((m) => m.topic),
      [`${BASE}/cmd/pause/result`],
    );
  });

  it('an unreachable printer makes the entities unavailable', async () => {
    await sim.control.refuse();
    await waitFor(() => last(`${BASE}/availability`) === 'offline', { timeoutMs: 40000, what: `availability offline\n${nr.log()}` });
  });
});
