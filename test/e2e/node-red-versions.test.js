// Runs the node-red-node-test-helper suites (every test folder that loads nodes in the helper) on the other
// 3.1 on Node 18 and 5.x on Node 22. `npm test` already runs it on Node-RED 4.1 / Node 20.
// The suite picks its Node-RED from NR_PATH (helper.init(process.env.NR_PATH || require.resolve('node-red'))).
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { root, LEGS, ensureCache, prerequisites } = require('./lib/env');
const { childEnv } = require('./lib/node-red');

const testDir = path.join(root, 'test');
/** Every test folder (but e2e) whose files run nodes in node-red-node-test-helper: the "test-helper suite". */
const suiteDirs = fs
  .readdirSync(testDir)
  .filter((d) => d !== 'e2e' && fs.statSync(path.join(testDir, d)).isDirectory())
  .filter((d) =>
    fs
      .readdirSync(path.join(testDir, d))
      .filter((f) => f.endsWith('.js'))
      .some((f) => /node-red-node-test-helper|flow-helpers/.test(fs.readFileSync(path.join(testDir, d, f), 'utf8'))),
  );
const suiteFiles = suiteDirs.flatMap((d) =>
  fs.readdirSync(path.join(testDir, d)).filter((f) => f.endsWith('.test.js')).map((f) => path.join(d, f)),
);

const skip = prerequisites([
  [suiteFiles.length > 0, 'no test-helper suite found under test/'],
  [!ensureCache(['nr3', 'nr5']), 'Node-RED 3.1/5 legs missing: node scripts/prepare-e2e.js'],
]);

/** The module a `require('node-red')` of that install would load (what helper.init expects). */
function nodeRedMain(leg) {
  const pkg = JSON.parse(fs.readFileSync(path.join(leg.nodeRed, 'package.json'), 'utf8'));
  return { main: path.join(leg.nodeRed, pkg.main), version: pkg.version };
}

function runSuite(leg, nrPath) {
  return new Promise((resolve, reject) => {
    // detached: its own process group, so that a hung suite is ended with the test runner it spawned
    const child = spawn(leg.node, [path.join(root, 'scripts', 'test.js'), ...suiteDirs.map((d) => 'test/' + d)], {
      cwd: root,
      env: childEnv({ NR_PATH: nrPath }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      out += '\n[e2e] the test-helper suite did not finish in 6 minutes: killed\n';
      process.kill(-child.pid, 'SIGKILL');
    }, 6 * 60 * 1000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** The runner's closing counters (`ℹ pass 12` with the spec reporter, `# pass 12` with TAP). */
function counter(out, name) {
  const m = out.match(new RegExp(`^[ℹ#]\\s*${name}\\s+(\\d+)\\s*$`, 'm'));
  return m ? Number(m[1]) : null;
}

describe('the test-helper suite on other Node-RED versions', { skip }, () => {
  it('every suite file picks Node-RED from NR_PATH (through test/lib/node-red-runtime.js)', () => {
    const ignoring = suiteDirs
      .flatMap((d) => fs.readdirSync(path.join(testDir, d)).filter((f) => f.endsWith('.js')).map((f) => path.join(d, f)))
      .filter((f) => {
        const text = fs.readFileSync(path.join(testDir, f), 'utf8');
        return /helper\.init\(/.test(text) && !/node-red-runtime|NR_PATH/.test(text);
      });
    assert.deepEqual(ignoring, [], 'these files call helper.init without NR_PATH');
  });

  for (const leg of [LEGS.nr3, LEGS.nr5]) {
    it(`passes on ${leg.label}`, async () => {
      const { main, version } = nodeRedMain(leg);
      const { code, out } = await runSuite(leg, main);
      const pass = counter(out, 'pass');
      const fail = counter(out, 'fail');
      const tail = out.split('\n').slice(-60).join('\n');
      assert.equal(code, 0, `the test-helper suite failed on Node-RED ${version}:\n${tail}`);
      assert.ok(pass !== null && pass > 0, `no test ran on Node-RED ${version}:\n${tail}`);
      assert.equal(fail, 0, tail);
    });
  }
});
