#!/usr/bin/env node
// Mutation testing (issue 19): runs Stryker over the modules that decide whether a call succeeded and what is sent,
// against the fast unit tests of test/unit/, then prints one row per module and fails when any module kills fewer
// than 90 % of its mutants (Stryker's own break threshold checks only the total).
// Usage: npm run mutate [-- <module> ...]   a module is a file name such as `auth`, `paths` or `plan`, or a path
// under src/ (`client/files/paths`).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const config = JSON.parse(fs.readFileSync(path.join(root, 'stryker.config.json'), 'utf8'));
const MIN_SCORE = config.thresholds.break;
const reportFile = path.join(root, config.jsonReporter.fileName);

function pick(wanted) {
  const files = config.mutate.filter((f) => {
    const base = path.basename(f, '.ts');
    return f === wanted || base === wanted || f === `src/${wanted}` || f === `src/${wanted}.ts`;
  });
  if (files.length === 0) {
    console.error(`mutate: no module "${wanted}"; known: ${config.mutate.map((f) => path.basename(f, '.ts')).join(', ')}`);
    process.exit(2);
  }
  return files;
}

const subset = process.argv.slice(2).flatMap(pick);
const args = [path.join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), 'run', 'stryker.config.json'];
if (subset.length) args.push('--mutate', subset.join(','));

fs.rmSync(reportFile, { force: true });
const started = Date.now();
const run = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
const seconds = Math.round((Date.now() - started) / 1000);
if (!fs.existsSync(reportFile)) {
  console.error(`mutate: Stryker wrote no report (exit ${run.status}) after ${seconds} s`);
  process.exit(1);
}

// Stryker's score: detected (killed + timeout) over valid mutants (detected + survived + no coverage).
const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
const rows = [];
for (const [file, { mutants }] of Object.entries(report.files)) {
  const count = (status) => mutants.filter((m) => m.status === status).length;
  const killed = count('Killed') + count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = killed + survived + noCoverage;
  rows.push({ file: path.relative(root, path.resolve(root, file)), valid, killed, survived, noCoverage, score: valid ? (100 * killed) / valid : 100 });
}
rows.sort((a, b) => a.file.localeCompare(b.file));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(`\n${pad('module', 42)}${lpad('mutants', 8)}${lpad('killed', 8)}${lpad('survived', 10)}${lpad('no cov.', 9)}${lpad('score', 9)}`);
for (const r of rows) {
  const flag = r.score < MIN_SCORE ? '  < ' + MIN_SCORE + ' %' : '';
  console.log(`${pad(r.file, 42)}${lpad(r.valid, 8)}${lpad(r.killed, 8)}${lpad(r.survived, 10)}${lpad(r.noCoverage, 9)}${lpad(r.score.toFixed(1) + ' %', 9)}${flag}`);
}
const total = rows.reduce((t, r) => ({ valid: t.valid + r.valid, killed: t.killed + r.killed }), { valid: 0, killed: 0 });
console.log(`${pad('all', 42)}${lpad(total.valid, 8)}${lpad(total.killed, 8)}${lpad('', 19)}${lpad(((100 * total.killed) / (total.valid || 1)).toFixed(1) + ' %', 9)}`);
console.log(`run time ${Math.floor(seconds / 60)} min ${seconds % 60} s; report: ${path.relative(root, path.join(path.dirname(reportFile), 'index.html'))}`);

const below = rows.filter((r) => r.score < MIN_SCORE);
if (below.length) console.error(`mutate: ${below.length} module(s) below ${MIN_SCORE} %: ${below.map((r) => r.file).join(', ')}`);
process.exit(below.length || run.status !== 0 ? 1 : 0);
