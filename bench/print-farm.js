'use strict';
// A print farm: one Node-RED runtime (a child process) watching 1 to 1,000 simulated printers (the simulators in other
// processes) with one status node each at a 1 s interval. Node-RED's CPU per second, event-loop delay and RSS, and
// how they grow with the number of printers. At the largest count the same status GETs are also made without
// Node-RED, each in a worker of its own measured the same way (floor-worker.js): bare node:http (the floor), axios
// alone, our client alone; every row is read as a ratio to the floor of the same run, since the machine is shared.
//   --printers=1,10,100,200,500,1000 (BENCH_FARM_PRINTERS)  --seconds=60 (BENCH_FARM_SECONDS)
//   --interval=1 (BENCH_FARM_INTERVAL_S)  --floors=1 (BENCH_FARM_FLOORS; 0 = no floor rows)

const path = require('node:path');
const options = require('./lib/options');
const { runNodeJson } = require('./lib/child');
const { startSimProcess } = require('./lib/sim-process');
const { procCpuSeconds } = require('./lib/memory');
const { printTable, reportBudgets, mb, fixed } = require('./lib/table');

const PRINTERS = options.numbers('printers', 'BENCH_FARM_PRINTERS', [1, 10, 100, 200, 500, 1000]);
const SECONDS = options.number('seconds', 'BENCH_FARM_SECONDS', 60);
const INTERVAL_S = options.number('interval', 'BENCH_FARM_INTERVAL_S', 1);
const FLOORS = options.flag('floors', 'BENCH_FARM_FLOORS', true);
const FAMILY = 'buddy';
const WARMUP_S = 5;
const WORKER = path.join(__dirname, 'lib', 'node-red-worker.js');
const FLOOR_WORKER = path.join(__dirname, 'lib', 'floor-worker.js');
// Budgets by printer count (those of the counts measured apply): the for 1,000, the earlier one for 200.
const BUDGETS = [
  { printers: 200, cpuPercent: 15, loopP99Ms: 20 },
  { printers: 1000, cpuPercent: 40, loopP99Ms: 50 },
];
// The floor rows at the largest count, cheapest first; the Node-RED row is the one measured with the others.
const FLOOR_ROWS = [
  { mode: 'node-http', label: 'bare node:http, keep-alive, Digest by hand (the floor)' },
  { mode: 'axios', label: 'axios alone, same agent and header' },
  { mode: 'client', label: 'our PrusaLinkClient alone, status()' },
];

// The simulator's defaults (buddy: user maker, password "password"); Digest, the scheme people set up on an MK4.
const CREDENTIALS = { user: 'maker', password: 'password' };

/** Least-squares slope of y over x. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const num = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
  const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return den === 0 ? NaN : num / den;
}

function printersOf(sim) {
  return sim.urls.map((u) => {
    const url = new URL(u);
    return { host: url.hostname, port: Number(url.port), ...CREDENTIALS };
  });
}

/** Runs one worker against the simulators; adds the simulators' CPU over the worker's whole life (context only). */
async function runWorker(sim, args) {
  const simCpuBefore = sim.cpuSeconds();
  const r = await runNodeJson(args);
  r.simCpuSeconds = sim.cpuSeconds() - simCpuBefore;
  return r;
}

async function measure(count, withFloors) {
  const sim = await startSimProcesses(FAMILY, count);
  try {
    const printers = printersOf(sim);
    const job = { printers, nodesPerPrinter: 1, intervalS: INTERVAL_S, output: 'poll', warmupS: WARMUP_S, seconds: SECONDS };
    const nodeRed = await runWorker(sim, ['--expose-gc', WORKER, JSON.stringify(job)]);
    const floors = [];
    if (withFloors) {
      for (const row of FLOOR_ROWS) {
        const floorJob = { mode: row.mode, printers, intervalS: INTERVAL_S, warmupS: WARMUP_S, seconds: SECONDS };
        floors.push({ ...row, ...(await runWorker(sim, ['--expose-gc', FLOOR_WORKER, JSON.stringify(floorJob)])) });
      }
    }
    return { nodeRed, floors };
  } finally {
    await sim.stop();
  }
}

/** The printers over processes of at most SIM_PER_PROCESS each, so that the simulators are not the bottleneck. */
const SIM_PER_PROCESS = 500;
async function startSimProcesses(family, count) {
  const sizes = [];
  for (let left = count; left > 0; left -= SIM_PER_PROCESS) sizes.push(Math.min(SIM_PER_PROCESS, left));
  const sims = [];
  try {
    for (const size of sizes) sims.push(await startSimProcess(family, size));
  } catch (err) {
    await Promise.all(sims.map((s) => s.stop()));
    throw err;
  }
  return {
    urls: sims.flatMap((s) => s.urls),
    cpuSeconds: () => sims.reduce((sum, s) => sum + procCpuSeconds(s.pid), 0),
    stop: () => Promise.all(sims.map((s) => s.stop())),
  };
}

