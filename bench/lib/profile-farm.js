'use strict';
// CPU profiles of the farm's workers: starts the simulators, runs each worker at the same count and interval as
// print-farm.js with the V8 profiler on over the measured window only (BENCH_CPU_PROFILE, self-measure.js), and
// prints the self-time summary of each profile.
// Usage: node bench/lib/profile-farm.js [--printers=1000] [--seconds=20] [--modes=node-http,axios,client,node-red]
//   The .cpuprofile files stay in a folder under os.tmpdir() (printed), for Chrome DevTools or speedscope.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const options = require('./options');
const { runNodeJson } = require('./child');
const { startSimProcess } = require('./sim-process');
const { summarize } = require('./cpuprofile-summary');

const COUNT = options.numbers('printers', 'BENCH_FARM_PRINTERS', [1000]).at(-1);
const SECONDS = options.number('seconds', 'BENCH_FARM_SECONDS', 20);
const MODES = (process.argv.find((a) => a.startsWith('--modes=')) ?? '--modes=axios,client,node-red').slice('--modes='.length).split(',');
const CREDENTIALS = { user: 'maker', password: 'password' };

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-farm-prof-'));
  const sims = [];
  try {
    for (let left = COUNT; left > 0; left -= 500) sims.push(await startSimProcess('buddy', Math.min(500, left)));
    const printers = sims.flatMap((s) => s.urls).map((u) => ({ host: '127.0.0.1', port: Number(new URL(u).port), ...CREDENTIALS }));
    for (const mode of MODES) {
      const file = path.join(dir, `${mode}.cpuprofile`);
      const worker = mode === 'node-red' ? 'node-red-worker.js' : 'floor-worker.js';
      const job = { mode, printers, nodesPerPrinter: 1, intervalS: 1, output: 'poll', warmupS: 5, seconds: SECONDS };
      const env = { ...process.env, BENCH_CPU_PROFILE: file };
      const r = await runNodeJson([path.join(__dirname, worker), JSON.stringify(job)], { env });
      console.log(`\n## ${mode}: ${COUNT} printers, ${r.cpuPercent.toFixed(1)} % of one core (profiler on), ${file}\n`);
      console.log(summarize(JSON.parse(fs.readFileSync(file, 'utf8')), 30));
    }
  } finally {
    await Promise.all(sims.map((s) => s.stop()));
  }
}

main().catch((err) => {
  console.error(`profile-farm failed: ${err.message}`);
  process.exitCode = 1;
});
