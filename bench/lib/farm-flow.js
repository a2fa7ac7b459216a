'use strict';
// The flow of one farm instance for the benchmark, made from the example that the e2e test deploys
// (examples/Printer farm instance over MQTT.json) with as many printer slots as the instance needs, and the
// environment that fills those slots.

const fs = require('node:fs');
const path = require('node:path');

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'Printer farm instance over MQTT.json');
const SLOT_TYPE = /^subflow:/;

/** The example with its slot nodes replaced by `slots` copies of slot 1 (PRINTER_1_* → PRINTER_<n>_*). */
function farmFlow(slots) {
  const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
  const first = example.find((n) => SLOT_TYPE.test(n.type) && n.id === 'farmSlot1');
  if (!first) throw new Error(`no slot farmSlot1 in ${EXAMPLE}`);
  const flow = example.filter((n) => !SLOT_TYPE.test(n.type));
  const text = JSON.stringify(first);
  for (let n = 1; n <= slots; n++) {
    const slot = JSON.parse(text.replace(/PRINTER_1_/g, `PRINTER_${n}_`));
    flow.push({ ...slot, id: `farmSlot${n}`, name: `printer ${n}`, x: 140 + ((n - 1) % 10) * 160, y: 100 + Math.floor((n - 1) / 10) * 40 });
  }
  // Credentials are ${...} placeholders (the example keeps none): Node-RED fills them per subflow instance.
  const credentials = {};
  for (const n of flow) {
    if (n.credentials) {
      credentials[n.id] = n.credentials;
      delete n.credentials;
    }
  }
  return { flow, credentials };
}

/** The environment of one instance: farm, instance id, broker, and its printers in slots 1..n. */
function instanceEnv({ farm, instance, brokerPort, intervalS, printers }) {
  const env = { PRUSALINK_FARM: farm, PRUSALINK_INSTANCE: instance, MQTT_HOST: '127.0.0.1', MQTT_PORT: String(brokerPort) };
  printers.forEach((p, i) => {
    const slot = `PRINTER_${i + 1}_`;
    Object.assign(env, {
      [`${slot}ID`]: p.id,
      [`${slot}HOST`]: p.host,
      [`${slot}PORT`]: String(p.port),
      [`${slot}USER`]: p.user,
      [`${slot}PASSWORD`]: p.password,
      [`${slot}INTERVAL`]: String(intervalS),
    });
  });
  return env;
}

module.exports = { farmFlow, instanceEnv, EXAMPLE };
