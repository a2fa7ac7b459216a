'use strict';
// A recursive listing of a printer holding 2,000 files in 50 folders: requests, time and memory of our client,
// which runs in a child process (the simulator, with its files in memory, stays in this one).
//   --files=2000 (BENCH_LISTING_FILES)  --folders=50 (BENCH_LISTING_FOLDERS)  --rounds=3 (BENCH_LISTING_ROUNDS)

const path = require('node:path');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const options = require('./lib/options');
const { runNodeJson } = require('./lib/child');
const { printTable, mb, fixed } = require('./lib/table');

const FILES = options.number('files', 'BENCH_LISTING_FILES', 2000);
const FOLDERS = options.number('folders', 'BENCH_LISTING_FOLDERS', 50);
const ROUNDS = options.number('rounds', 'BENCH_LISTING_ROUNDS', 3);
const WORKER = path.join(__dirname, 'lib', 'client-worker.js');

const CASES = [
  { family: 'buddy', root: '/usb', auth: 'digest' },
  { family: 'pi', root: '/local', auth: 'digest' },
];

function seedFiles() {
  const files = {};
  const perFolder = Math.ceil(FILES / FOLDERS);
  for (let i = 0; i < FILES; i++) {
    const folder = `Folder number ${String(Math.floor(i / perFolder) + 1).padStart(2, '0')}`;
    files[`${folder}/A long file name for part ${String(i).padStart(4, '0')}.gcode`] = `; part ${i}\nG28\nG1 X10 Y10\n`;
  }
  return files;
}

async function main() {
  console.log(`listing: ${FILES} files in ${FOLDERS} folders, recursive list, ${ROUNDS} round(s), median time, largest memory`);
  const files = seedFiles();
  const rows = [];
  for (const c of CASES) {
    const sim = await startSimulator({ family: c.family, files });
    try {
      const runs = [];
      for (let round = 0; round < ROUNDS; round++) {
        const job = { client: { host: sim.host, port: sim.port, user: sim.credentials.user, password: sim.credentials.password }, op: 'list', path: c.root };
        sim.control.clearRequests();
        const r = await runNodeJson(['--expose-gc', WORKER, JSON.stringify(job)]);
        r.requests = sim.control.requests().filter((q) => q.time >= r.startedAt).length;
        runs.push(r);
      }
      const med = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];
      const growth = Math.max(...runs.map((r) => r.rssPeak - r.rssBefore));
      const heap = Math.max(...runs.map((r) => r.heapAfter - r.heapBefore));
      rows.push([c.family, c.auth, `${med.entries.files} / ${med.entries.folders}`, med.requests, 1 + FOLDERS, fixed(med.ms, 0), mb(med.rssBefore), mb(Math.max(...runs.map((r) => r.rssPeak))), mb(growth), mb(heap)]);
    } finally {
      await sim.stop();
    }
  }
  printTable(
    `Recursive listing of ${FILES} files in ${FOLDERS} folders`,
    ['printer', 'auth', 'files / folders listed', 'requests', 'fewest possible (1 + folders)', 'time ms', 'RSS before MB', 'RSS peak MB', 'RSS growth MB', 'heap growth MB'],
    rows,
  );
}

main().catch((err) => {
  console.error(`listing benchmark failed: ${err.message}`);
  process.exitCode = 1;
});
