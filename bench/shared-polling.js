'use strict';
// Shared polling: 1, 10 and 50 printer-status nodes watch one printer at a 1 s interval in a real Node-RED runtime
// (a child process); the simulator (in this process) counts the requests it sees per second.
//   --nodes=1,10,50 (BENCH_POLL_NODES)  --seconds=30 (BENCH_POLL_SECONDS)  --interval=1 (BENCH_POLL_INTERVAL_S)

const path = require('node:path');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const options = require('./lib/options');
const { runNodeJson } = require('./lib/child');
const { printTable, reportBudgets, mb, fixed } = require('./lib/table');

const NODE_COUNTS = options.numbers('nodes', 'BENCH_POLL_NODES', [1, 10, 50]);
const SECONDS = options.number('seconds', 'BENCH_POLL_SECONDS', 30);
const INTERVAL_S = options.number('interval', 'BENCH_POLL_INTERVAL_S', 1);
const WARMUP_S = 3;
const WORKER = path.join(__dirname, 'lib', 'node-red-worker.js');

async function main() {
  console.log(`shared-polling: ${NODE_COUNTS.join(', ')} status nodes on one printer (buddy, Digest), interval ${INTERVAL_S} s, ${SECONDS} s measured after ${WARMUP_S} s warm-up`);
  const sim = await startSimulator({ family: 'buddy' });
  const rows = [];
  const checks = [];
  try {
    for (const nodes of NODE_COUNTS) {
      const job = {
        printers: [{ host: sim.host, port: sim.port, user: sim.credentials.user, password: sim.credentials.password }],
        nodesPerPrinter: nodes, intervalS: INTERVAL_S, output: 'poll', warmupS: WARMUP_S, seconds: SECONDS,
      };
      sim.control.clearRequests();
      const r = await runNodeJson(['--expose-gc', WORKER, JSON.stringify(job)]);
      const seen = sim.control.requests().filter((q) => q.time >= r.startedAt && q.time < r.endedAt);
      const perSecond = seen.length / r.seconds;
      const paths = [...new Set(seen.map((q) => `${q.method} ${q.path}`))].join(', ');
      rows.push([nodes, seen.length, fixed(r.seconds, 1), fixed(perSecond, 2), fixed(nodes / INTERVAL_S, 0), fixed(r.messages / r.seconds, 1), paths, fixed(r.cpuPercent, 2), mb(r.rssMean)]);
      // The poller waits one interval after each answer, so a window holds at most seconds / interval + 1 polls.
      const allowed = r.seconds / INTERVAL_S + 1;
      checks.push({ budget: `${nodes} node(s): ≤ 1 request per ${INTERVAL_S} s`, measured: `${fixed(perSecond, 2)} req/s`, met: seen.length <= allowed });
    }
  } finally {
    await sim.stop();
  }
  printTable(
    `Requests the printer saw, ${NODE_COUNTS.join('/')} status nodes on one printer`,
    ['status nodes', 'requests', 'window s', 'requests/s', 'unshared would be req/s', 'msgs out/s (all nodes)', 'requests seen', 'Node-RED CPU %', 'Node-RED RSS MB'],
    rows,
  );
  reportBudgets('shared-polling', checks);
}

main().catch((err) => {
  console.error(`shared-polling benchmark failed: ${err.message}`);
  process.exitCode = 1;
});
