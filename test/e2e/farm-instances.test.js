// A farm over several Node-RED instances and one broker, run for real (bench/README.md, "Beyond one machine"):
// Mosquitto, two Node-RED 4.1 instances deployed with the same flow file (examples/Printer farm instance over
// MQTT.json), each with its own printer list from environment variables, and four simulated printers split between
// them. Instance A polls every 1 s, instance B every 2.5 s, so that the simulators' recorded requests tell which
// instance polls a printer, and how many do.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { LEGS, prerequisites } = require('./lib/env');
const { waitFor } = require('./lib/net');
const { startNodeRed } = require('./lib/node-red');
const { stagePackage } = require('./lib/package');
const { MOSQUITTO, haveClients, startMosquitto, subscribe, publish } = require('./lib/mosquitto');
const { findExample, ourLogProblems } = require('./lib/flows');

const farmExample = findExample('^Printer farm instance over MQTT$');
const FARM = 'e2e_farm';
const PASSWORD = 'farm-e2e-password';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Two printers per instance, one of each family that logs in with Digest; the slots are the same on both instances
// (PRINTER_1_..., PRINTER_2_...), only the environment differs.
const INSTANCES = {
  a: { intervalS: 1, printers: [{ id: 'mk4_1', family: 'buddy' }, { id: 'mk3_2', family: 'pi' }] },
  b: { intervalS: 2.5, printers: [{ id: 'mk4_3', family: 'buddy' }, { id: 'mk3_4', family: 'pi' }] },
};
const ALL = Object.values(INSTANCES).flatMap((i) => i.printers);
const base = (id) => `prusalink/${FARM}/${id}`;

const skip = prerequisites([
  [MOSQUITTO, 'mosquitto not installed: apt-get install mosquitto'],
  [haveClients, 'mosquitto_pub/mosquitto_sub not installed: apt-get install mosquitto-clients'],
  [farmExample, 'example "Printer farm instance over MQTT" missing from examples/'],
]);

/** The instance's environment: farm, instance id, broker, and its printers in slots 1, 2, ... */
function instanceEnv(name, brokerPort, sims) {
  const env = { PRUSALINK_FARM: FARM, PRUSALINK_INSTANCE: name, MQTT_HOST: '127.0.0.1', MQTT_PORT: String(brokerPort) };
  INSTANCES[name].printers.forEach((p, i) => {
    const slot = `PRINTER_${i + 1}_`;
    Object.assign(env, {
      [`${slot}ID`]: p.id,
      [`${slot}HOST`]: sims[p.id].host,
      [`${slot}PORT`]: String(sims[p.id].port),
      [`${slot}USER`]: sims[p.id].credentials.user,
      [`${slot}PASSWORD`]: sims[p.id].credentials.password,
      [`${slot}INTERVAL`]: String(INSTANCES[name].intervalS),
    });
  });
  return env;
}

/** What a client connecting now gets: the retained messages under the farm, as topic → payload. */
function retainedNow(port) {
  const res = spawnSync(
    'mosquitto_sub',
    ['-h', '127.0.0.1', '-p', String(port), '-t', `prusalink/${FARM}/#`, '-v', '--retained-only', '-W', '2', '-i', `e2e-retained-${process.pid}`],
    { encoding: 'utf8', timeout: 10000 },
  );
  const out = {};
  for (const line of res.stdout.split('\n').filter(Boolean)) {
    const i = line.indexOf(' ');
    out[i < 0 ? line : line.slice(0, i)] = i < 0 ? '' : line.slice(i + 1);
  }
  return out;
}

/** A printer's status polls (the request the client makes once per poll on both families) in [from, to). */
const statusPolls = (sim, from, to = Infinity) =>
  sim.control.requests().filter((r) => r.path === '/api/v1/status' && r.time >= from && r.time < to).length;
const commandsSince = (sim, from) => sim.control.requests().filter((r) => r.method !== 'GET' && r.time >= from);

