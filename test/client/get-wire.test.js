'use strict';
// Buffered GETs go out on node:http directly (src/client/transport/get-wire.ts), not through axios: what axios did
// for them must still hold. A raw server on 127.0.0.1 answers exactly what each test needs.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { rejectsWith, PrusaLinkClient } = require('./helpers');

/** A server whose every answer is written by `answer(req, res)`; resolves with its port, the requests and close(). */
async function rawServer(answer) {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, headers: req.headers });
    answer(req, res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

async function withServer(answer, fn) {
  const srv = await rawServer(answer);
  const client = new PrusaLinkClient({ host: '127.0.0.1', port: srv.port, apiKey: 'k', timeout: 2000, maxResponseBytes: 1000 });
  try {
    await fn(client, srv);
  } finally {
    client.close();
    await srv.close();
  }
}

describe('buffered GETs on node:http', () => {
  it('an answer cut off before its Content-Length is a PROTOCOL error "the answer was cut off"', () =>
    withServer(
      (req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '500' });
        res.write('{"api":"2.0.0",');
        setTimeout(() => res.socket.destroy(), 20);
      },
      async (client) => {
        await rejectsWith(client.version(), 'PROTOCOL', /the answer was cut off/);
      },
    ));

  it('an answer larger than maxResponseBytes is a PROTOCOL error naming the limit', () =>
    withServer(
      (req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ text: 'x'.repeat(5000) }));
      },
      async (client) => {
        await rejectsWith(client.version(), 'PROTOCOL', /larger than 1000 bytes/);
      },
    ));

  it('a GET carries our headers only: Accept, User-Agent and the credentials, no Accept-Encoding of a library', () =>
    withServer(
      (req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"api":"2.0.0"}');
      },
      async (client, srv) => {
        assert.deepEqual(await client.version(), { api: '2.0.0' });
        const { headers } = srv.requests[0];
        assert.equal(headers.accept, 'application/json');
        assert.equal(headers['x-api-key'], 'k');
        assert.match(headers['user-agent'], /prusalink/i);
        assert.equal(headers['accept-encoding'], undefined);
      },
    ));
});
