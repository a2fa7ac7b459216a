'use strict';
// The simulator in a process of its own (dist/sim/cli.js), so that the printers' work is not charged to the
// process being measured. The CLI prints one URL per printer; we wait for all of them.

const path = require('node:path');
const { spawn } = require('node:child_process');

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'sim', 'cli.js');
const URL_PATTERN = /https?:\/\/127\.0\.0\.1:\d+/g;

/**
 * Starts `count` printers of `family` (more CLI flags in `extraArgs`, e.g. --demo-files); resolves with their URLs
 * and a stop() that ends this one process.
 */
function startSimProcess(family, count, timeoutMs = 60_000, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const args = [CLI, '--family', family, '--port', '0', '--printers', String(count), ...extraArgs];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const urls = new Set();
    let out = '';
    let err = '';
    let settled = false;
    const fail = (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    const timer = setTimeout(() => fail(new Error(`simulator printed ${urls.size} of ${count} URLs in ${timeoutMs} ms: ${err.trim()}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      for (const m of out.matchAll(URL_PATTERN)) urls.add(m[0]);
      if (!settled && urls.size >= count) {
        settled = true;
        clearTimeout(timer);
        resolve({ urls: [...urls].slice(0, count), pid: child.pid, stop: () => stop(child) });
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`simulator exited ${code} before it was ready: ${err.trim()}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

module.exports = { startSimProcess };