async function main() {
  console.log(`print-farm: ${PRINTERS.join(', ')} ${FAMILY} printers (Digest), one status node each, interval ${INTERVAL_S} s, ${SECONDS} s measured after ${WARMUP_S} s warm-up`);
  const results = [];
  let floors = [];
  for (const [i, count] of PRINTERS.entries()) {
    const m = await measure(count, FLOORS && i === PRINTERS.length - 1);
    results.push({ count, ...m.nodeRed });
    if (m.floors.length) floors = [...m.floors, { label: 'Node-RED, one status node per printer (the farm above)', ...m.nodeRed }];
  }

  printTable(
    'Node-RED watching a farm',
    ['printers', 'msgs/s (expected)', 'CPU % of one core', 'loop delay p50 ms', 'loop delay p99 ms', 'loop delay max ms', 'RSS mean MB', 'RSS peak MB', 'heap mean MB', 'simulator CPU s (whole run)'],
    results.map((r) => [
      r.count, `${fixed(r.messages / r.seconds, 1)} (${fixed(r.count / INTERVAL_S, 0)})`, fixed(r.cpuPercent, 2),
      fixed(r.loopP50Ms, 2), fixed(r.loopP99Ms, 2), fixed(r.loopMaxMs, 1), mb(r.rssMean), mb(r.rssPeak), mb(r.heapMean), fixed(r.simCpuSeconds, 1),
    ]),
  );

  if (results.length >= 2) {
    const xs = results.map((r) => r.count);
    printTable('Growth with the number of printers (least-squares slope over all points)', ['figure', 'per 100 printers', 'at 1 printer'], [
      ['CPU, % of one core', fixed(slope(xs, results.map((r) => r.cpuPercent)) * 100, 2), fixed(results[0].cpuPercent, 2)],
      ['RSS, MB', fixed(slope(xs, results.map((r) => r.rssMean / 1e6)) * 100, 1), mb(results[0].rssMean)],
      ['heap used, MB', fixed(slope(xs, results.map((r) => r.heapMean / 1e6)) * 100, 1), mb(results[0].heapMean)],
      ['loop delay p99, ms', fixed(slope(xs, results.map((r) => r.loopP99Ms)) * 100, 2), fixed(results[0].loopP99Ms, 2)],
    ]);
  }

  const largest = results[results.length - 1];
  if (floors.length) {
    // On a starved machine a row may answer fewer polls than asked: the ratio is taken per answer.
    const perThousand = (f) => (f.cpuPercent / (f.messages / f.seconds)) * 1000;
    const floor = perThousand(floors[0]);
    printTable(
      `Floors at ${largest.count} printers: the same status GET per printer per interval, each in a process of its own, same run`,
      ['what polls', 'answers/s (expected)', 'CPU % of one core', 'CPU % per 1,000 answers/s', 'ratio to the floor', 'loop delay p99 ms', 'RSS mean MB', 'simulator CPU s (whole run)'],
      floors.map((f) => [
        f.label, `${fixed(f.messages / f.seconds, 1)} (${fixed(largest.count / INTERVAL_S, 0)})`, fixed(f.cpuPercent, 2),
        fixed(perThousand(f), 2), fixed(perThousand(f) / floor, 2), fixed(f.loopP99Ms, 2), mb(f.rssMean), fixed(f.simCpuSeconds, 1),
      ]),
    );
  }
  const checks = [];
  for (const b of BUDGETS) {
    const r = results.find((x) => x.count === b.printers);
    if (!r) continue;
    checks.push(
      { budget: `${r.count} printers: CPU < ${b.cpuPercent}% of one core`, measured: `${fixed(r.cpuPercent, 2)}%`, met: r.cpuPercent < b.cpuPercent },
      { budget: `${r.count} printers: event-loop delay p99 < ${b.loopP99Ms} ms`, measured: `${fixed(r.loopP99Ms, 2)} ms`, met: r.loopP99Ms < b.loopP99Ms },
    );
  }
  if (checks.length) reportBudgets('print-farm', checks);
  // One poll fewer than the window holds is normal: each interval starts when the previous answer arrived.
  const polled = results.every((r) => r.messages >= (0.95 * r.count * r.seconds) / INTERVAL_S - r.count);
  if (!polled) console.log('\nWARNING: some runs saw fewer status messages than printers per interval; see msgs/s above.');
}

main().catch((err) => {
  console.error(`print-farm benchmark failed: ${err.message}`);
  process.exitCode = 1;
});
