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
    server,
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

describe('the request target on the wire', () => {
  // Printer refs (a Pi thumbnail's query) may hold spaces and non-ASCII; fetchThumbnail sends them through ctx.request.
  const get = (client, target) => client.ctx.request({ method: 'GET', target });
  const png = (req, res) => {
    res.writeHead(200, { 'Content-Type': 'image/png' });
    res.end('png');
  };

  it('a space and an é go out percent-encoded as UTF-8 (/a%20b, %C3%A9), an existing %XX unchanged', () =>
    withServer(png, async (client, srv) => {
      await get(client, '/a b/x?name=café&k=%2B1');
      await get(client, '/é');
      assert.deepEqual(
        srv.requests.map((r) => r.url),
        ['/a%20b/x?name=caf%C3%A9&k=%2B1', '/%C3%A9'],
      );
    }));

  it('such a GET is answered, not UNREACHABLE: the transport does not tell its unreachable listeners', () =>
    withServer(png, async (client) => {
      let unreachable = 0;
      client.ctx.transport.whenUnreachable(() => unreachable++);
      const res = await get(client, '/api/thumbnails/PrusaLink gcodes/x.png?v=é 1');
      assert.equal(res.status, 200);
      assert.equal(res.body.toString(), 'png');
      assert.equal(unreachable, 0);
    }));
});

describe('a compressed answer (a proxy compressing although we asked for no encoding)', () => {
  const zlib = require('node:zlib');
  const json = '{"api":"2.0.0","text":"' + 'a'.repeat(200) + '"}';
  const encoded = { gzip: zlib.gzipSync(json), deflate: zlib.deflateSync(json), br: zlib.brotliCompressSync(json) };
  const answerAs = (coding, body) => (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': coding, 'Content-Length': String(body.length) });
    res.end(body);
  };

  for (const coding of Object.keys(encoded)) {
    it(`a ${coding} answer is decoded: the JSON is read`, () =>
      withServer(answerAs(coding, encoded[coding]), async (client) => {
        assert.deepEqual(await client.version(), JSON.parse(json));
      }));
  }

  it('a coding it cannot read is a PROTOCOL error naming it', () =>
    withServer(answerAs('compress', Buffer.from('xyz')), async (client) => {
      await rejectsWith(client.version(), 'PROTOCOL', /encoded as "compress"/);
    }));

  it('decoded, the answer is still held to maxResponseBytes', () =>
    withServer(answerAs('gzip', zlib.gzipSync('{"t":"' + 'b'.repeat(5000) + '"}')), async (client) => {
      await rejectsWith(client.version(), 'PROTOCOL', /larger than 1000 bytes/);
    }));
});

describe('an aborted GET', () => {
  it('a signal aborted before the call opens no connection to the printer', () =>
    withServer(
      (req, res) => res.end('{}'),
      async (client, srv) => {
        let connections = 0;
        srv.server.on('connection', () => connections++);
        await rejectsWith(client.ctx.request({ method: 'GET', target: '/api/version', signal: AbortSignal.abort() }), 'ABORTED');
        // A connect already started would reach the server within a few ms on 127.0.0.1.
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(connections, 0);
        assert.equal(srv.requests.length, 0);
      },
    ));
});
