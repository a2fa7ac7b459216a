// The package as a user gets it: `npm pack` of the built tree, installed from the tarball into Node-RED user
// dirs. The install runs once per test file (staging dir); each user dir is a copy of it.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { createRequire } = require('node:module');
const { root } = require('./env');
const { childEnv } = require('./node-red');

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(args, cwd) {
  const res = spawnSync(npm, args, { cwd, env: childEnv(), encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

/**
 * Packs the repository (already built: `npm test` builds first) and installs the tarball into a staging dir.
 * Resolves with { tarball, files, makeUserDir(), cleanup() }.
 */
function stagePackage() {
  if (!fs.existsSync(path.join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-e2e-pkg-'));
  // --ignore-scripts: `prepare` would rebuild dist/ under the other tests' feet.
  const packed = JSON.parse(run(['pack', '--ignore-scripts', '--json', '--pack-destination', base, '--loglevel=error'], root));
  const tarball = path.join(base, packed[0].filename);
  const staging = path.join(base, 'staging');
  fs.mkdirSync(staging);
  fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true }) + '\n');
  // axios and form-data come from the npm cache that `npm ci` filled, or from the registry.
  run(['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], staging);
  const userDirs = [];
  // `require` as code in the staging project has it: names resolve in its node_modules, through the installed
  // package's `exports` map, never into this repository.
  const requireInStaging = createRequire(path.join(staging, 'package.json'));
  return {
    tarball,
    files: packed[0].files.map((f) => f.path),
    installedDir: path.join(staging, 'node_modules', '@makerflows', 'node-red-prusalink'),
    /** `require(id)` from a project that installed the tarball, e.g. `requireInstalled('@makerflows/node-red-prusalink/sim')`. */
    requireInstalled: requireInStaging,
    /** A fresh Node-RED user dir with the package installed. */
    makeUserDir() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-e2e-userdir-'));
      fs.cpSync(staging, dir, { recursive: true, verbatimSymlinks: true });
      userDirs.push(dir);
      return dir;
    },
    cleanup() {
      for (const d of [...userDirs, base]) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

module.exports = { stagePackage };
