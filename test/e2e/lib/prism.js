// Stoplight Prism in proxy mode between a client and a server, plus a recording hop in front of it, so that
// a test sees every exchange with Prism's verdict (the `sl-violations` header: request and response problems).
//
//   client -> recorder -> prism proxy <spec> -> switch -> target (a simulator, or a real printer)
//
// One Prism process per spec file serves a whole tour; the switch behind it lets the same Prism judge several
// targets one after the other (Prism's upstream is fixed when it starts). checkTarget() is the short form for
// one target and one tour: it returns the problems, for any base URL (a simulator or a real PrusaLink).
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { cacheDir, root } = require('./env');
const { freePort, request, waitFor } = require('./net');

const PRISM_DIR = path.join(cacheDir, 'prism');
const PRISM_BIN = path.join(PRISM_DIR, 'node_modules', '.bin', 'prism');

/**
 * Prusa's spec files (shared/spec/, beside the checkout; not in the repository: they are AGPL data files).
 * PRUSALINK_SPEC_DIR overrides; otherwise the first of ../shared/spec and ../../shared/spec (a git worktree) that exists.
 */
function specDir() {
  const candidates = process.env.PRUSALINK_SPEC_DIR
    ? [process.env.PRUSALINK_SPEC_DIR]
    : [path.resolve(root, '..', 'shared', 'spec'), path.resolve(root, '..', '..', 'shared', 'spec')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'openapi.yaml'))) || candidates[0];
}

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

/** Forwards one request to `target` (a URL) and hands the upstream answer to `onAnswer(up)`. */
function forward(req, res, target, onAnswer) {
  const upstream = new URL(target);
  const headers = { ...req.headers, host: upstream.host };
  const fwd = http.request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent: false },
    (up) => {
      onAnswer(up);
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    },
  );
  fwd.on('error', (err) => {
    res.writeHead(502);
    res.end(String(err.message));
  });
  req.pipe(fwd);
}

async function listenOnFreePort(server) {
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const stop = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { port, url: `http://127.0.0.1:${port}`, stop };
}

/** A hop that forwards everything to a target that can be changed between requests: { url, setTarget(url), stop() }. */
async function startSwitch(initialTarget) {
  let target = initialTarget;
  const server = http.createServer((req, res) => {
    if (!target) {
      res.writeHead(502);
      return res.end('no target set');
    }
    forward(req, res, target, () => {});
  });
  const hop = await listenOnFreePort(server);
  return { ...hop, target: () => target, setTarget: (t) => (target = t) };
}

/**
 * A plain HTTP hop that forwards everything to `target` and records each exchange:
 * { method, path, contentType, auth, status, violations: [{ location, severity, code, message }], bypassed, tag }
 * (`tag()` names the target at the time, e.g. the simulator family).
 * `bypass(req)` may return a reason to send that request straight to `bypassTarget()` instead (not through
 * Prism); such an exchange is recorded with `bypassed: reason` and no verdict.
 */
async function startRecorder(target, { bypass = () => null, bypassTarget = () => target, tag = () => null } = {}) {
  const exchanges = [];
  const server = http.createServer((req, res) => {
    const reason = bypass(req);
    forward(req, res, reason ? bypassTarget() : target, (up) => {
      let violations = [];
      try {
        violations = !reason && up.headers['sl-violations'] ? JSON.parse(up.headers['sl-violations']) : [];
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
        bypassed: reason || null,
        tag: tag(),
      });
    });
  });
  const hop = await listenOnFreePort(server);
  return { ...hop, exchanges };
}

/** A temporary copy of `spec` (an object) as JSON; resolves with its path and a cleanup. */
function writeSpecCopy(spec) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-e2e-spec-'));
  const file = path.join(dir, 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Prism 5.14's proxy answers 500 ("invalid json response body") to a HEAD whose upstream declares a JSON body. */
const HEAD_REASON = 'HEAD is not sent through Prism: its proxy answers 500 to any HEAD whose upstream answer declares a JSON body (known Prism limit)';
const bypassHead = (req) => (req.method === 'HEAD' ? HEAD_REASON : null);

/**
 * Prism (one process) for `spec` (a file, or an object written to a temporary copy) in front of `upstream`.
 * Resolves with { url, port, exchanges, setUpstream(url, tag), stop() }; HEAD goes around Prism (HEAD_REASON).
 * `tag` (e.g. the family) is recorded with each exchange until the next setUpstream.
 */
async function startSpecCheck(spec, upstream, initialTag = null) {
  let currentTag = initialTag;
  const stops = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    let specFile = spec;
    if (typeof spec !== 'string') {
      const copy = writeSpecCopy(spec);
      stops.push(async () => copy.cleanup());
      specFile = copy.file;
    }
    const hop = await startSwitch(upstream);
    stops.push(hop.stop);
    const prism = await startPrismProxy(specFile, hop.url);
    stops.push(prism.stop);
    const rec = await startRecorder(prism.url, { bypass: bypassHead, bypassTarget: hop.target, tag: () => currentTag });
    stops.push(rec.stop);
    const setUpstream = (url, tag = null) => {
      hop.setTarget(url);
      currentTag = tag;
    };
    return { url: rec.url, port: rec.port, exchanges: rec.exchanges, prismLog: prism.log, setUpstream, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * Judges recorded exchanges: every violation Prism reported must be explained by one of `differences`
 * ({ section, name, explains(exchange, violation) }). Returns { problems, met, bypassed }: problems are
 * readable lines (empty when the target keeps to the spec and the listed differences).
 */
function judge(exchanges, differences) {
  const problems = [];
  const met = new Set();
  const bypassed = [];
  for (const e of exchanges) {
    if (e.bypassed) bypassed.push(`${e.method} ${e.path}: ${e.bypassed}`);
    for (const v of e.violations) {
      const d = differences.find((x) => x.explains(e, v));
      if (d) met.add(`${d.section} ${d.name}`);
      else problems.push(`${e.method} ${e.path} -> ${e.status}: [${(v.location || []).join('.')}] ${v.severity}: ${v.message}`);
    }
  }
  return { problems, met: [...met], bypassed };
}

/**
 * The short form: Prism for `spec` in front of `targetUrl`, `tour(baseUrl, exchanges)` run through it, judged
 * against `differences` (whose tests may read the exchange's `tag`, e.g. 'pi' for a real Pi PrusaLink).
 * Resolves with judge()'s answer plus the exchanges.
 */
async function checkTarget(spec, targetUrl, tour, differences, tag = null) {
  const check = await startSpecCheck(spec, targetUrl, tag);
  try {
    await tour(check.url, check.exchanges);
    return { ...judge(check.exchanges, differences), exchanges: check.exchanges };
  } finally {
    await check.stop();
  }
}

module.exports = {
  specDir,
  loadSpec,
  startPrismProxy,
  startRecorder,
  startSwitch,
  writeSpecCopy,
  startSpecCheck,
  judge,
  checkTarget,
  HEAD_REASON,
};
