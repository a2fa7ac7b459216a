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

describe('sendGet, the wire itself (what the transport reads from it)', () => {
  const { once, getEventListeners } = require('node:events');
  const zlib = require('node:zlib');
  const { sendGet, GetAnswerError } = require('../../dist/client/transport/get-wire');

  /** sendGet's options for a GET of `target` on 127.0.0.1:`port`. */
  const opts = (port, extra = {}) => ({
    protocol: 'http',
    hostname: '127.0.0.1',
    port,
    agent: extra.agent ?? new http.Agent({ keepAlive: true }),
    target: '/api/version',
    headers: { Accept: 'application/json' },
    signal: extra.signal ?? new AbortController().signal,
    maxResponseBytes: 100,
    ...extra,
  });
  const send = (body, headers = {}) => (req, res) => {
    res.writeHead(200, { 'Content-Length': String(body.length), ...headers });
    res.end(body);
  };
  async function withRaw(answer, fn) {
    const srv = await rawServer(answer);
    try {
      await fn(srv);
    } finally {
      await srv.close();
    }
  }
  /** Rejects unless `p` rejects with a GetAnswerError whose message is exactly `message`. */
  async function answerError(p, message) {
    const e = await p.then(() => assert.fail('resolved'), (err) => err);
    assert.ok(e instanceof GetAnswerError, `got ${e && e.stack}`);
    assert.equal(e.name, 'GetAnswerError');
    assert.equal(e.code, 'ERR_BAD_RESPONSE', 'the code axios gave the same failure');
    assert.equal(e.message, message);
  }

  it('a GET of the target with the given headers; the answer\'s status, headers and body, read whole', () =>
    withRaw(send('{"api":"2.0.0"}', { 'X-Printer': 'mk4' }), async (srv) => {
      const res = await sendGet(opts(srv.port));
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-printer'], 'mk4');
      assert.equal(res.body.toString(), '{"api":"2.0.0"}');
      assert.deepEqual([srv.requests[0].method, srv.requests[0].url, srv.requests[0].headers.accept], ['GET', '/api/version', 'application/json']);
    }));

  it('an answer of exactly maxResponseBytes is read; one byte more is "the answer is larger than 100 bytes"', async () => {
    await withRaw(send('x'.repeat(100)), async (srv) => {
      assert.equal((await sendGet(opts(srv.port))).body.length, 100);
    });
    await withRaw(send('x'.repeat(101)), async (srv) => {
      await answerError(sendGet(opts(srv.port)), 'the answer is larger than 100 bytes');
    });
  });

  it('a decoded answer loses its Content-Encoding and Content-Length (they described the encoded bytes)', () =>
    withRaw(send(zlib.gzipSync('{"a":1}'), { 'Content-Encoding': ' GZIP ' }), async (srv) => {
      const res = await sendGet(opts(srv.port));
      assert.equal(res.body.toString(), '{"a":1}');
      assert.equal(res.headers['content-encoding'], undefined);
      assert.equal(res.headers['content-length'], undefined);
    }));

  it('"identity" is no encoding: the body and its headers as they came', () =>
    withRaw(send('{"a":1}', { 'Content-Encoding': 'identity' }), async (srv) => {
      const res = await sendGet(opts(srv.port));
      assert.equal(res.body.toString(), '{"a":1}');
      assert.equal(res.headers['content-encoding'], 'identity');
      assert.equal(res.headers['content-length'], '7');
    }));

  it('bytes that are not what their coding says: "could not be decoded (gzip: …)"', () =>
    withRaw(send(Buffer.from('not gzip at all'), { 'Content-Encoding': 'gzip' }), async (srv) => {
      const e = await sendGet(opts(srv.port)).catch((err) => err);
      assert.ok(e instanceof GetAnswerError);
      assert.match(e.message, /^the answer could not be decoded \(gzip: .+\)$/);
    }));

  it('decoded beyond maxResponseBytes: exactly "the answer is larger than 100 bytes", not a decoding failure', () =>
    withRaw(send(zlib.gzipSync('y'.repeat(5000)), { 'Content-Encoding': 'gzip' }), async (srv) => {
      await answerError(sendGet(opts(srv.port)), 'the answer is larger than 100 bytes');
    }));

  it('a refused connection rejects with its error, telling a fresh connection and no answer', async () => {
    const srv = await rawServer(send('{}'));
    const port = srv.port;
    await srv.close();
    const e = await sendGet(opts(port)).catch((err) => err);
    assert.equal(e.code, 'ECONNREFUSED');
    assert.deepEqual(e.request, { reusedSocket: false, res: undefined });
    assert.equal(Object.keys(e).includes('request'), false, 'not enumerable: a log of the error shows nothing of the request');
  });

  it('a kept-alive connection dropped before the answer: the error tells a reused connection and no answer (the transport retries it)', () => {
    let n = 0;
    return withRaw((req, res) => {
      if (++n === 2) return req.socket.destroy();
      send('{}')(req, res);
    }, async (srv) => {
      const agent = new http.Agent({ keepAlive: true });
      await sendGet(opts(srv.port, { agent }));
      const e = await sendGet(opts(srv.port, { agent })).catch((err) => err);
      agent.destroy();
      assert.equal(e.code, 'ECONNRESET');
      assert.deepEqual(e.request, { reusedSocket: true, res: undefined });
    });
  });

  it('a connection reset after the answer began: the error tells that an answer had begun (no retry of an idle drop)', () =>
    withRaw((req, res) => {
      res.writeHead(200, { 'Content-Length': '500' });
      res.write('{"api":');
      setTimeout(() => req.socket.resetAndDestroy(), 20);
    }, async (srv) => {
      const e = await sendGet(opts(srv.port)).catch((err) => err);
      assert.equal(e.code, 'ECONNRESET');
      assert.deepEqual(e.request, { reusedSocket: false, res: {} });
    }));

  it('https: the GET goes over TLS with the https agent the transport gives', async () => {
    const https = require('node:https');
    const fs = require('node:fs');
    const path = require('node:path');
    const dir = path.join(__dirname, 'fixtures');
    const server = https.createServer({ key: fs.readFileSync(path.join(dir, 'selfsigned.key')), cert: fs.readFileSync(path.join(dir, 'selfsigned.crt')) }, (req, res) =>
      res.end(String(req.socket.encrypted)),
    );
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = new https.Agent({ rejectUnauthorized: false });
    try {
      const res = await sendGet(opts(server.address().port, { protocol: 'https', agent }));
      assert.equal(res.body.toString(), 'true');
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('an abort while the printer has not answered rejects with the signal\'s reason, drops the connection, leaves no listener', () => {
    let closed;
    return withRaw((req) => {
      closed = once(req.socket, 'close');
    }, async (srv) => {
      const ac = new AbortController();
      const reason = new Error('stop');
      const p = sendGet(opts(srv.port, { signal: ac.signal }));
      while (srv.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
      ac.abort(reason);
      assert.equal(await p.catch((err) => err), reason);
      await closed;
      assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
    });
  });

  it('an answered GET leaves no listener on the signal, and a later abort changes nothing', () =>
    withRaw(send('{}'), async (srv) => {
      const ac = new AbortController();
      const res = await sendGet(opts(srv.port, { signal: ac.signal }));
      assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
      ac.abort(new Error('late'));
      assert.equal(res.body.toString(), '{}');
    }));
});
