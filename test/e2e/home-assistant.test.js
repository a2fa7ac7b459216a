// The "Home Assistant MQTT discovery" example in a real Node-RED (4.1) with a real broker (Mosquitto) and the
// printer simulator: the retained discovery configs carry what Home Assistant requires, the state topic follows a
// simulated print, and a button press (as Home Assistant publishes it) pauses the printer.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { root, LEGS, prerequisites } = require('./lib/env');
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
    const { startSimulator } = require(path.join(root, 'dist', 'sim'));
    const { makeSampleGcode } = require(path.join(root, 'dist', 'sim', 'model', 'sample-gcode'));
    sim = await startSimulator({
      family: 'buddy',
      password: 'ha-e2e-password',
      files: { 'Benchy for HA.gcode': makeSampleGcode({ name: 'benchy', printSeconds: 3600 }) },
    });
    pkg = stagePackage();
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
    const configTopic = (kind, key) => `homeassistant/${kind}/prusa_demo/${key}/config`;
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
        assert.match(c.unique_id, /^prusalink_prusa_demo_/);
        uniqueIds.add(c.unique_id);
        assert.deepEqual(c.device.identifiers, ['prusalink_prusa_demo']);
        for (const f of ['name', 'manufacturer', 'model']) assert.equal(typeof c.device[f], 'string', `device.${f}`);
        assert.equal(c.availability[0].topic, 'prusalink/prusa_demo/availability');
        if (kind === 'sensor') {
          assert.equal(c.state_topic, 'prusalink/prusa_demo/state');
          assert.equal(c.value_template, `{{ value_json.${key} }}`);
        } else {
          assert.equal(c.command_topic, 'prusalink/prusa_demo/command');
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

  it('state and availability follow the printer through a simulated print', async () => {
    await waitFor(() => last('prusalink/prusa_demo/availability') === 'online', { what: 'availability online' });
    const idle = await waitFor(() => last('prusalink/prusa_demo/state'), { what: 'a state message' });
    assert.equal(idle.state, sim.control.state);
    assert.ok(Number.isFinite(idle.temp_nozzle) && Number.isFinite(idle.temp_bed), JSON.stringify(idle));

    sim.control.startPrint('Benchy for HA.gcode');
    const printing = await waitFor(
      () => {
        const s = last('prusalink/prusa_demo/state');
        return s && s.state === 'PRINTING' && s.file === 'Benchy for HA.gcode' && s;
      },
      { timeoutMs: 30000, what: `a PRINTING state with the job's file\n${JSON.stringify(last('prusalink/prusa_demo/state'))}` },
    );
    assert.ok(printing.progress >= 0 && printing.progress <= 100);
    assert.ok(printing.time_remaining > 0, JSON.stringify(printing));
  });

  it('a Pause button press pauses the printer, Resume resumes it', async () => {
    if (sim.control.state !== 'PRINTING') sim.control.startPrint('Benchy for HA.gcode');
    const pause = last('homeassistant/button/prusa_demo/pause/config');
    publish(broker.port, pause.command_topic, pause.payload_press);
    await waitFor(() => sim.control.state === 'PAUSED', { what: `the printer to pause\n${nr.log()}` });
    await waitFor(() => last('prusalink/prusa_demo/state')?.state === 'PAUSED', { timeoutMs: 30000, what: 'PAUSED on the state topic' });

    const resume = last('homeassistant/button/prusa_demo/resume/config');
    publish(broker.port, resume.command_topic, resume.payload_press);
    await waitFor(() => sim.control.state === 'PRINTING', { what: 'the printer to resume' });
    assert.deepEqual(ourLogProblems(nr.log()), []);
  });
});
