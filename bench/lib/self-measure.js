'use strict';
// How much a worker process costs while it polls: CPU per second (process.cpuUsage), event-loop delay
// (monitorEventLoopDelay) and memory over a window. Shared by the Node-RED worker and the floor worker, so that every
// row of the farm benchmark is measured the same way.

const fs = require('node:fs');
const inspector = require('node:inspector');
const { monitorEventLoopDelay } = require('node:perf_hooks');

// The histogram records the time between its timer's firings; the delay is what exceeds the timer's period.
const LOOP_RESOLUTION_MS = 10;
const lateness = (ns) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * With BENCH_CPU_PROFILE=<file>, a CPU profile of the window only (start-up and warm-up left out), written there as
 * a .cpuprofile; the profiler's own cost then inflates the window's figures.
 */
function startWindowProfile() {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return async () => undefined;
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  const started = post('Profiler.enable').then(() => post('Profiler.start'));
  return async () => {
    await started;
    const { profile } = await post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/** CPU per second, event-loop delay and memory of this process over `ms`. */
async function measureSelf(ms) {
  if (global.gc) global.gc();
  const stopProfile = startWindowProfile();
  const delay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  const rssSamples = [];
  const heapSamples = [];
  const sample = () => {
    const m = process.memoryUsage();
    rssSamples.push(m.rss);
    heapSamples.push(m.heapUsed);
  };
  sample();
  const sampler = setInterval(sample, 1000);
  const startedAt = Date.now();
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  delay.enable();
  await sleep(ms);
  delay.disable();
  const cpu = process.cpuUsage(cpuStart);
  const elapsedUs = Number(process.hrtime.bigint() - started) / 1000;
  clearInterval(sampler);
  sample();
  await stopProfile();
  return {
    startedAt,
    endedAt: Date.now(),
    seconds: elapsedUs / 1e6,
    cpuPercent: ((cpu.user + cpu.system) / elapsedUs) * 100,
    loopP50Ms: lateness(delay.percentile(50)),
    loopP99Ms: lateness(delay.percentile(99)),
    loopMaxMs: lateness(delay.max),
    rssMean: rssSamples.reduce((a, b) => a + b, 0) / rssSamples.length,
    rssPeak: Math.max(...rssSamples),
    heapMean: heapSamples.reduce((a, b) => a + b, 0) / heapSamples.length,
  };
}

module.exports = { measureSelf, sleep };
