'use strict';
// The Pi simulator lists a new upload only after its listing delay (PrusaLink 0.8.1: 114–225 ms after the 201).
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { request, raw } = require('./helpers');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withPi(opts, fn) {
  const p = await startSimulator({ family: 'pi', apiKey: 'pikey', ...opts });
  try {
    return await fn(p, { 'X-Api-Key': 'pikey' });
  } finally {
    await p.stop();
  }
}
const put = (p, h, name) =>
  request(p.url, `/api/v1/files/local/${name}`, { method: 'PUT', headers: { ...h, 'Content-Type': 'text/x.gcode', 'Content-Length': 5 }, body: Buffer.from('G28\n\n') });

describe('Pi listing delay', () => {
  it('a new upload: GET, HEAD, folder listings, legacy listing and print answer as if absent until the delay has passed', () =>
    withPi({ piListingDelayMs: 300 }, async (p, h) => {
      assert.equal((await put(p, h, 'new.gcode')).status, 201);
      assert.equal((await request(p.url, '/api/v1/files/local/new.gcode', { headers: h })).status, 404);
      // The Pi answers a HEAD error as HTTP/1.0 with a body (test/sim/pi-real-quirks): read the status line raw.
      const head = await raw(p.port, 'HEAD /api/v1/files/local/new.gcode HTTP/1.1\r\nHost: x\r\nX-Api-Key: pikey\r\n\r\n');
      assert.match(head, /^HTTP\/1\.0 404 /);
      const folder = JSON.parse((await request(p.url, '/api/v1/files/local', { headers: h })).text);
      assert.deepEqual(folder.children.map((c) => c.name), []);
      const legacy = JSON.parse((await request(p.url, '/api/files', { headers: h })).text);
      assert.deepEqual(legacy.files[0].children, []);
      assert.equal((await request(p.url, '/api/v1/files/local/new.gcode', { method: 'POST', headers: h })).status, 404);
      assert.deepEqual(p.control.listFiles(), ['new.gcode'], 'the file is on the disk at once');
      await sleep(350);
      const info = await request(p.url, '/api/v1/files/local/new.gcode', { headers: h });
      assert.equal(info.status, 200);
      assert.equal(JSON.parse(info.text).size, 5);
    }));

  it('the default delay is 150 ms: absent at once, listed after 200 ms', () =>
    withPi({}, async (p, h) => {
      await put(p, h, 'd.gcode');
      assert.equal((await request(p.url, '/api/v1/files/local/d.gcode', { headers: h })).status, 404);
      await sleep(200);
      assert.equal((await request(p.url, '/api/v1/files/local/d.gcode', { headers: h })).status, 200);
    }));

  it('delay 0: listed at once', () =>
    withPi({ piListingDelayMs: 0 }, async (p, h) => {
      await put(p, h, 'z.gcode');
      assert.equal((await request(p.url, '/api/v1/files/local/z.gcode', { headers: h })).status, 200);
    }));

  it('an existing name is refused even while the new file is not listed yet', () =>
    withPi({ piListingDelayMs: 1000 }, async (p, h) => {
      await put(p, h, 'twice.gcode');
      assert.equal((await put(p, h, 'twice.gcode')).status, 409);
    }));

  it('a negative or non-numeric delay is refused', async () => {
    await assert.rejects(startSimulator({ family: 'pi', piListingDelayMs: -1 }), /piListingDelayMs/);
    await assert.rejects(startSimulator({ family: 'pi', piListingDelayMs: 'x' }), /piListingDelayMs/);
  });
});
