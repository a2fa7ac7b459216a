'use strict';
// Upload throughput and memory: our client against curl, on the v1 PUT (Buddy) and the legacy multipart POST
// (MINI 4.4.1), into a simulator that reads and discards the body. Our client runs in a child process that samples
// its own RSS every 20 ms; curl's peak comes from /proc/<pid>/status. On the PUT path two more contenders without our
// client, plain Node's stream pipe and a ring of reused buffers (lib/plain-put-worker.js), show which part of a gap
// to curl is Node's own and what the proposed change to the client would give.
//   --sizes=100,1024 (MiB; BENCH_UPLOAD_SIZES_MIB)   --rounds=3 (BENCH_UPLOAD_ROUNDS; the median time is reported)

const path = require('node:path');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const options = require('./lib/options');
const { writeGcodeFile } = require('./lib/gcode-file');
const { runNodeJson } = require('./lib/child');
const { curlAvailable, runCurl } = require('./lib/curl');
const { printTable, reportBudgets, mb, fixed } = require('./lib/table');

const SIZES_MIB = options.numbers('sizes', 'BENCH_UPLOAD_SIZES_MIB', [100, 1024]);
const ROUNDS = options.number('rounds', 'BENCH_UPLOAD_ROUNDS', 3);
const WORKER = path.join(__dirname, 'lib', 'client-worker.js');
const PLAIN_WORKER = path.join(__dirname, 'lib', 'plain-put-worker.js');
const RSS_BUDGET = 32e6;
const THROUGHPUT_BUDGET = 0.8;

const PATHS = [
  { name: 'PUT /api/v1/files (buddy)', family: 'buddy', key: (sim) => sim.credentials.password, curlArgs: putArgs, plainNode: true },
  { name: 'multipart POST /api/files/local (mini-legacy)', family: 'mini-legacy', key: (sim) => sim.credentials.apiKey, curlArgs: multipartArgs, plainNode: false },
];

function putArgs(sim, key, file, name) {
  return [
    '-X', 'PUT', '--upload-file', file,
    '-H', `X-Api-Key: ${key}`, '-H', 'Content-Type: text/x.gcode', '-H', 'Overwrite: ?1',
    `${sim.url}/api/v1/files/usb/${encodeURIComponent(name)}`,
  ];
}

function multipartArgs(sim, key, file, name) {
  return ['-H', `X-Api-Key: ${key}`, '-F', `file=@${file};filename=${name};type=text/x.gcode`, `${sim.url}/api/files/local`];
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median throughput, largest RSS growth and largest peak of one contender's rounds (NaN when it did not run). */
function summarize(runs, size) {
  if (runs.length === 0) return { MBs: NaN, growth: NaN, peak: NaN, before: NaN, ms: NaN };
  const ms = median(runs.map((r) => r.ms));
  return {
    ms,
    MBs: size / 1e6 / (ms / 1000),
    before: Math.max(...runs.map((r) => r.rssBefore ?? NaN)),
    growth: Math.max(...runs.map((r) => r.rssPeak - (r.rssBefore ?? NaN))),
    peak: Math.max(...runs.map((r) => r.rssPeak)),
  };
}

async function measurePath(p, gcode, label) {
  const sim = await startSimulator({ family: p.family, discardUploads: true });
  const key = p.key(sim);
  const runs = { ours: [], curl: [], pipe: [], ring: [], 'ring-sync': [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const name = `bench-${label}-${round}.gcode`;
      const runOurs = async () => {
        const job = { client: { host: sim.host, port: sim.port, apiKey: key }, op: 'upload', file: gcode.file, target: `/usb/our-${name}` };
        runs.ours.push(await runNodeJson(['--expose-gc', WORKER, JSON.stringify(job)]));
      };
      const runCurlOnce = async () => {
        const r = await runCurl(p.curlArgs(sim, key, gcode.file, `curl-${name}`));
        if (r.status !== 201) throw new Error(`curl upload answered ${r.status}`);
        runs.curl.push(r);
      };
      const runWithoutClient = async () => {
        if (!p.plainNode) return;
        for (const mode of ['pipe', 'ring', 'ring-sync']) {
          const job = { mode, host: sim.host, port: sim.port, apiKey: key, file: gcode.file, target: `/usb/${mode}-${name}` };
          runs[mode].push(await runNodeJson(['--expose-gc', PLAIN_WORKER, JSON.stringify(job)]));
        }
      };
      // Alternate who goes first, so that no one always gets the warmer machine.
      const order = round % 2 === 0 ? [runOurs, runCurlOnce, runWithoutClient] : [runCurlOnce, runWithoutClient, runOurs];
      for (const run of order) await run();
    }
  } finally {
    await sim.stop();
  }
  return Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, summarize(v, gcode.size)]));
}

