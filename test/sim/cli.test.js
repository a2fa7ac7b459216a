'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { request } = require('./helpers');

const CLI = path.resolve(__dirname, '../../dist/sim/cli.js');

function run(args) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = (n) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const l = out.split('\n').filter(Boolean);
        if (l.length >= n) resolve(l);
      };
      child.stdout.on('data', check);
      exited.then(() => reject(new Error(`exited early: ${err}`)));
      check();
    });
  return { child, exited, lines, stderr: () => err };
}

describe('prusalink-sim CLI', () => {
  it('starts two printers on free ports, prints URL/family/credentials and the token, serves, exits 0 on SIGTERM', async () => {
    const r = run(['--family', 'pi', '--port', '0', '--printers', '2', '--password', 'pw', '--demo-files', '--speed', '5']);
    const lines = await r.lines(3);
    const urls = lines.slice(0, 2).map((l) => l.split(' ')[0]);
    assert.match(lines[0], /^http:\/\/127\.0\.0\.1:\d+ family=pi user=maker password=pw$/);
    assert.match(lines[2], /^control-token=[0-9a-f]{32}$/);
    assert.notEqual(urls[0], urls[1]);
    const challenge = await request(urls[1], '/api/version');
    assert.equal(challenge.status, 401);
    const token = lines[2].split('=')[1];
    const files = await request(urls[0], '/_sim/files', { headers: { 'X-Sim-Token': token } });
    assert.ok(files.json().includes('Benchy 0.2mm PLA.gcode'));
    r.child.kill('SIGTERM');
    assert.equal(await r.exited, 0);
  });

  it('buddy on consecutive ports answers X-Api-Key with the password', async () => {
    const r = run(['--family', 'buddy', '--port', '0']);
    const [line] = await r.lines(1);
    assert.match(line, /family=buddy user=maker password=password api-key=password/);
    const res = await request(line.split(' ')[0], '/api/version', { headers: { 'X-Api-Key': 'password' } });
    assert.equal(res.json().text, 'PrusaLink');
    r.child.kill('SIGINT');
    assert.equal(await r.exited, 0);
  });

  for (const args of [['--nope'], ['--family', 'octoprint'], ['--port', '70000'], ['--speed', 'fast'], ['--printers', '0']]) {
    it(`bad flags exit 2 with a message: ${args.join(' ')}`, async () => {
      const r = run(args);
      assert.equal(await r.exited, 2);
      assert.match(r.stderr(), /^prusalink-sim: .+\n/);
    });
  }

  it('--help prints usage and exits 0', async () => {
    const r = run(['--help']);
    assert.equal(await r.exited, 0);
  });
});
