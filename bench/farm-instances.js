'use strict';
// A farm over several Node-RED instances and one broker (bench/README.md, "Beyond one machine"): Mosquitto, N
// Node-RED instances each running the farm example (examples/Printer farm instance over MQTT.json) with its share of
// the printers from environment variables, and the simulated printers in a few processes of their own. Over a window
// it measures each instance's CPU (% of one core), RSS and event-loop delay, the broker's CPU and RSS, and the
// messages per second through the broker (heard by one subscriber to the farm, as a dashboard), and checks that every
// printer is published. Every printer prints (started by a command through the broker), so the fields change.
//   --printers=1000 (BENCH_FARMI_PRINTERS)  --instances=4 (BENCH_FARMI_INSTANCES)  --seconds=60 (BENCH_FARMI_SECONDS)
//   --interval=1 (BENCH_FARMI_INTERVAL_S)  --sim-processes=4 (BENCH_FARMI_SIM_PROCESSES)  --warmup=20 (BENCH_FARMI_WARMUP_S)

const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn, spawnSync } = require('node:child_process');
const options = require('./lib/options');
const { startSimProcess } = require('./lib/sim-process');
const { procCpuSeconds } = require('./lib/memory');
const { startBroker } = require('./lib/farm-broker');
const { instanceEnv } = require('./lib/farm-flow');
const { printTable, reportBudgets, mb, fixed } = require('./lib/table');

const PRINTERS = options.number('printers', 'BENCH_FARMI_PRINTERS', 1000);
const INSTANCES = options.number('instances', 'BENCH_FARMI_INSTANCES', 4);
const SECONDS = options.number('seconds', 'BENCH_FARMI_SECONDS', 60);
const INTERVAL_S = options.number('interval', 'BENCH_FARMI_INTERVAL_S', 1);
const SIM_PROCESSES = options.number('sim-processes', 'BENCH_FARMI_SIM_PROCESSES', 4);
// Start-up of 250 printers per instance (detection, the first polls, the MQTT connections) settles in ~10 s.
const WARMUP_S = options.number('warmup', 'BENCH_FARMI_WARMUP_S', 20);
const FARM = 'bench';
const FAMILY = 'buddy';
const CREDENTIALS = { user: 'maker', password: 'password' }; // the simulator's defaults
const PRINT_PATH = '/usb/Benchy 0.2mm PLA.gcode'; // seeded by the simulator's --demo-files, one hour long
const INSTANCE = path.join(__dirname, 'lib', 'farm-instance.js');
// Issue 16's single-instance budget, per instance: 1,000 printers at 1 s under 40 % of one core, loop p99 under 50 ms.
const CPU_BUDGET_PER_1000 = 40;
const LOOP_P99_BUDGET_MS = 50;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** VmRSS of a process, bytes. */
function rssOf(pid) {
  const text = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(text.match(/^VmRSS:\s+(\d+) kB/m)[1]) * 1024;
}

/** Starts one instance process; resolves once its flows run, with { pid, command(line) → JSON reply, stop() }. */
function startInstance(name, slots, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [INSTANCE, String(slots)], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const replies = [];
    const waiting = [];
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      let msg;
      try {
        msg = JSON.parse(line);
      } catch {
        return; // Node-RED's own log lines
      }
      if (waiting.length) waiting.shift()(msg);
      else replies.push(msg);
    });
    const next = () => new Promise((r) => (replies.length ? r(replies.shift()) : waiting.push(r)));
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`instance ${name} exited ${code}: ${err.trim()}`));
    });
    const instance = {
      name,
      pid: child.pid,
      async command(line) {
        child.stdin.write(line + '\n');
        return line === 'report' ? next() : undefined;
      },
      stop: () =>
        new Promise((r) => {
          if (child.exitCode !== null) return r();
          const force = setTimeout(() => child.kill('SIGKILL'), 10000);
          child.once('exit', () => {
            clearTimeout(force);
            r();
          });
          child.stdin.write('stop\n');
        }),
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`instance ${name} did not start within 120 s: ${err.trim()}`));
    }, 120_000);
    next().then((m) => {
      clearTimeout(timer);
      if (m.ready) resolve(instance);
      else reject(new Error(`instance ${name}: ${JSON.stringify(m)}`));
    });
  });
}