async function main() {
  if (!curlAvailable()) throw new Error('curl is needed as the reference: apt-get install -y curl');
  console.log(`upload: sizes ${SIZES_MIB.join(', ')} MiB, ${ROUNDS} round(s) each, median time; MB = 10^6 bytes`);
  const rows = [];
  const nodeRows = [];
  const checks = [];
  for (const mib of SIZES_MIB) {
    const gcode = await writeGcodeFile(mib * 1024 * 1024, `${mib}mib`);
    try {
      for (const p of PATHS) {
        const r = await measurePath(p, gcode, `${mib}`);
        const label = mib >= 1024 ? `${fixed(mib / 1024, 0)} GiB` : `${mib} MiB`;
        const { ours, curl } = r;
        const ratio = ours.MBs / curl.MBs;
        rows.push([
          p.name, label, fixed(ours.ms / 1000, 2), fixed(curl.ms / 1000, 2), fixed(ours.MBs), fixed(curl.MBs), fixed(ratio, 2),
          mb(ours.before), mb(ours.peak), mb(ours.growth), mb(curl.peak),
        ]);
        if (p.plainNode) {
          const others = [r.pipe, r.ring, r['ring-sync']];
          nodeRows.push([
            label, fixed(curl.MBs), fixed(ours.MBs), ...others.map((o) => fixed(o.MBs)),
            fixed(ratio, 2), ...others.map((o) => fixed(o.MBs / curl.MBs, 2)),
            mb(ours.growth), ...others.map((o) => mb(o.growth)),
          ]);
        }
        checks.push({ budget: `${p.family} ${label}: throughput ≥ ${THROUGHPUT_BUDGET} × curl`, measured: `${fixed(ratio, 2)} × curl`, met: ratio >= THROUGHPUT_BUDGET });
        checks.push({ budget: `${p.family} ${label}: peak RSS ≤ 32 MB above before`, measured: `+${mb(ours.growth)} MB`, met: ours.growth <= RSS_BUDGET });
      }
    } finally {
      await gcode.remove();
    }
  }
  printTable(
    'Upload: our client vs curl (discarding simulator on 127.0.0.1)',
    ['path', 'file', 'ours s', 'curl s', 'ours MB/s', 'curl MB/s', 'ours/curl', 'our RSS before MB', 'our RSS peak MB', 'our growth MB', 'curl peak RSS MB'],
    rows,
  );
  if (nodeRows.length) {
    printTable(
      'PUT without our client, same run: Node stream pipe, ring of reused buffers (4 × 1 MiB async reads), ring with sync 256 KiB reads',
      ['file', 'curl MB/s', 'ours MB/s', 'pipe MB/s', 'ring MB/s', 'ring-sync MB/s', 'ours/curl', 'pipe/curl', 'ring/curl', 'ring-sync/curl',
        'our growth MB', 'pipe growth MB', 'ring growth MB', 'ring-sync growth MB'],
      nodeRows,
    );
  }
  reportBudgets('upload', checks);
}

main().catch((err) => {
  console.error(`upload benchmark failed: ${err.message}`);
  process.exitCode = 1;
});
