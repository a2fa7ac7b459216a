'use strict';
// Runs one client operation in a process of its own, so that its memory is ours alone (the simulator lives in the
// parent). Usage: node --expose-gc client-worker.js '<job JSON>'. Prints one JSON line with the figures.
//   job: { client: ClientOptions, op: 'upload', file, target } | { client, op: 'list', path }

const { PrusaLinkClient } = require('@makerflows/node-red-prusalink');
const { sampleOwnRss } = require('./memory');

async function main() {
  const job = JSON.parse(process.argv[2]);
  const client = new PrusaLinkClient(job.client);
  try {
    // Detection and the first challenge happen here, so the figures below are those of the operation itself.
    await client.status();
    if (global.gc) global.gc();
    const rssBefore = process.memoryUsage.rss();
    const heapBefore = process.memoryUsage().heapUsed;
    const sampler = sampleOwnRss(20);
    // Wall-clock start, so that the parent can tell this operation's requests from the warm-up's.
    const startedAt = Date.now();
    const started = process.hrtime.bigint();
    const outcome = await run(client, job);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const rssPeak = sampler.stop();
    const heapAfter = process.memoryUsage().heapUsed;
    process.stdout.write(
      JSON.stringify({ ms, startedAt, rssBefore, rssPeak, heapBefore, heapAfter, ...outcome }) + '\n',
    );
  } finally {
    client.close();
  }
}

async function run(client, job) {
  if (job.op === 'upload') {
    const result = await client.upload({ file: job.file }, job.target, { overwrite: true });
    return { size: result.size };
  }
  if (job.op === 'list') {
    const listing = await client.list(job.path, { recursive: true });
    return { entries: countEntries(listing.entries) };
  }
  throw new Error(`unknown op ${job.op}`);
}

function countEntries(entries) {
  let files = 0;
  let folders = 0;
  const walk = (list) => {
    for (const e of list) {
      if (e.type === 'FOLDER') {
        folders++;
        walk(e.children || []);
      } else files++;
    }
  };
  walk(entries);
  return { files, folders };
}

main().catch((err) => {
  process.stderr.write(`client-worker: ${err && err.code ? err.code + ': ' : ''}${err && err.message}\n`);
  process.exit(1);
});
