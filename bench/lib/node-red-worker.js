'use strict';
// A real Node-RED runtime (embedded, editor off) in a process of its own, loading our nodes from dist/nodes and a
// flow of printer-status nodes; it measures itself over a window and prints one JSON line.
// Usage: node node-red-worker.js '<job JSON>'
//   job: { printers: [{ host, port, user?, password?, apiKey? }], nodesPerPrinter, intervalS, output: 'poll'|'change',
//          warmupS, seconds }
// The test helper is not used here: it wraps every node.status()/send() in a recording sinon spy, whose memory and
// CPU would be charged to our nodes.

const { startEmbeddedNodeRed, NODES_DIR } = require('./embedded-node-red');
const { measureSelf, sleep } = require('./self-measure');

function buildFlow(job) {
  const flow = [{ id: 'bench-tab', type: 'tab', label: 'bench' }];
  const credentials = {};
  job.printers.forEach((p, i) => {
    const id = `printer-${i}`;
    flow.push({
      id, type: 'prusalink-printer', name: `printer ${i}`, host: p.host, port: String(p.port), protocol: 'http',
      allowSelfSigned: false, auth: p.apiKey ? 'apikey' : 'digest', timeout: '10', pollInterval: String(job.intervalS),
    });
    credentials[id] = p.apiKey ? { apiKey: p.apiKey } : { user: p.user, password: p.password };
    for (let n = 0; n < job.nodesPerPrinter; n++) {
      flow.push({
        id: `status-${i}-${n}`, type: 'prusalink-status', z: 'bench-tab', name: '', printer: id,
        interval: String(job.intervalS), output: job.output, topic: '', wires: [[]],
      });
    }
  });
  return { flow, credentials };
}

async function main() {
  const job = JSON.parse(process.argv[2]);
  const { flow, credentials } = buildFlow(job);
  const ids = flow.filter((n) => n.type === 'prusalink-status').map((n) => n.id);
  const { RED, stop } = await startEmbeddedNodeRed({ flow, credentials, waitFor: ids, logLevel: process.env.BENCH_NR_LOG || 'error' });
  try {
    const types = RED.nodes.getNodeList().filter((n) => n.module === 'node-red' && /prusalink/.test(n.name));
    const failed = types.filter((n) => n.err);
    if (!types.some((n) => n.types.includes('prusalink-status'))) throw new Error(`prusalink-status did not load from ${NODES_DIR}`);
    if (failed.length) throw new Error(`node load errors: ${failed.map((n) => `${n.name}: ${n.err}`).join('; ')}`);

    const messages = countMessages(RED, flow);
    await sleep(job.warmupS * 1000);
    messages.reset();
    const result = await measureSelf(job.seconds * 1000);
    result.messages = messages.count();
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    await stop();
  }
}

/** Counts the messages the status nodes send, to show that every printer really was polled. */
function countMessages(RED, flow) {
  let count = 0;
  for (const def of flow.filter((n) => n.type === 'prusalink-status')) {
    const node = RED.nodes.getNode(def.id);
    if (!node) throw new Error(`status node ${def.id} did not start`);
    const send = node.send;
    node.send = function (...args) {
      count++;
      return send.apply(this, args);
    };
  }
  return { reset: () => (count = 0), count: () => count };
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`node-red-worker: ${err && err.message}\n`);
    process.exit(1);
  },
);
