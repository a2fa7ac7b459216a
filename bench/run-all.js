'use strict';
// Runs the six benchmarks one after another (each in its own process) and prints a summary of the budgets.
// Settings pass through as BENCH_* environment variables (see bench/README.md); the defaults are the values
// and the whole run takes about 10 minutes on 2 cores (farm-instances.js: about 3 of them; shorten it with
// BENCH_FARMI_PRINTERS, BENCH_FARMI_INSTANCES, BENCH_FARMI_SECONDS, BENCH_FARMI_WARMUP_S).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { describeMachine } = require('./lib/machine');
const { printTable, verdict } = require('./lib/table');

const BENCHMARKS = ['upload.js', 'requests-per-call.js', 'shared-polling.js', 'print-farm.js', 'listing.js', 'farm-instances.js'];

function main() {
  const summaryFile = path.join(os.tmpdir(), `prusalink-bench-summary-${process.pid}.jsonl`);
  const env = { ...process.env, BENCH_SUMMARY_FILE: summaryFile };

  printTable('Machine', ['', ''], describeMachine());
  const started = Date.now();
  const failed = [];
  const durations = [];
  try {
    for (const script of BENCHMARKS) {
      console.log(`\n## ${script}`);
      const t0 = Date.now();
      const run = spawnSync(process.execPath, [path.join(__dirname, script)], { stdio: 'inherit', env });
      durations.push([script, ((Date.now() - t0) / 1000).toFixed(0), run.status === 0 ? 'ok' : `failed (${run.status ?? run.signal})`]);
      if (run.status !== 0) failed.push(script);
    }
    const checks = fs.existsSync(summaryFile)
      ? fs.readFileSync(summaryFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
      : [];
    printTable('Budgets, all benchmarks', ['benchmark', 'budget', 'measured', 'verdict'], checks.map((c) => [c.bench, c.budget, c.measured, verdict(c.met)]));
    printTable('Durations', ['benchmark', 'seconds', 'result'], durations);
    console.log(`\nTotal: ${((Date.now() - started) / 1000).toFixed(0)} s; load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
  } finally {
    fs.rmSync(summaryFile, { force: true });
  }
  if (failed.length) {
    console.error(`\nFailed to run: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main();
