'use strict';
// The machine a run happened on, for RESULTS.md.

const fs = require('node:fs');
const os = require('node:os');

function readOr(file, fallback) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function describeMachine() {
  const cpuinfo = readOr('/proc/cpuinfo', '');
  const model = (cpuinfo.match(/^model name\s*:\s*(.+)$/m) || [])[1] || os.cpus()[0]?.model || 'unknown';
  const release = (readOr('/etc/os-release', '').match(/^PRETTY_NAME="?([^"\n]+)"?$/m) || [])[1] || os.type();
  return [
    ['date', new Date().toISOString()],
    ['CPU', model],
    ['cores', String(os.cpus().length)],
    ['memory', `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ['Node.js', process.version],
    ['OS', `${release}, kernel ${os.release()} (${os.arch()})`],
    ['load average (1/5/15 min)', os.loadavg().map((l) => l.toFixed(2)).join(' / ')],
  ];
}

module.exports = { describeMachine };