/**
 * Publishes prusalink/<farm>/<printer>/cmd/print for every printer (the instances route it to the printer) and
 * waits for the answers on .../cmd/print/result.
 */
async function startPrints(port, printers) {
  const mqtt = require('mqtt'); // Node-RED's own MQTT client (a dev dependency through node-red)
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: `bench-cmd-${process.pid}` });
  const answers = new Map();
  client.on('message', (topic, payload) => answers.set(topic.split('/')[2], JSON.parse(payload.toString())));
  await client.subscribeAsync(`prusalink/${FARM}/+/cmd/print/result`, { qos: 1 });
  // A printer's command subscription is made half a second after its flows start, on its own connection: once every
  // printer's state is on the broker, all of them are up.
  const deadline0 = Date.now() + 180_000;
  let seen = 0;
  while ((seen = retainedStates(port).size) < printers.length && Date.now() < deadline0) await sleep(2000);
  console.log(`printers with a retained state before the prints: ${seen} of ${printers.length}`);
  await sleep(2000);
  for (const p of printers) {
    await client.publishAsync(`prusalink/${FARM}/${p.id}/cmd/print`, JSON.stringify({ id: p.id, path: PRINT_PATH }), { qos: 1 });
  }
  const deadline = Date.now() + 60_000;
  while (answers.size < printers.length && Date.now() < deadline) await sleep(250);
  await client.endAsync();
  const all = [...answers.values()];
  return { ok: all.filter((a) => a.ok).length, firstError: all.find((a) => a.error)?.error?.message };
}

/** A subscriber to the whole farm (as a dashboard would be): stop() resolves with how many messages it heard. */
async function countMessages(port) {
  const mqtt = require('mqtt');
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: `bench-count-${process.pid}` });
  let count = 0;
  client.on('message', (_topic, _payload, packet) => {
    if (!packet.retain) count++; // the retained ones are the state before the window
  });
  await client.subscribeAsync(`prusalink/${FARM}/#`, { qos: 1 });
  return {
    async stop() {
      await client.endAsync();
      return count;
    },
  };
}

/** Every printer whose retained state is on the broker now (one per printer if all are published). */
function retainedStates(port) {
  const res = spawnSync(
    'mosquitto_sub',
    ['-h', '127.0.0.1', '-p', String(port), '-t', `prusalink/${FARM}/+/status/state`, '-v', '--retained-only', '-W', '3', '-i', `bench-retained-${process.pid}`],
    { encoding: 'utf8', timeout: 15000, maxBuffer: 64 * 1024 * 1024 },
  );
  return new Set((res.stdout || '').split('\n').filter(Boolean).map((l) => l.split('/')[2]));
}

