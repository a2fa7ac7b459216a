// A real Node-RED process for the end-to-end tests: its own user dir and settings, loopback only, driven
// through the admin HTTP API, and stopped by the PID it was started with.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { freePort, request, waitFor } = require('./net');

const API_V2 = { 'Node-RED-API-Version': 'v2' };

/** Environment for child processes, without the test runner's own markers (they change a child's output). */
function childEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  return env;
}

function writeSettings(userDir, port, extra) {
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: port,
    flowFile: 'flows.json',
    credentialSecret: 'e2e-credential-secret',
    // No tours, no Flow Library catalogue fetch, no telemetry prompt or update check: the editor stays offline.
    editorTheme: { tours: false, palette: { catalogues: [] } },
    telemetry: { enabled: false, updateNotification: false },
    diagnostics: { enabled: false, ui: false },
    logging: { console: { level: 'info', metrics: false, audit: false } },
    ...extra,
  };
  const file = path.join(userDir, 'e2e-settings.js');
  fs.writeFileSync(file, `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
  return file;
}

/**
 * Starts Node-RED of `leg` (see env.js LEGS) on a free loopback port with `userDir` (and `env` on top of this
 * process's environment), and waits for GET /settings.
 * Resolves with { url, pid, log(), stop(), nodes(), deploy(flows), flows(), inject(id) }.
 */
async function startNodeRed({ leg, userDir, settings = {}, env = {} }) {
  const port = await freePort();
  const settingsFile = writeSettings(userDir, port, settings);
  const child = spawn(leg.node, [path.join(leg.nodeRed, 'red.js'), '-u', userDir, '-s', settingsFile], {
    cwd: userDir,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (d) => lines.push(...d.split('\n').filter(Boolean)));
  }
  const url = `http://127.0.0.1:${port}`;
  const log = () => lines.join('\n');

  async function stop() {
    if (exited) return exited;
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (!exited) process.kill(child.pid, 'SIGKILL');
    }, 10000);
    const result = await exitPromise;
    clearTimeout(timer);
    return result;
  }

  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`Node-RED exited (${JSON.stringify(exited)}):\n${log()}`);
        return (await request(`${url}/settings`, { timeoutMs: 2000 })).status === 200;
      },
      { timeoutMs: 60000, what: `${leg.label} to answer GET /settings` },
    );
  } catch (err) {
    await stop();
    throw new Error(`${err.message}\n--- Node-RED log ---\n${log()}`);
  }

  return {
    url,
    port,
    pid: child.pid,
    userDir,
    log,
    stop,
    /** GET /nodes as JSON: one entry per node set. */
    async nodes() {
      const res = await request(`${url}/nodes`, { headers: { Accept: 'application/json' } });
      if (res.status !== 200) throw new Error(`GET /nodes: ${res.status} ${res.text}`);
      return res.json();
    },
    /**
     * Full deploy of `flows` (with credentials on the nodes); resolves with the new revision once the new
     * flows have started (POST /flows answers before that, so the log's "Started flows" is awaited).
     */
    async deploy(flows) {
      const started = () => lines.filter((l) => /\[info\] Started flows/.test(l)).length;
      const before = started();
      const res = await request(`${url}/flows`, {
        method: 'POST',
        headers: { ...API_V2, 'Node-RED-Deployment-Type': 'full' },
        body: { flows },
      });
      if (res.status !== 200) throw new Error(`POST /flows: ${res.status} ${res.text}`);
      await waitFor(() => started() > before, { timeoutMs: 20000, what: `flows to start\n${log()}` });
      return res.json().rev;
    },
    /** GET /flows (v2): { rev, flows }. */
    async flows() {
      const res = await request(`${url}/flows`, { headers: API_V2 });
      if (res.status !== 200) throw new Error(`GET /flows: ${res.status} ${res.text}`);
      return res.json();
    },
    /** Fires an inject node through the admin API. */
    async inject(id) {
      const res = await request(`${url}/inject/${id}`, { method: 'POST' });
      if (res.status !== 200) throw new Error(`POST /inject/${id}: ${res.status} ${res.text}`);
    },
  };
}

module.exports = { startNodeRed, childEnv };
