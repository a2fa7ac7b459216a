'use strict';
// The config dialog's "Test connection" endpoint: stored secrets stay with the address they were stored
// for, the id must be a printer config node, and the answer is a short reason, never the target's words.
const { describe, it, before, after, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const h = require('./flow-helpers');

const PASSWORD = 'S3cret-pass-9f2';
const API_KEY = 'K3y-7d1c-apikey';
const MARKER = 'MARKER-body-text-7c41';

/** A plain HTTP server on 127.0.0.1 that records every request and answers as `answer` says. */
function recordingServer(answer) {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, headers: req.headers });
    answer(req, res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        requests,
        port: server.address().port,
        stop: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      }),
    ),
  );
}

/** Asks for Digest like a PrusaLink printer would, to lure a client into answering with a stored password. */
function digestChallenge(_req, res) {
  res.writeHead(401, { 'WWW-Authenticate': 'Digest realm="Printer API", nonce="abc123", qop="auth"', 'Content-Type': 'text/plain' });
  res.end(MARKER + ' unauthorized');
}

const post = (body) => h.helper.request().post('/prusalink-printer/test').send(body).expect(200);

describe('Test connection endpoint', () => {
  let sim;
  let other;
  before(async () => {
    sim = await h.startSimulator({ family: 'buddy', password: PASSWORD, apiKey: API_KEY });
  });
  after(async () => sim.stop());
  beforeEach(async () => {
    await h.startServer();
    const { flow } = h.flowWith(sim, [{ id: 's1', type: 'prusalink-status', interval: '0', output: 'poll', wires: [[]] }]);
    // Both secrets stored, so either auth mode could leak one.
    await h.load(flow, { printer1: { user: 'maker', password: PASSWORD, apiKey: API_KEY } });
  });
  afterEach(async () => {
    await h.stopServer();
    if (other) await other.stop();
    other = null;
  });

  const stored = () => ({ id: 'printer1', host: sim.host, port: String(sim.port), protocol: 'http', auth: 'digest', timeout: '2', user: 'maker' });

  it('the stored secret works for the host and port it was stored with', async () => {
    const res = await post({ ...stored(), password: '__PWRD__' });
    assert.equal(res.body.ok, true, JSON.stringify(res.body));
    assert.equal(res.body.family, 'buddy');
  });

  for (const auth of ['digest', 'apikey']) {
    it(`a stored ${auth} secret is not sent to another port: no X-Api-Key, no Digest answer, a reason that says why`, async () => {
      other = await recordingServer(digestChallenge);
      const body = { ...stored(), port: String(other.port), auth, password: '__PWRD__', apiKey: '__PWRD__' };
      const res = await post(body);
      for (const r of other.requests) {
        assert.equal(r.headers['x-api-key'], undefined, 'an API key reached the other host');
        assert.equal(r.headers.authorization, undefined, 'a Digest answer reached the other host');
      }
      assert.equal(other.requests.length, 0, 'refused before any request');
      assert.deepEqual(res.body, { ok: false, code: 'INVALID_ARGUMENT', reason: 'storedSecretOtherAddress' });
    });
  }

  it('a stored secret is not sent to another host name either (same port)', async () => {
    const res = await post({ ...stored(), host: 'localhost', password: '__PWRD__' });
    assert.deepEqual(res.body, { ok: false, code: 'INVALID_ARGUMENT', reason: 'storedSecretOtherAddress' });
  });

  it('a secret typed in the dialog may be tried against another address', async () => {
    other = await recordingServer(digestChallenge);
    const res = await post({ ...stored(), port: String(other.port), auth: 'apikey', apiKey: 'typed-key-123' });
    assert.equal(other.requests[0].headers['x-api-key'], 'typed-key-123');
    assert.equal(res.body.ok, false);
    assert.equal(res.body.reason, 'unauthorized');
  });

  it('refuses an id that names a node of another type, before any request', async () => {
    other = await recordingServer(digestChallenge);
    const res = await post({ ...stored(), id: 's1', port: String(other.port), auth: 'apikey', apiKey: 'typed-key-123' });
    assert.deepEqual(res.body, { ok: false, code: 'INVALID_ARGUMENT', reason: 'notPrinterNode' });
    assert.equal(other.requests.length, 0);
  });

  it('an id with nothing stored (a dialog not yet deployed) and __PWRD__ asks for the secret', async () => {
    const res = await post({ ...stored(), id: 'never-deployed', password: '__PWRD__' });
    assert.deepEqual(res.body, { ok: false, code: 'INVALID_ARGUMENT', reason: 'noStoredSecret' });
  });

  for (const [what, answer, reason] of [
    ['401 with a body', digestChallenge, 'unauthorized'],
    ['500 with a body', (_q, res) => { res.writeHead(500, { 'Content-Type': 'text/plain' }); res.end(MARKER + ' internal'); }, 'printerError'],
    ['200 HTML page', (_q, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(`<html><title>${MARKER}</title></html>`); }, 'notPrusaLink'],
    ['404 JSON with a message', (_q, res) => { res.writeHead(404, { 'Content-Type': 'application/json' }); res.end(JSON.stringify({ message: MARKER })); }, 'notPrusaLink'],
  ]) {
    it(`a target answering ${what}: reason "${reason}", none of its body text in the reply`, async () => {
      other = await recordingServer(answer);
      const res = await post({ ...stored(), id: undefined, port: String(other.port), auth: 'apikey', apiKey: 'typed-key-123' });
      assert.equal(res.body.ok, false);
      assert.equal(res.body.reason, reason, JSON.stringify(res.body));
      assert.ok(!JSON.stringify(res.body).includes('MARKER'), JSON.stringify(res.body));
    });
  }

  it('a closed port is "unreachable"', async () => {
    other = await recordingServer(digestChallenge);
    const port = other.port;
    await other.stop();
    other = null;
    const res = await post({ ...stored(), id: undefined, port: String(port), auth: 'apikey', apiKey: 'typed-key-123' });
    assert.deepEqual({ ok: res.body.ok, code: res.body.code, reason: res.body.reason }, { ok: false, code: 'UNREACHABLE', reason: 'unreachable' });
  });

  it('a target that never answers is "timeout"', async () => {
    other = await recordingServer(() => {});
    const res = await post({ ...stored(), id: undefined, port: String(other.port), timeout: '1', auth: 'apikey', apiKey: 'typed-key-123' });
    assert.deepEqual({ ok: res.body.ok, code: res.body.code, reason: res.body.reason }, { ok: false, code: 'TIMEOUT', reason: 'timeout' });
  });

  it('settings that cannot work are refused with our own words, before any request', async () => {
    const res = await post({ ...stored(), id: undefined, password: '' });
    assert.equal(res.body.reason, 'invalidSettings');
    assert.equal(res.body.code, 'INVALID_ARGUMENT');
    assert.match(res.body.message, /password is empty/);
  });
});

describe('Test connection reasons', () => {
  const { testFailureReason } = require('../../dist/nodes/printer-test-endpoint');
  it('maps each client code to one short reason', () => {
    const table = {
      AUTH_FAILED: 'unauthorized',
      FORBIDDEN: 'unauthorized',
      UNREACHABLE: 'unreachable',
      TIMEOUT: 'timeout',
      TLS: 'tls',
      PROTOCOL: 'notPrusaLink',
      NOT_FOUND: 'notPrusaLink',
      UNSUPPORTED: 'notPrusaLink',
      SERVER_ERROR: 'printerError',
      INVALID_ARGUMENT: 'invalidSettings',
      CONFIG: 'invalidSettings',
      PRINTER_BUSY: 'error',
      SOMETHING_ELSE: 'error',
    };
    for (const [code, reason] of Object.entries(table)) assert.equal(testFailureReason(code), reason, code);
  });
});
