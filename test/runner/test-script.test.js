// scripts/test.js itself: it lists every skip with its reason, fails under CI=true when anything was skipped,
// and fails naming any tracked file a test changed.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const SKIP_FIXTURE = path.join(__dirname, 'fixtures', 'one-skip.fixture.js');
const CLEAN_FIXTURE = path.join(__dirname, 'fixtures', 'no-skip.fixture.js');

/** Runs `node scripts/test.js <args>` in `cwd` with CI set or removed; resolves with { status, stdout, stderr }. */
function runScript(script, args, { ci, cwd }) {
  const env = { ...process.env };
  delete env.CI;
  delete env.UPDATE_DOCS_IMAGES;
  // Set by the test runner for its child processes; a nested `node --test` that sees it runs no files.
  delete env.NODE_TEST_CONTEXT;
  if (ci) env.CI = 'true';
  const res = spawnSync(process.execPath, [script, ...args], { cwd, env, encoding: 'utf8', timeout: 60000 });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

const SKIP_LINE = 'Skipped: test/runner/fixtures/one-skip.fixture.js: fixture suite › a skipped fixture test — the fixture skips this on purpose';

describe('scripts/test.js: skipped tests', () => {
  const script = path.join(root, 'scripts', 'test.js');

  it('lists each skip with its reason at the end and exits 0 without CI', () => {
    const res = runScript(script, [SKIP_FIXTURE], { ci: false, cwd: root });
    assert.equal(res.status, 0, res.stdout + res.stderr);
    const lines = res.stdout.split('\n').filter((l) => l.startsWith('Skipped: '));
    assert.deepEqual(lines, [SKIP_LINE]);
  });

  it('exits non-zero under CI=true when a test was skipped, and says why', () => {
    const res = runScript(script, [SKIP_FIXTURE], { ci: true, cwd: root });
    assert.equal(res.status, 1, res.stdout + res.stderr);
    assert.ok(res.stdout.includes(SKIP_LINE), res.stdout);
    assert.match(res.stderr, /FAIL: 1 skipped under CI=true/);
  });

  it('exits 0 under CI=true when nothing was skipped, and lists nothing', () => {
    const res = runScript(script, [CLEAN_FIXTURE], { ci: true, cwd: root });
    assert.equal(res.status, 0, res.stdout + res.stderr);
    assert.equal(res.stdout.includes('Skipped:'), false, res.stdout);
  });

  it('does not collect *.fixture.js files from a folder', () => {
    const res = runScript(script, [path.join('test', 'runner', 'fixtures')], { ci: false, cwd: root });
    assert.equal(res.status, 1);
    assert.match(res.stderr, /no test files found/);
  });
});

describe('scripts/test.js: tests must not change tracked files', () => {
  // A throw-away git checkout with a copy of the script and one tracked file, so that a test can change it.
  let repo;
  const git = (...args) => {
    const res = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
    assert.equal(res.status, 0, `git ${args.join(' ')}: ${res.stderr}`);
  };
  before(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-runner-'));
    fs.mkdirSync(path.join(repo, 'scripts', 'lib'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'test'));
    for (const f of ['test.js', 'lib/skip-reporter.js', 'lib/tracked-files.js']) {
      fs.copyFileSync(path.join(root, 'scripts', f), path.join(repo, 'scripts', f));
    }
    fs.writeFileSync(path.join(repo, 'tracked.txt'), 'original\n');
    fs.writeFileSync(path.join(repo, 'edited.txt'), 'original\n');
    fs.writeFileSync(
      path.join(repo, 'test', 'writes.fixture.js'),
      "require('node:test').it('writes into the checkout', () => require('node:fs').writeFileSync(require('node:path').join(__dirname, '..', process.env.TARGET_FILE), 'changed by a test\\n'));\n",
    );
    fs.writeFileSync(path.join(repo, 'test', 'quiet.fixture.js'), "require('node:test').it('writes nothing', () => {});\n");
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'fixture');
    // A file already edited before the run: only a change *during* the run counts.
    fs.writeFileSync(path.join(repo, 'edited.txt'), 'edited by hand\n');
  });
  after(() => fs.rmSync(repo, { recursive: true, force: true }));

  const run = (fixture, targetFile) => {
    process.env.TARGET_FILE = targetFile;
    try {
      return runScript(path.join(repo, 'scripts', 'test.js'), [path.join('test', fixture)], { ci: false, cwd: repo });
    } finally {
      delete process.env.TARGET_FILE;
    }
  };

  it('fails naming a tracked file that a test changed', () => {
    const res = run('writes.fixture.js', 'tracked.txt');
    assert.equal(res.status, 1, res.stdout + res.stderr);
    assert.match(res.stderr, /the tests changed files that git tracks[^\n]*\n {2}tracked\.txt\n/);
  });

  it('fails naming a file that was already edited and that a test changed again', () => {
    const res = run('writes.fixture.js', 'edited.txt');
    assert.equal(res.status, 1, res.stdout + res.stderr);
    assert.match(res.stderr, /\n {2}edited\.txt\n/);
  });

  it('passes when the tests leave tracked files alone (a file edited before the run is not blamed)', () => {
    const res = run('quiet.fixture.js', 'unused');
    assert.equal(res.status, 0, res.stdout + res.stderr);
    assert.equal(res.stderr.includes('changed files that git tracks'), false, res.stderr);
  });
});
