'use strict';
// A print farm: one Node-RED runtime (a child process) watching 1, 10, 100 and 200 simulated printers (the simulator
// in another process) with one status node each at a 1 s interval. Node-RED's CPU per second, event-loop delay and
// RSS, and how they grow with the number of printers.
//   --printers=1,10,100,200 (BENCH_FARM_PRINTERS)  --seconds=60 (BENCH_FARM_SECONDS)  --interval=1 (BENCH_FARM_INTERVAL_S)

const path = require('node:path');
const options = require('./lib/options');
const { runNodeJson } = require('./lib/child');
const { startSimProcess } = require('./lib/sim-process');
const { procCpuSeconds } = require('./lib/memory');
const { printTable, reportBudgets, mb, fixed } = require('./lib/table');

const PRINTERS = options.numbers('printers', 'BENCH_FARM_PRINTERS', [1, 10, 100, 200]);
const SECONDS = options.number('seconds', 'BENCH_FARM_SECONDS', 60);
const INTERVAL_S = options.number('interval', 'BENCH_FARM_INTERVAL_S', 1);
const FAMILY = 'buddy';
const WARMUP_S = 5;
const WORKER = path.join(__dirname, 'lib', 'node-red-worker.js');
const CPU_BUDGET = 15;
const LOOP_P99_BUDGET_MS = 20;

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

async function measure(count) {
  const sim = await startSimProcess(FAMILY, count);
  try {
    const printers = sim.urls.map((u) => {
      const url = new URL(u);
      return { host: url.hostname, port: Number(url.port), ...CREDENTIALS };
    });
    const job = { printers, nodesPerPrinter: 1, intervalS: INTERVAL_S, output: 'poll', warmupS: WARMUP_S, seconds: SECONDS };
    const simCpuBefore = procCpuSeconds(sim.pid);
    const r = await runNodeJson(['--expose-gc', WORKER, JSON.stringify(job)]);
    const simCpuAfter = procCpuSeconds(sim.pid);
    // The simulator's CPU over the whole worker life (start-up and warm-up included): context, not a budget.
    r.simCpuSeconds = simCpuAfter - simCpuBefore;
    return r;
  } finally {
    await sim.stop();
  }
}

async function main() {
  console.log(`print-farm: ${PRINTERS.join(', ')} ${FAMILY} printers (Digest), one status node each, interval ${INTERVAL_S} s, ${SECONDS} s measured after ${WARMUP_S} s warm-up`);
  const results = [];
  for (const count of PRINTERS) results.push({ count, ...(await measure(count)) });

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
  reportBudgets('print-farm', [
    { budget: `${largest.count} printers: CPU < ${CPU_BUDGET}% of one core`, measured: `${fixed(largest.cpuPercent, 2)}%`, met: largest.cpuPercent < CPU_BUDGET },
    { budget: `${largest.count} printers: event-loop delay p99 < ${LOOP_P99_BUDGET_MS} ms`, measured: `${fixed(largest.loopP99Ms, 2)} ms`, met: largest.loopP99Ms < LOOP_P99_BUDGET_MS },
  ]);
  // One poll fewer than the window holds is normal: each interval starts when the previous answer arrived.
  const polled = results.every((r) => r.messages >= (0.95 * r.count * r.seconds) / INTERVAL_S - r.count);
  if (!polled) console.log('\nWARNING: some runs saw fewer status messages than printers per interval; see msgs/s above.');
}

main().catch((err) => {
  console.error(`print-farm benchmark failed: ${err.message}`);
  process.exitCode = 1;
});
