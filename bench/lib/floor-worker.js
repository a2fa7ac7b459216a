'use strict';
// The floors under the print farm: the same status GET per printer per interval as the Node-RED row, without
// Node-RED, in a process of its own that measures itself like the Node-RED worker (self-measure.js).
// Usage: node floor-worker.js '<job JSON>'
//   job: { mode: 'node-http' | 'axios' | 'client', printers: [{ host, port, user, password }], intervalS, warmupS, seconds }
//   node-http: bare node:http, a keep-alive agent per printer, Digest (Buddy's RFC 2069) by hand, the Authorization
//              header computed once per nonce (the uri never changes): as cheap as a status poll can be.
//   axios:     axios alone (adapter http) with the same agents and the same hand-made header.
//   client:    our PrusaLinkClient, status() per printer per interval.
// Each printer is polled again one interval after its answer, as the printer node's poller does.

const http = require('node:http');
const { createHash } = require('node:crypto');
const { measureSelf, sleep } = require('./self-measure');

const TARGET = '/api/v1/status';
const md5 = (s) => createHash('md5').update(s).digest('hex');

function challengeOf(header) {
  const params = {};
  for (const m of String(header).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]] = m[2];
  return params;
}

/** Buddy's Digest (facts §2): HA1 = MD5(user:realm:password), HA2 = MD5(GET:uri), response = MD5(HA1:nonce:HA2). */
function authorization(p, wwwAuthenticate) {
  const { realm, nonce } = challengeOf(wwwAuthenticate);
  const response = md5(`${md5(`${p.user}:${realm}:${p.password}`)}:${nonce}:${md5(`GET:${TARGET}`)}`);
  return `Digest username="${p.user}", realm="${realm}", nonce="${nonce}", uri="${TARGET}", response="${response}"`;
}

/** GET via node:http; resolves with status, the WWW-Authenticate header and the body. */
function bareGet(p, agent, headers) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: p.host, port: p.port, path: TARGET, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, challenge: res.headers['www-authenticate'], body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** A poller for one printer: `poll()` answers the parsed status; a 401 (first call, stale nonce) takes the new nonce. */
function makePoll(mode, p) {
  if (mode === 'client') {
    const { PrusaLinkClient } = require('@makerflows/node-red-prusalink');
    const client = new PrusaLinkClient({ host: p.host, port: p.port, user: p.user, password: p.password });
    return { poll: () => client.status(), close: () => client.close() };
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const headers = { Accept: 'application/json', 'User-Agent': 'farm-floor' };
  let get;
  if (mode === 'node-http') {
    get = async () => {
      const r = await bareGet(p, agent, headers);
      return { status: r.status, challenge: r.challenge, json: () => JSON.parse(r.body.toString('utf8')) };
    };
  } else if (mode === 'axios') {
    const axios = require('axios').create({ baseURL: `http://${p.host}:${p.port}`, httpAgent: agent, proxy: false, validateStatus: () => true });
    get = async () => {
      const r = await axios.get(TARGET, { headers });
      return { status: r.status, challenge: r.headers['www-authenticate'], json: () => r.data };
    };
  } else throw new Error(`unknown mode ${mode}`);
  return {
    async poll() {
      for (let attempt = 0; attempt < 2; attempt++) {
        const r = await get();
        if (r.status === 200) return r.json();
        if (r.status !== 401 || !r.challenge) throw new Error(`status answered ${r.status}`);
        headers.Authorization = authorization(p, r.challenge);
      }
      throw new Error('Digest refused twice');
    },
    close: () => agent.destroy(),
  };
}

async function main() {
  const job = JSON.parse(process.argv[2]);
  const intervalMs = job.intervalS * 1000;
  let answers = 0;
  let failures = 0;
  let running = true;
  const pollers = job.printers.map((p) => makePoll(job.mode, p));
  const timers = new Set();
  const loop = (poller) => {
    poller.poll().then(
      () => answers++,
      () => failures++,
    ).finally(() => {
      if (!running) return;
      const t = setTimeout(() => {
        timers.delete(t);
        loop(poller);
      }, intervalMs);
      timers.add(t);
    });
  };
  pollers.forEach(loop);
  await sleep(job.warmupS * 1000);
  answers = 0;
  failures = 0;
  const result = await measureSelf(job.seconds * 1000);
  result.messages = answers;
  result.failures = failures;
  running = false;
  for (const t of timers) clearTimeout(t);
  for (const p of pollers) p.close();
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`floor-worker: ${err && err.message}\n`);
    process.exit(1);
  },
);
