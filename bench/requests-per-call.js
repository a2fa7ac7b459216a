'use strict';
// HTTP requests the printer sees per status() call: our client (challenge cached, one request per call) against a
// naive Digest client that fetches a fresh challenge every time (two per call). Counted by the simulator itself.
//   --calls=1000 (BENCH_CALLS)

const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { PrusaLinkClient } = require('@makerflows/node-red-prusalink');
const { NaiveDigestClient } = require('./lib/naive-client');
const options = require('./lib/options');
const { printTable, reportBudgets, fixed } = require('./lib/table');

const CALLS = options.number('calls', 'BENCH_CALLS', 1000);
const BUDGET = 1.01;

const CASES = [
  { label: 'buddy, Digest (RFC 2069)', family: 'buddy', auth: 'digest' },
  { label: 'pi, Digest (MD5-sess, qop=auth)', family: 'pi', auth: 'digest' },
  { label: 'buddy, X-Api-Key', family: 'buddy', auth: 'apikey' },
  { label: 'pi, X-Api-Key', family: 'pi', auth: 'apikey', simOptions: { apiKey: 'bench-api-key' } },
];

function clientOptions(sim, auth) {
  const base = { host: sim.host, port: sim.port };
  if (auth === 'apikey') return { ...base, apiKey: sim.credentials.apiKey || sim.credentials.password };
  return { ...base, user: sim.credentials.user, password: sim.credentials.password };
}

/** Runs `calls` calls of `once`; returns the requests the printer saw (all, and those of the first call) and the time. */
async function count(sim, once) {
  sim.control.clearRequests();
  const started = process.hrtime.bigint();
  await once();
  const firstRequests = sim.control.requests();
  const first = firstRequests.length;
  for (let i = 1; i < CALLS; i++) await once();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const all = sim.control.requests();
  const failed = all.filter((r) => r.status >= 400 && r.status !== 401).length;
  const firstList = firstRequests.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ');
  return { total: all.length, first, firstList, failed, msPerCall: ms / CALLS };
}

async function main() {
  console.log(`requests-per-call: ${CALLS} status calls per client, counted from a fresh client (detection included)`);
  const rows = [];
  const firstCalls = [];
  const checks = [];
  for (const c of CASES) {
    const sim = await startSimulator({ family: c.family, ...(c.simOptions || {}) });
    try {
      const client = new PrusaLinkClient(clientOptions(sim, c.auth));
      let ours;
      try {
        ours = await count(sim, () => client.status());
      } finally {
        client.close();
      }
      const perCall = ours.total / CALLS;
      firstCalls.push([c.label, ours.firstList]);
      rows.push([c.label, 'ours', CALLS, ours.total, ours.first, fixed((ours.total - ours.first) / (CALLS - 1), 3), fixed(perCall, 3), ours.failed, fixed(ours.msPerCall, 2)]);
      checks.push({ budget: `${c.label}: ≤ ${BUDGET} requests per call`, measured: fixed(perCall, 3), met: perCall <= BUDGET });
      if (c.auth === 'digest') {
        const naive = new NaiveDigestClient(clientOptions(sim, c.auth));
        let theirs;
        try {
          theirs = await count(sim, () => naive.getJson('/api/v1/status'));
        } finally {
          naive.close();
        }
        rows.push([c.label, 'naive (fresh challenge)', CALLS, theirs.total, theirs.first, fixed((theirs.total - theirs.first) / (CALLS - 1), 3), fixed(theirs.total / CALLS, 3), theirs.failed, fixed(theirs.msPerCall, 2)]);
      }
    } finally {
      await sim.stop();
    }
  }
  printTable(
    'Requests per status call',
    ['printer, auth', 'client', 'calls', 'requests', 'first call', 'per later call', 'per call', 'errors', 'ms per call'],
    rows,
  );
  printTable('What our first call sent (detection and the first challenge)', ['printer, auth', 'requests (method path status)'], firstCalls);
  reportBudgets('requests-per-call', checks);
}

main().catch((err) => {
  console.error(`requests-per-call benchmark failed: ${err.message}`);
  process.exitCode = 1;
});
