#!/usr/bin/env node
// Compiles src/ to dist/ and puts the editor side (nodes/) beside the compiled nodes, where
// Node-RED's loader looks for <type>.html, locales/ and icons/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

// --clean (used by `prepare`, hence by npm pack) starts from an empty dist/ so nothing stale ships; a plain build
// keeps dist/ so that tests running at the same time do not lose their modules mid-run.
if (process.argv.includes('--clean')) fs.rmSync(dist, { recursive: true, force: true });
let typeErrors = false;
try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], {
    stdio: 'inherit',
    cwd: root,
  });
} catch {
  // tsc still emits JavaScript on type errors; finish the copy so the tree is usable, then fail.
  typeErrors = true;
}
fs.cpSync(path.join(root, 'nodes'), path.join(dist, 'nodes'), { recursive: true });
const cli = path.join(dist, 'sim', 'cli.js');
if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
if (typeErrors) {
  console.error('build: TypeScript reported errors (see above)');
  process.exit(1);
}