async function main() {
  console.log(
    `farm-instances: ${PRINTERS} ${FAMILY} printers (Digest) at ${INTERVAL_S} s over ${INSTANCES} Node-RED instances and one Mosquitto, ` +
      `simulators in ${SIM_PROCESSES} processes; ${SECONDS} s measured after ${WARMUP_S} s warm-up; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`,
  );
  const broker = await startBroker();
  const sims = [];
  const instances = [];
  try {
    const perSim = Math.ceil(PRINTERS / SIM_PROCESSES);
    for (let left = PRINTERS; left > 0; left -= perSim) sims.push(await startSimProcess(FAMILY, Math.min(perSim, left), 60_000, ['--demo-files']));
    const printers = sims.flatMap((s) => s.urls).map((u, i) => {
      const url = new URL(u);
      return { id: `p${String(i + 1).padStart(4, '0')}`, host: url.hostname, port: Number(url.port), ...CREDENTIALS };
    });
    // A static split: printer i to instance i mod N (bench/README.md: a static list per instance).
    const shares = Array.from({ length: INSTANCES }, (_, k) => printers.filter((_, i) => i % INSTANCES === k));
    for (let k = 0; k < INSTANCES; k++) {
      const env = instanceEnv({ farm: FARM, instance: `i${k + 1}`, brokerPort: broker.port, intervalS: INTERVAL_S, printers: shares[k] });
      instances.push(await startInstance(`i${k + 1}`, shares[k].length, env));
    }
    // A printing farm: progress, temperatures and time left change every poll, so the change-only topics flow.
    const started = await startPrints(broker.port, printers);
    console.log(`prints started through the broker: ${started.ok} of ${printers.length}${started.firstError ? ` (first error: ${started.firstError})` : ''}`);
    await sleep(WARMUP_S * 1000);

    const cpu0 = instances.map((i) => procCpuSeconds(i.pid));
    const brokerCpu0 = procCpuSeconds(broker.pid);
    const simCpu0 = sims.map((s) => procCpuSeconds(s.pid));
    const heard = await countMessages(broker.port);
    const t0 = Date.now();
    for (const i of instances) await i.command('reset');
    const rss = instances.map(() => []);
    const brokerRss = [];
    for (let s = 0; s < SECONDS; s++) {
      await sleep(1000);
      instances.forEach((i, k) => rss[k].push(rssOf(i.pid)));
      brokerRss.push(rssOf(broker.pid));
    }
    const elapsed = (Date.now() - t0) / 1000;
    const messages = await heard.stop();
    const reports = [];
    for (const i of instances) reports.push(await i.command('report'));
    const cpu = instances.map((i, k) => ((procCpuSeconds(i.pid) - cpu0[k]) / elapsed) * 100);
    const brokerCpu = ((procCpuSeconds(broker.pid) - brokerCpu0) / elapsed) * 100;
    const simCpu = sims.reduce((a, s, k) => a + (procCpuSeconds(s.pid) - simCpu0[k]), 0) / elapsed * 100;
    const published = retainedStates(broker.port);
    const missing = printers.filter((p) => !published.has(p.id)).map((p) => p.id);
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const perSecond = messages / elapsed;

    printTable(
      'Farm instances (each: its share of the printers, one broker connection per printer and one of its own)',
      ['instance', 'printers', 'CPU % of one core', 'loop delay p50 ms', 'loop delay p99 ms', 'loop delay max ms', 'RSS mean MB', 'RSS peak MB', 'heap MB'],
      instances.map((i, k) => [
        i.name, shares[k].length, fixed(cpu[k], 1), fixed(reports[k].loopP50Ms, 2), fixed(reports[k].loopP99Ms, 2), fixed(reports[k].loopMaxMs, 1),
        mb(mean(rss[k])), mb(Math.max(...rss[k])), mb(reports[k].heapUsed),
      ]),
    );
    printTable('Broker and simulators', ['figure', 'value'], [
      ['Mosquitto CPU % of one core', fixed(brokerCpu, 1)],
      ['Mosquitto RSS mean / peak MB', `${mb(mean(brokerRss))} / ${mb(Math.max(...brokerRss))}`],
      ['messages/s through the broker (prusalink/<farm>/#, as one subscriber hears them)', fixed(perSecond, 0)],
      ['messages/s per printer', fixed(perSecond / PRINTERS, 2)],
      ['printers with a retained state', `${published.size} of ${PRINTERS}${missing.length ? ` (missing: ${missing.slice(0, 5).join(', ')}…)` : ''}`],
      ['simulators CPU % of one core (all processes)', fixed(simCpu, 1)],
      ['Node-RED instances CPU % of one core (sum)', fixed(cpu.reduce((a, b) => a + b, 0), 1)],
      ['window s / load average after', `${fixed(elapsed, 1)} / ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`],
    ]);
    const worstCpu = Math.max(...cpu.map((c, k) => (c / shares[k].length) * 1000));
    const worstP99 = Math.max(...reports.map((r) => r.loopP99Ms));
    reportBudgets('farm-instances', [
      { budget: `every printer published (${PRINTERS})`, measured: String(published.size), met: missing.length === 0 },
      { budget: `every printer printing, started by a command through the broker (${PRINTERS})`, measured: String(started.ok), met: started.ok === PRINTERS },
      { budget: `per instance, scaled to 1,000 printers at 1 s (its base included): CPU < ${CPU_BUDGET_PER_1000} % of one core`, measured: `${fixed(worstCpu * INTERVAL_S, 1)} %`, met: worstCpu * INTERVAL_S < CPU_BUDGET_PER_1000 },
      { budget: `per instance: event-loop p99 < ${LOOP_P99_BUDGET_MS} ms`, measured: `${fixed(worstP99, 2)} ms`, met: worstP99 < LOOP_P99_BUDGET_MS },
    ]);
  } finally {
    for (const i of instances) await i.stop();
    for (const s of sims) await s.stop();
    await broker.stop();
  }
}

main().catch((err) => {
  console.error(err.stack || String(err));
  process.exitCode = 1;
});
