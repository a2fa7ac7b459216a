// Lets a test see what a deployed flow produced: "recorder" function nodes keep every msg they get in global
// context under a name, and an http-in endpoint (GET /e2e/probe) serves what they kept.
'use strict';
const { request, waitFor } = require('./net');

/** A function node that records each msg it receives under `name` (payload, topic and our msg fields). */
function recorder(id, z, name) {
  const func = `
const all = global.get('e2eProbe') || {};
const kept = all[${JSON.stringify(name)}] || [];
const copy = {};
for (const k of Object.keys(msg)) if (k !== 'req' && k !== 'res') copy[k] = msg[k];
kept.push(JSON.parse(JSON.stringify(copy)));
all[${JSON.stringify(name)}] = kept;
global.set('e2eProbe', all);
return null;`;
  return { id, type: 'function', z, name: `record ${name}`, func, outputs: 1, noerr: 0, wires: [[]] };
}

/** The GET /e2e/probe endpoint: three nodes on tab `z`, ids prefixed with `prefix`. */
function probeEndpoint(z, prefix = 'probe') {
  return [
    { id: `${prefix}In`, type: 'http in', z, name: '', url: '/e2e/probe', method: 'get', upload: false, wires: [[`${prefix}Fn`]] },
    {
      id: `${prefix}Fn`,
      type: 'function',
      z,
      name: 'serve probe',
      // ?reset=1 answers what was kept and forgets it, so that the next flow starts from nothing
      func: "msg.payload = global.get('e2eProbe') || {}; if (msg.req.query.reset) global.set('e2eProbe', {}); return msg;",
      outputs: 1,
      noerr: 0,
      wires: [[`${prefix}Out`]],
    },
    { id: `${prefix}Out`, type: 'http response', z, name: '', statusCode: '', headers: { 'content-type': 'application/json' }, wires: [] },
  ];
}

/** Everything the recorders kept: { name: [msg, ...] }. */
async function readProbe(nodeRed) {
  const res = await request(`${nodeRed.url}/e2e/probe`);
  if (res.status !== 200) throw new Error(`GET /e2e/probe: ${res.status} ${res.text}`);
  return res.json();
}

/** Everything the recorders kept, which they then forget. */
async function resetProbe(nodeRed) {
  const res = await request(`${nodeRed.url}/e2e/probe?reset=1`);
  if (res.status !== 200) throw new Error(`GET /e2e/probe?reset=1: ${res.status} ${res.text}`);
  return res.json();
}

/** Waits until recorder `name` has at least `count` messages, and returns them. */
async function waitForRecorded(nodeRed, name, count = 1, timeoutMs = 20000) {
  try {
    return await waitFor(
      async () => {
        const kept = (await readProbe(nodeRed))[name] || [];
        return kept.length >= count ? kept : null;
      },
      { timeoutMs, what: `${count} msg(s) at recorder "${name}"` },
    );
  } catch (err) {
    throw new Error(`${err.message}\n--- Node-RED log ---\n${nodeRed.log()}`);
  }
}

module.exports = { recorder, probeEndpoint, resetProbe, waitForRecorded };
