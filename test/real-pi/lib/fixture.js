'use strict';
// The real PrusaLink 0.8.1 (Pi edition) with a fake MK3S, from ../shared/real-pi (see its README): found, started on
// a free port in a directory of our own, and stopped. Locally the suite skips (one line) where the fixture cannot
// run; with CI=true a missing fixture is a failure, not a skip.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '../../..');
const CANDIDATES = [path.resolve(REPO, '../shared/real-pi'), '/work/shared/real-pi'];
/** Where setup.sh built PrusaLink (its default: $TMPDIR/real-pi, else /tmp/real-pi). */
const BUILD_DIR = process.env.REAL_PI_BUILD_DIR || path.join(process.env.TMPDIR || '/tmp', 'real-pi');
const CREDENTIALS = { user: 'maker', password: 'barspw123', apiKey: 'barskey' };
const IN_CI = process.env.CI === 'true';

function fixtureDir() {
  return CANDIDATES.find((d) => fs.existsSync(path.join(d, 'run.sh')));
}

/** Why the fixture cannot run here, or undefined when it can. */
function unavailable() {
  const dir = fixtureDir();
  if (!dir) return `the real PrusaLink fixture is not here (looked in ${CANDIDATES.join(', ')})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'the real PrusaLink fixture needs root';
  if (!fs.existsSync(path.join(BUILD_DIR, 'venv/bin/python'))) return `the real PrusaLink is not built in ${BUILD_DIR} (run ${dir}/setup.sh)`;
  return undefined;
}

/** node:test options for the suite: skip with the reason locally, run (and fail) in CI. */
function suiteOptions() {
  const why = unavailable();
  if (!why) return {};
  if (IN_CI) return {}; // start() throws the reason: in CI the suite must run
  return { skip: `real PrusaLink suite skipped: ${why}` };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts the fixture in a fresh directory (its venv borrowed from the build); resolves with { url, port, stop, dir }. */
async function start({ lineDelay = '0.02' } = {}) {
  const why = unavailable();
  if (why) throw new Error(why);
  const dir = fixtureDir();
  const own = fs.mkdtempSync(path.join(os.tmpdir(), 'real-pi-test-'));
  fs.symlinkSync(path.join(BUILD_DIR, 'venv'), path.join(own, 'venv'));
  const env = { ...process.env, REAL_PI_DIR: own, NO_TEMP_WAIT: '1', LINE_DELAY: lineDelay };
  const port = await freePort();
  const run = spawnSync('bash', [path.join(dir, 'run.sh'), String(port)], { env, encoding: 'utf8', timeout: 200000 });
  const stop = () => {
    spawnSync('bash', [path.join(dir, 'stop.sh')], { env, encoding: 'utf8', timeout: 30000 });
    fs.rmSync(own, { recursive: true, force: true });
  };
  if (run.status !== 0) {
    const log = readLog(own);
    stop();
    throw new Error(`the real PrusaLink did not start (exit ${run.status}): ${run.stderr || run.stdout}\n${log}`);
  }
  return { url: `http://127.0.0.1:${port}`, host: '127.0.0.1', port, dir: own, gcodes: '/srv/real-pi/PrusaLink gcodes', stop, credentials: CREDENTIALS };
}

function readLog(own) {
  try {
    return fs.readFileSync(path.join(own, 'run/prusalink.log'), 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '';
  }
}

module.exports = { suiteOptions, start, unavailable, CREDENTIALS, IN_CI };
