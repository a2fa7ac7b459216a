'use strict';
// What the real PrusaLink 0.8.1 taught the Pi simulator (issue 14), checked on the wire and through the client:
// a HEAD error answered as HTTP/1.0 with a body, early refusals closed at once with the body unread, and the file
// watcher's nested-folder race as a fault. Expected bytes come from the real server (test/real-pi, facts §4.6, §9).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { withSim, rejectsWith } = require('../client/helpers');
const { raw } = require('./helpers');
const net = require('node:net');

const MiB = 1024 * 1024;

describe('pi simulator: quirks of the real PrusaLink 0.8.1', () => {
  let sim;
  before(async () => {
    sim = await startSimulator({ family: 'pi', apiKey: 'k' });
  });
  after(() => sim.stop());

  it('HEAD of a missing file: HTTP/1.0 404 with a Content-Length and that many bytes of text after the headers', async () => {
    const answer = await raw(sim.port, 'HEAD /api/v1/files/local/missing.gcode HTTP/1.1\r\nHost: x\r\nX-Api-Key: k\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.0 404 Not Found\r\n/);
    const [head, body] = answer.split('\r\n\r\n');
    const length = Number(/Content-Length: (\d+)/.exec(head)[1]);
    assert.ok(length > 0, head);
    assert.equal(Buffer.byteLength(body, 'latin1'), length);
  });

  it('an upload to an existing name: 409 before the body is read, then a close with the body unread (writing it fails)', async () => {
    sim.control.addFile('same.gcode', 'G28\n');
    // half-open allowed: after the server's FIN we may still write, as an uploading client does
    const s = net.connect({ port: sim.port, host: '127.0.0.1', allowHalfOpen: true });
    let answer = '';
    s.on('data', (c) => (answer += c));
    s.on('error', () => undefined);
    s.write('PUT /api/v1/files/local/same.gcode HTTP/1.1\r\nHost: x\r\nX-Api-Key: k\r\nContent-Type: text/x.gcode\r\nContent-Length: 5242880\r\n\r\n');
    await new Promise((r) => setTimeout(r, 200));
    assert.match(answer, /^HTTP\/1\.1 409 /);
    // a lingering server (Buddy in the simulator) would read and discard this; PrusaLink has closed the socket
    const outcome = await new Promise((resolve) => s.write(Buffer.alloc(5 * MiB, 'x'), (err) => resolve(err ? 'write failed' : 'written')));
    s.destroy();
    assert.equal(outcome, 'write failed');
    const put = sim.control.requests().filter((r) => r.method === 'PUT').at(-1);
    assert.deepEqual([put.status, put.bodyBytes], [409, 0]);
  });
});

describe('client on the pi simulator: the defects the real server showed', () => {
  it('14.4 exists() of a missing file is false, and the profile is kept (no second detection)', () =>
    withSim({ family: 'pi' }, async (sim, make) => {
      const c = make();
      assert.equal(await c.exists('missing.gcode'), false);
      assert.equal(await c.exists('folder/missing.gcode'), false);
      const versions = sim.control.requests().filter((r) => r.path === '/api/version').length;
      await c.storage();
      assert.equal(sim.control.requests().filter((r) => r.path === '/api/version').length, versions);
    }));

  it('14.2 a 5 MiB upload to an existing name is FILE_EXISTS (the printer would close with the body unread), no body sent', () =>
    withSim({ family: 'pi' }, async (sim, make) => {
      sim.control.addFile('same.gcode', 'G28\n');
      const c = make();
      await rejectsWith(c.upload({ buffer: Buffer.alloc(5 * MiB, 'G1 X1\n') }, 'same.gcode'), 'FILE_EXISTS');
      assert.equal(sim.control.requests().filter((r) => r.method === 'PUT').length, 0);
    }));

  it('14.2 a 5 MiB upload to a name with # (PrusaLink forbids it) is INVALID_PATH before any request', () =>
    withSim({ family: 'pi' }, async (sim, make) => {
      const c = make();
      await c.detect();
      const before = sim.control.requests().length;
      await rejectsWith(c.upload({ buffer: Buffer.alloc(5 * MiB, 'G1 X1\n') }, 'part#2.gcode'), 'INVALID_PATH', /#/);
      assert.equal(sim.control.requests().length, before);
    }));

  it('14.1 with the nested-folder race on, folders created three deep and a file in the deepest are all listed', () =>
    withSim({ family: 'pi' }, async (sim, make) => {
      sim.control.setFaults({ piFolderRace: 300 });
      const c = make();
      await c.createFolder('x');
      await c.createFolder('x/parts');
      await c.createFolder('x/parts/deep');
      await c.upload({ buffer: Buffer.from('G28\n') }, 'x/parts/deep/f.gcode');
      await c.upload({ buffer: Buffer.from('G28\n') }, 'y/a/b/g.gcode');
      assert.equal((await c.fileInfo('x/parts/deep/f.gcode')).path, '/local/x/parts/deep/f.gcode');
      assert.equal((await c.fileInfo('y/a/b/g.gcode')).path, '/local/y/a/b/g.gcode');
    }));

  it('the race fault itself: folders made back to back on the wire lose the inner ones from the listing', () =>
    withSim({ family: 'pi', apiKey: 'k' }, async (sim) => {
      sim.control.setFaults({ piFolderRace: 300 });
      const put = (p) => fetch(`${sim.url}/api/v1/files/local/${p}`, { method: 'PUT', headers: { 'X-Api-Key': 'k', 'Create-Folder': '?1' } });
      assert.equal((await put('r')).status, 201);
      assert.equal((await put('r/s')).status, 201);
      const get = (p) => fetch(`${sim.url}/api/v1/files/local/${p}`, { headers: { 'X-Api-Key': 'k', Accept: 'application/json' } });
      assert.equal((await get('r')).status, 404, 'listed before the watcher picked it up');
      await new Promise((r) => setTimeout(r, 350));
      assert.equal((await get('r')).status, 200);
      assert.equal((await get('r/s')).status, 404);
      assert.deepEqual((await (await get('r')).json()).children, []);
    }));
});

describe('client: a connection closed in the middle of an upload body', () => {
  it('is reported (no answer came) but keeps the printer profile: the next call detects nothing again', () =>
    withSim({ family: 'pi' }, async (sim, make) => {
      const c = make();
      await c.detect();
      sim.control.setFaults({ resetAfterBytes: 100_000 });
      const e = await rejectsWith(c.upload({ buffer: Buffer.alloc(4 * MiB, 'G1 X1\n') }, 'cut.gcode'), 'UNREACHABLE', /closed|reset/);
      assert.match(e.message, /during the upload/);
      sim.control.clearFaults();
      const versions = sim.control.requests().filter((r) => r.path === '/api/version').length;
      await c.storage();
      assert.equal(sim.control.requests().filter((r) => r.path === '/api/version').length, versions, 'detected again');
    }));
});
