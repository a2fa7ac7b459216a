'use strict';
// A real Node-RED runtime embedded in this process (editor and HTTP off), loading our nodes from dist/nodes, with a
// flow and its credentials written to a throw-away user dir. Used instead of the test helper, whose spies record every
// node.status()/send() and would be charged to our nodes.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');

const NODES_DIR = path.resolve(__dirname, '..', '..', 'dist', 'nodes');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts Node-RED with `flow`; resolves once every node of `waitFor` (ids) exists, i.e. the flows have started. */
async function startEmbeddedNodeRed({ flow, credentials, waitFor, logLevel = 'error', prefix = 'prusalink-bench-nr-' }) {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow));
  // credentialSecret false: Node-RED reads flows_cred.json as plain JSON (a throw-away userDir).
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials));
  const RED = require('node-red');
  const server = http.createServer();
  RED.init(server, {
    userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    nodesDir: [NODES_DIR],
    httpAdminRoot: false,
    httpNodeRoot: false,
    disableEditor: true,
    telemetry: { enabled: false },
    diagnostics: { enabled: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    logging: { console: { level: logLevel, metrics: false, audit: false } },
  });
  const stop = async () => {
    await RED.stop().catch(() => undefined);
    server.close();
    fs.rmSync(userDir, { recursive: true, force: true });
  };
  try {
    await RED.start();
    // RED.start() resolves before the flows have started.
    const deadline = Date.now() + 30_000;
    while (!waitFor.every((id) => RED.nodes.getNode(id))) {
      if (Date.now() > deadline) throw new Error('the flow did not start within 30 s');
      await sleep(50);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { RED, stop };
}

module.exports = { startEmbeddedNodeRed, NODES_DIR };
