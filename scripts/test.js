#!/usr/bin/env node
// Runs every test file under test/ with Node's own test runner (the same runner on Node 18, 20 and 22).
// Usage: node scripts/test.js [dir-or-file ...]   (default: the whole test/ tree)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const targets = process.argv.slice(2);
const files = [];
function collect(p) {
  const stat = fs.statSync(p);
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) collect(path.join(p, name));
  } else if (p.endsWith('.test.js')) {
    files.push(p);
  }
}
for (const t of targets.length ? targets : ['test']) collect(path.resolve(root, t));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit', cwd: root });
process.exit(result.status === null ? 1 : result.status);
