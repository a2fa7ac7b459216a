'use strict';
// Spawning helpers: run a Node script or a command and collect its output; the caller kills only what it started.

const { spawn } = require('node:child_process');

/** Runs `node <args>`; resolves with the last JSON line it printed. */
function runNodeJson(args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').filter(Boolean).pop();
      if (code !== 0 || !last) return reject(new Error(`node ${args.find((a) => a.endsWith('.js'))} exited ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`unparsable output: ${last.slice(0, 200)}`));
      }
    });
  });
}

module.exports = { runNodeJson };
