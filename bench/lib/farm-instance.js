'use strict';
// One farm instance for bench/farm-instances.js: a real Node-RED runtime (embedded, editor off) in a process of
// its own, running the farm example with `slots` printer slots; its printers come from the environment, as in a
// real farm. It prints {"ready":true} once its flows run; on the line "reset" on stdin it restarts its event-loop
// histogram, on "report" it prints the histogram's figures as one JSON line. CPU and RSS are read from outside.
// Usage: node farm-instance.js <slots>

const readline = require('node:readline');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { startEmbeddedNodeRed } = require('./embedded-node-red');
const { farmFlow } = require('./farm-flow');

// As the single-instance worker: the histogram records the time between its timer's firings; the delay is what
// exceeds the timer's period.
const LOOP_RESOLUTION_MS = 10;
const lateness = (ns) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);

async function main() {
  const slots = Number(process.argv[2]);
  const { flow, credentials } = farmFlow(slots);
  const { stop } = await startEmbeddedNodeRed({
    flow,
    credentials,
    waitFor: [],
    logLevel: process.env.BENCH_NR_LOG || 'error',
    prefix: 'prusalink-bench-farm-',
  });
  const delay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  delay.enable();
  process.stdout.write(JSON.stringify({ ready: true }) + '\n');
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line === 'reset') delay.reset();
    if (line === 'report') {
      const mem = process.memoryUsage();
      process.stdout.write(
        JSON.stringify({ loopP50Ms: lateness(delay.percentile(50)), loopP99Ms: lateness(delay.percentile(99)), loopMaxMs: lateness(delay.max), heapUsed: mem.heapUsed }) + '\n',
      );
    }
    if (line === 'stop') break;
  }
  delay.disable();
  await stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
