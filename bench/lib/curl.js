'use strict';
// curl as the reference for what the loopback can do: same endpoint, same headers, its peak RSS from /proc.

const { spawn, execFileSync } = require('node:child_process');
const { sampleProcessPeak } = require('./memory');

function curlAvailable() {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs curl with `args` (plus output and timing options); resolves with its HTTP status, the transfer time curl
 * measured itself, and its peak RSS. `Expect:` is cleared because PrusaLink does not answer 100-continue.
 */
function runCurl(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-sS', '-o', '/dev/null', '-H', 'Expect:', '-w', '%{http_code} %{time_total}', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const sampler = sampleProcessPeak(child.pid, 20);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => {
      sampler.stop();
      reject(e);
    });
    child.on('close', (code) => {
      const rssPeak = sampler.stop();
      const [status, seconds] = out.trim().split(' ');
      if (code !== 0) return reject(new Error(`curl exited ${code}: ${err.trim()}`));
      resolve({ status: Number(status), ms: Number(seconds) * 1000, rssPeak });
    });
  });
}

module.exports = { curlAvailable, runCurl };
