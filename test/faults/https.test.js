'use strict';
// A printer behind HTTPS with a self-signed certificate: refused by default with an error that says
// what to do, accepted once the config node's "Accept a self-signed certificate" option is set.
const { CATCH_HAS_CODE } = require('../lib/node-red-runtime');
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./lib/harness');

const FIXTURES = path.join(__dirname, '../client/fixtures');
const tls = { key: fs.readFileSync(path.join(FIXTURES, 'selfsigned.key')), cert: fs.readFileSync(path.join(FIXTURES, 'selfsigned.crt')) };

describe('HTTPS with a self-signed certificate', () => {
  let sim;
  let watch;
  beforeEach(async () => {
    sim = await h.startSimulator({ family: 'buddy', speed: 50, tls });
    await h.startServer();
    watch = h.watchProcess();
  });
  afterEach(async () => {
    await h.stopServer();
    assert.equal(await h.socketsLeftTo(sim.port), 0);
    await sim.stop();
    assert.deepEqual(watch.stop(), []);
  });

  const statusFlow = (allowSelfSigned) =>
    h.flowWith(
      sim,
      [
        { id: 'st', type: 'prusalink-status', interval: '0', output: 'poll', wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ],
      { protocol: 'https', allowSelfSigned },
    );

  it('is refused by default: TLS error naming the option, red ring, nothing sent in clear', async () => {
    const { flow, credentials } = statusFlow(false);
    await h.load(flow, credentials);
    const caught = h.nextMsg('caught');
    h.helper.getNode('st').receive({});
    const err = (await caught).error;
    if (CATCH_HAS_CODE) assert.equal(err.code, 'TLS');
    assert.match(err.message, /certificate not accepted/);
    assert.match(err.message, /allowSelfSigned|self-signed/);
    assert.ok(err.message.includes(`127.0.0.1:${sim.port}`));
    assert.equal(h.lastStatus(h.helper.getNode('st')).fill, 'red');
    assert.deepEqual(h.apiRequests(sim), [], 'no request got past the handshake');
  });

  it('is accepted with the config node option set', async () => {
    const { flow, credentials } = statusFlow(true);
    await h.load(flow, credentials);
    const got = h.nextMsg('out');
    h.helper.getNode('st').receive({});
    assert.equal((await got).payload.state, 'IDLE');
    assert.ok(sim.url.startsWith('https://'));
  });
});
