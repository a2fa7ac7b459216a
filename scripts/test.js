#!/usr/bin/env node
// Runs every test file under test/ with Node's own test runner (the same runner on Node 18, 20 and 22).
// Usage: node scripts/test.js [dir-or-file ...]   (default: the whole test/ tree)
//
// A directory contributes its *.test.js files; a file named on the command line runs whatever its name (this is
// how test/runner/ runs its *.fixture.js files, which the default collection never picks up).
// Two checks around the run, because both hide what a test should show:
// - every skipped test or suite is listed at the end with its reason; under CI=true any skip fails the run;
// - a test must not change a file git tracks: `git status` (and the content of files already changed before the
//   run) is compared before and after, and any difference fails the run, naming the file.
//   UPDATE_DOCS_IMAGES=1 (npm run screenshots) allows docs/images/ to change, and only that.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { trackedState, changedBetween } = require('./lib/tracked-files');

const root = path.resolve(__dirname, '..');
const targets = process.argv.slice(2);
const files = [];
function collect(p, named) {
  const stat = fs.statSync(p);
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) collect(path.join(p, name), false);
  } else if (named || p.endsWith('.test.js')) {
    files.push(p);
  }
}
for (const t of targets.length ? targets : ['test']) collect(path.resolve(root, t), true);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

const isCI = Boolean(process.env.CI) && process.env.CI !== 'false';
const before = trackedState(root);
const skipsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-test-skips-'));
const skipsFile = path.join(skipsDir, 'skips.jsonl');
const result = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${path.join(__dirname, 'lib', 'skip-reporter.js')}`,
    `--test-reporter-destination=${skipsFile}`,
    ...files,
  ],
  { stdio: 'inherit', cwd: root },
);
let status = result.status === null ? 1 : result.status;

const skips = fs.existsSync(skipsFile)
  ? fs.readFileSync(skipsFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
  : [];
fs.rmSync(skipsDir, { recursive: true, force: true });
if (skips.length > 0) {
  console.log(`\n${skips.length} skipped:`);
  for (const s of skips) {
    const where = s.file ? `${path.relative(root, s.file)}: ` : '';
    console.log(`Skipped: ${where}${s.name} — ${s.reason}`);
  }
  if (isCI) {
    console.error(`\nFAIL: ${skips.length} skipped under CI=true; in CI every test must run.`);
    status = status || 1;
  }
}

const after = trackedState(root);
if (before && after) {
  const allowed = process.env.UPDATE_DOCS_IMAGES ? (file) => file.startsWith('docs/images/') : () => false;
  const changed = changedBetween(before, after).filter((file) => !allowed(file));
  if (changed.length > 0) {
    console.error('\nFAIL: the tests changed files that git tracks (tests must write to a temporary folder or test-artifacts/):');
    for (const file of changed) console.error(`  ${file}`);
    status = status || 1;
  }
}
process.exit(status);
