// What git tracks in a checkout, as a comparable snapshot, so that scripts/test.js can tell whether a test run
// changed a tracked file. Outside a git checkout (a packed tarball, no git installed) there is nothing to compare.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

function git(root, args) {
  const res = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return res.status === 0 ? res.stdout : null;
}

function digest(file) {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return 'missing';
  }
}

/**
 * Map of tracked file -> "<status> <content hash>" for the tracked files that differ from HEAD (git status),
 * or null outside a git checkout. The hash catches a test changing a file that was already edited before the run.
 */
function trackedState(root) {
  if (git(root, ['rev-parse', '--is-inside-work-tree']) === null) return null;
  const out = git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=no']);
  if (out === null) return null;
  const state = new Map();
  const fields = out.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i];
    if (!entry) continue;
    const code = entry.slice(0, 2);
    const file = entry.slice(3);
    // A rename or copy is followed by its source path in the next field.
    if (code[0] === 'R' || code[0] === 'C') i++;
    state.set(file, `${code} ${digest(path.join(root, file))}`);
  }
  return state;
}

/** Tracked files whose state differs between two snapshots of trackedState(), sorted. */
function changedBetween(before, after) {
  const files = new Set([...before.keys(), ...after.keys()]);
  return [...files].filter((file) => before.get(file) !== after.get(file)).sort();
}

module.exports = { trackedState, changedBetween };
