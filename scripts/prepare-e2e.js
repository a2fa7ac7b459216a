#!/usr/bin/env node
// Installs what the end-to-end tests need beside the repository's own node_modules, into <repo>/.cache/e2e/:
//   nr3/    Node 18 + Node-RED 3.1 + node-red-node-test-helper (the oldest supported leg)
//   nr5/    Node 22 + Node-RED 5 (needs Node >= 22.9, so it cannot share the repo's Node 20)
//   prism/  Stoplight Prism, kept out of devDependencies: it pulls ~300 packages that only one test file uses.
// Each folder gets its own package.json with exact versions; a stamp records what was installed, so a second run
// with nothing changed does nothing. Usage: node scripts/prepare-e2e.js [leg ...]   (default: every leg)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const cacheDir = path.join(root, '.cache', 'e2e');

// `node` fetches its platform binary (another registry package) in a preinstall script; npm 11 runs a
// dependency's install scripts only when package.json's allowScripts names it.
const LEGS = {
  nr3: {
    dependencies: { node: '18.20.8', 'node-red': '3.1.15', 'node-red-node-test-helper': '0.3.6' },
    allowScripts: { node: true },
    check: ['node_modules/.bin/node', 'node_modules/node-red/red.js'],
  },
  nr5: {
    dependencies: { node: '22.23.3', 'node-red': '5.0.7' },
    allowScripts: { node: true },
    check: ['node_modules/.bin/node', 'node_modules/node-red/red.js'],
  },
  prism: {
    // 5.15 and later require Node >= 24; 5.14.2 runs on Node 18.20+.
    dependencies: { '@stoplight/prism-cli': '5.14.2' },
    allowScripts: {},
    check: ['node_modules/.bin/prism'],
  },
};

function isReady(leg) {
  const dir = path.join(cacheDir, leg);
  const spec = LEGS[leg];
  try {
    const stamp = fs.readFileSync(path.join(dir, '.installed'), 'utf8');
    if (stamp !== JSON.stringify(spec.dependencies)) return false;
  } catch {
    return false;
  }
  return spec.check.every((f) => fs.existsSync(path.join(dir, f)));
}

function install(leg) {
  const dir = path.join(cacheDir, leg);
  const spec = LEGS[leg];
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(path.join(dir, '.installed'), { force: true });
  const pkg = { name: `e2e-${leg}`, private: true, dependencies: spec.dependencies, allowScripts: spec.allowScripts };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const res = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (res.status !== 0) throw new Error(`prepare-e2e: npm install failed in ${dir}`);
  for (const f of spec.check) {
    if (!fs.existsSync(path.join(dir, f))) throw new Error(`prepare-e2e: ${leg} lacks ${f} after install`);
  }
  fs.writeFileSync(path.join(dir, '.installed'), JSON.stringify(spec.dependencies));
  console.log(`prepare-e2e: ${leg} installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function prepare(legs) {
  for (const leg of legs) {
    if (!LEGS[leg]) throw new Error(`prepare-e2e: unknown leg ${leg} (known: ${Object.keys(LEGS).join(', ')})`);
    if (isReady(leg)) console.log(`prepare-e2e: ${leg} ready`);
    else install(leg);
  }
}

module.exports = { LEGS, cacheDir, isReady };

if (require.main === module) {
  try {
    prepare(process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(LEGS));
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
