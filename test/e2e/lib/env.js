// Where the end-to-end tests find their tools (Node-RED legs, Prism, system programs), and what they do when
// one is missing: under CI a missing tool is a failure; locally the test prepares the cache itself or skips
// with a message that says how to install what is missing.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..', '..');
const cacheDir = path.join(root, '.cache', 'e2e');
const artifactsDir = path.join(root, 'test-artifacts');

/** The Node-RED versions under test, each with the Node binary it runs on. */
const LEGS = {
  nr3: {
    id: 'nr3',
    label: 'Node-RED 3.1 on Node 18',
    node: path.join(cacheDir, 'nr3', 'node_modules', '.bin', 'node'),
    nodeRed: path.join(cacheDir, 'nr3', 'node_modules', 'node-red'),
    cache: 'nr3',
  },
  nr4: {
    id: 'nr4',
    label: 'Node-RED 4.1 on Node 20',
    node: process.execPath,
    nodeRed: path.join(root, 'node_modules', 'node-red'),
    cache: null,
  },
  nr5: {
    id: 'nr5',
    label: 'Node-RED 5 on Node 22',
    node: path.join(cacheDir, 'nr5', 'node_modules', '.bin', 'node'),
    nodeRed: path.join(cacheDir, 'nr5', 'node_modules', 'node-red'),
    cache: 'nr5',
  },
};

const isCI = Boolean(process.env.CI);

/** Whether an executable is on PATH (or is an existing absolute path). */
function hasProgram(name) {
  if (path.isAbsolute(name)) return fs.existsSync(name);
  return (process.env.PATH || '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, name)));
}

/**
 * Makes sure the named cache legs are installed, running scripts/prepare-e2e.js when they are not.
 * Returns null when ready, or the reason they could not be prepared.
 */
function ensureCache(legs) {
  const { isReady } = require(path.join(root, 'scripts', 'prepare-e2e.js'));
  const missing = legs.filter((l) => !isReady(l));
  if (missing.length === 0) return null;
  const res = spawnSync(process.execPath, [path.join(root, 'scripts', 'prepare-e2e.js'), ...missing], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (res.status === 0) return null;
  return `could not install ${missing.join(', ')} into .cache/e2e (run: node scripts/prepare-e2e.js)`;
}

/**
 * Checks prerequisites once per test file. Each check is [ok, message]. Returns false when all are met,
 * else the skip message for `describe(name, { skip })`. Under CI a missing prerequisite throws instead,
 * which fails the file.
 */
function prerequisites(checks) {
  const problems = checks.filter(([ok]) => !ok).map(([, message]) => message);
  if (problems.length === 0) return false;
  const message = problems.join('; ');
  if (isCI) throw new Error(`e2e prerequisites missing under CI: ${message}`);
  return message;
}

module.exports = { root, cacheDir, artifactsDir, LEGS, isCI, hasProgram, ensureCache, prerequisites };