describe('a farm over two Node-RED instances and one broker', { skip }, () => {
  const sims = {};
  const nr = {};
  let broker;
  let pkg;
  let sub;
  const started = Date.now();

  before(async () => {
    broker = await startMosquitto();
    const { startSimulator, makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');
    for (const p of ALL) {
      sims[p.id] = await startSimulator({
        family: p.family,
        password: PASSWORD,
        files: { 'part.gcode': makeSampleGcode({ name: 'part', printSeconds: 600 }) },
      });
    }
    pkg = stagePackage();
    sub = await subscribe(broker.port, 'prusalink/#');
    const names = Object.keys(INSTANCES);
    // Each one recorded as soon as it runs, so that after() stops it even when the other fails to start.
    await Promise.all(
      names.map(async (name) => {
        nr[name] = await startNodeRed({ leg: LEGS.nr4, userDir: pkg.makeUserDir(), env: instanceEnv(name, broker.port, sims) });
      }),
    );
    // The same flow file on both, as it is in examples/ (credentials are ${...} placeholders, filled from the env).
    await Promise.all(names.map((name) => nr[name].deploy(farmExample.flows)));
  });
  after(async () => {
    if (sub) await sub.stop();
    for (const n of Object.values(nr)) await n.stop();
    if (pkg) pkg.cleanup();
    for (const s of Object.values(sims)) await s.stop();
    if (broker) await broker.stop();
    console.log(`# farm-instances: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  const last = (topic) => sub.messages.filter((m) => m.topic === topic).at(-1)?.payload;
  const logs = () => Object.entries(nr).map(([name, n]) => `--- instance ${name} ---\n${n.log()}`).join('\n');

  it("every printer's retained status appears once under prusalink/<farm>/<printer>/, and the unused slots publish nothing", async () => {
    await waitFor(() => ALL.every((p) => last(`${base(p.id)}/status/state`) && last(`${base(p.id)}/availability`) === 'online'), {
      what: `every printer's state and availability\n${logs()}`,
    });
    const retained = retainedNow(broker.port);
    const printersSeen = [...new Set(Object.keys(retained).map((t) => t.split('/')[2]))].filter((id) => id !== '_instances').sort();
    assert.deepEqual(printersSeen, ALL.map((p) => p.id).sort(), 'one subtree per configured printer, none for the 6 unused slots of each instance');
    for (const p of ALL) {
      const whole = JSON.parse(retained[`${base(p.id)}/status`]);
      assert.equal(whole.state, sims[p.id].control.state, p.id);
      assert.equal(retained[`${base(p.id)}/status/state`], sims[p.id].control.state, p.id);
      assert.ok(Number.isFinite(Number(retained[`${base(p.id)}/status/temp_nozzle`])), `${p.id} temp_nozzle`);
      assert.equal(retained[`${base(p.id)}/availability`], 'online', p.id);
    }
    assert.equal(retained[`prusalink/${FARM}/_instances/a/online`], 'true');
    assert.equal(retained[`prusalink/${FARM}/_instances/b/online`], 'true');
    const strays = sub.messages.filter((m) => !m.topic.startsWith(`prusalink/${FARM}/`) && !/e2e-probe$/.test(m.topic));
    assert.deepEqual(strays, [], 'nothing outside prusalink/<farm>/');
    for (const n of Object.values(nr)) assert.deepEqual(ourLogProblems(n.log()), []);
  });

  it("each printer is polled by exactly one instance, at that instance's interval", async () => {
    const from = Date.now();
    const windowMs = 10000;
    await sleep(windowMs);
    for (const [name, inst] of Object.entries(INSTANCES)) {
      const expected = windowMs / 1000 / inst.intervalS;
      for (const p of inst.printers) {
        const polls = statusPolls(sims[p.id], from, from + windowMs);
        // Both instances polling it would be 10 + 4 = 14 polls; either one alone is 10 (A) or 4 (B). The upper bound
        // stays below 14; the lower one leaves room for a loaded machine, where polls come late, never early.
        assert.ok(polls >= expected * 0.5 && polls <= expected * 1.25 + 1, `${p.id} (instance ${name}): ${polls} polls in ${windowMs} ms, expected ~${expected}`);
      }
    }
  });

  it('a command published on the broker reaches the right printer through its instance, and its result comes back', async () => {
    const from = Date.now();
    const target = sims.mk4_3; // instance B's
    const file = target.control.listFiles().find((f) => /part\.gcode$/i.test(f));
    assert.ok(file, `no part.gcode on the printer: ${target.control.listFiles().join(', ')}`);
    publish(broker.port, `${base('mk4_3')}/cmd/print`, JSON.stringify({ id: 'c1', path: file }));
    await waitFor(() => last(`${base('mk4_3')}/cmd/print/result`), { what: `the print result\n${logs()}` });
    assert.deepEqual(JSON.parse(last(`${base('mk4_3')}/cmd/print/result`)), { id: 'c1', ok: true });
    await waitFor(() => target.control.state === 'PRINTING', { what: 'the printer to print' });
    for (const p of ALL.filter((x) => x.id !== 'mk4_3')) assert.deepEqual(commandsSince(sims[p.id], from), [], `${p.id} got a command`);
    // A failing command on instance A's printer: the printer's error comes back as the answer.
    publish(broker.port, `${base('mk3_2')}/cmd/print`, JSON.stringify({ id: 'c2', path: '/local/missing.gcode' }));
    await waitFor(() => last(`${base('mk3_2')}/cmd/print/result`), { what: `the failed print's result\n${logs()}` });
    const failed = JSON.parse(last(`${base('mk3_2')}/cmd/print/result`));
    assert.equal(failed.id, 'c2');
    assert.equal(failed.ok, undefined);
    assert.equal(typeof failed.error.code, 'string');
    assert.deepEqual(
      sub.messages.filter((m) => /\/cmd\/print\/result$/.test(m.topic)).map((m) => m.topic),
      [`${base('mk4_3')}/cmd/print/result`, `${base('mk3_2')}/cmd/print/result`],
      'one answer per command: only the instance that has the printer answers',
    );
  });

  it("when instance A dies, its last will marks it offline, its printers' availability goes offline, and B's printers keep updating", async () => {
    const killedAt = Date.now();
    process.kill(nr.a.pid, 'SIGKILL'); // no clean disconnect: the broker sends the last wills
    await nr.a.stop();
    await waitFor(() => last(`prusalink/${FARM}/_instances/a/online`) === 'false', { what: "instance a's last will" });
    for (const p of INSTANCES.a.printers) {
      await waitFor(() => last(`${base(p.id)}/availability`) === 'offline', { what: `${p.id} availability offline` });
    }
    const heardAt = sub.messages.length;
    await sleep(6000);
    for (const p of INSTANCES.a.printers) assert.equal(statusPolls(sims[p.id], killedAt + 500), 0, `${p.id} still polled`);
    for (const p of INSTANCES.b.printers) assert.ok(statusPolls(sims[p.id], killedAt + 500) >= 2, `${p.id} no longer polled`);
    // The printing printer's progress and temperatures change: B keeps publishing them.
    const fresh = sub.messages.slice(heardAt).filter((m) => m.topic.startsWith(`${base('mk4_3')}/status`));
    assert.ok(fresh.length > 0, `no new status of mk4_3 after instance a died\n${nr.b.log()}`);
    const retained = retainedNow(broker.port);
    assert.equal(retained[`prusalink/${FARM}/_instances/b/online`], 'true');
    for (const p of INSTANCES.b.printers) assert.equal(retained[`${base(p.id)}/availability`], 'online', p.id);
    for (const p of INSTANCES.a.printers) assert.equal(retained[`${base(p.id)}/availability`], 'offline', p.id);

    // Commands: B still answers for its printer; nobody takes A's.
    const from = Date.now();
    publish(broker.port, `${base('mk4_3')}/cmd/pause`, JSON.stringify({ id: 'c3' }));
    publish(broker.port, `${base('mk4_1')}/cmd/pause`, JSON.stringify({ id: 'c4' }));
    await waitFor(() => last(`${base('mk4_3')}/cmd/pause/result`), { what: `the pause result\n${nr.b.log()}` });
    assert.deepEqual(JSON.parse(last(`${base('mk4_3')}/cmd/pause/result`)), { id: 'c3', ok: true });
    await waitFor(() => sims.mk4_3.control.state === 'PAUSED', { what: 'the printer to pause' });
    await sleep(1000);
    assert.equal(last(`${base('mk4_1')}/cmd/pause/result`), undefined, 'an answer for the dead instance');
    assert.deepEqual(commandsSince(sims.mk4_1, from), []);
    assert.deepEqual(ourLogProblems(nr.b.log()), []);
  });
});
