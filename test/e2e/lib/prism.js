// Stoplight Prism in proxy mode between a client and a server, plus a recording hop in front of it, so that
// a test sees every exchange with Prism's verdict (the `sl-violations` header: request and response problems).
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { cacheDir } = require('./env');
const { freePort, request, waitFor } = require('./net');

const PRISM_DIR = path.join(cacheDir, 'prism');
const PRISM_BIN = path.join(PRISM_DIR, 'node_modules', '.bin', 'prism');

/** Prism's own YAML parser reads Prusa's spec (it is in the prism cache, not a dependency of ours). */
function loadSpec(file) {
  const yaml = require(path.join(PRISM_DIR, 'node_modules', 'js-yaml'));
  return yaml.load(fs.readFileSync(file, 'utf8'));
}

/** Starts `prism proxy <specFile> <upstream>` on a free loopback port; resolves with { url, log(), stop() }. */
async function startPrismProxy(specFile, upstream) {
  const port = await freePort();
  const child = spawn(PRISM_BIN, ['proxy', '-h', '127.0.0.1', '-p', String(port), specFile, upstream], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      process.kill(child.pid, 'SIGTERM');
    });
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`prism exited:\n${out}`);
        return /Prism is listening/.test(out) || (await request(`${url}/api/version`, { timeoutMs: 2000 })).status > 0;
      },
      { timeoutMs: 60000, what: 'prism to listen' },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, log: () => out, stop };
}

/**
 * A plain HTTP hop that forwards everything to `target` and records each exchange:
 * { method, path, contentType, auth, status, violations: [{ location, severity, code, message }] }.
 */
async function startRecorder(target) {
  const exchanges = [];
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers, host: upstream.host };
    const fwd = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent: false },
      (up) => {
        let violations = [];
        try {
          violations = up.headers['sl-violations'] ? JSON.parse(up.headers['sl-violations']) : [];
        } catch {
          violations = [{ location: ['prism'], severity: 'Error', message: `unreadable sl-violations: ${up.headers['sl-violations']}` }];
        }
        const auth = req.headers['x-api-key'] ? 'apikey' : /^digest /i.test(req.headers.authorization || '') ? 'digest' : 'none';
        exchanges.push({
          method: req.method,
          path: decodeURIComponent(req.url.split('?')[0]),
          contentType: req.headers['content-type'],
          auth,
          status: up.statusCode,
          violations,
        });
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      },
    );
    fwd.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err.message));
    });
    req.pipe(fwd);
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    exchanges,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A temporary copy of `spec` (an object) as JSON; resolves with its path and a cleanup. */
function writeSpecCopy(spec) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-e2e-spec-'));
  const file = path.join(dir, 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

module.exports = { loadSpec, startPrismProxy, startRecorder, writeSpecCopy };
