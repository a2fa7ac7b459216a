'use strict';
const net = require('node:net');
// Test-side HTTP and Digest helpers. The Digest math is done here with node:crypto, independently of the simulator.
const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');

const md5 = (s) => crypto.createHash('md5').update(s).digest('hex');

/** One request on a fresh connection; resolves with status, headers and the whole body. */
function request(baseUrl, path, { method = 'GET', headers = {}, body, agent = false, ca } = {}) {
  const url = new URL(baseUrl);
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      { host: url.hostname, port: url.port, path, method, headers, agent, ca, rejectUnauthorized: !!ca },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({
            status: res.statusCode,
            headers: res.headers,
            body: buf,
            text: buf.toString('utf8'),
            json: () => JSON.parse(buf.toString('utf8')),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

function parseChallenge(header) {
  const out = {};
  const re = /(\w+)="?([^",]*)"?/g;
  let m;
  while ((m = re.exec(header.replace(/^Digest\s+/i, ''))) !== null) out[m[1]] = m[2];
  return out;
}

/** Buddy's RFC 2069 Digest: quoted params only, no qop/algorithm. */
function buddyAuthorization(password, nonce, method, uri) {
  const ha1 = md5(`maker:Printer API:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const response = md5(`${ha1}:${nonce}:${ha2}`);
  return `Digest username="maker", realm="Printer API", nonce="${nonce}", uri="${uri}", response="${response}"`;
}

/** Pi's RFC 2617 MD5-sess Digest. */
function piAuthorization({ user, password, nonce, opaque, method, uri, cnonce = '0a4f113b', nc = '00000001' }) {
  const ha1 = md5(`${md5(`${user}:Administrator:${password}`)}:${nonce}:${cnonce}`);
  const ha2 = md5(`${method}:${uri}`);
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return (
    `Digest username="${user}", realm="Administrator", nonce="${nonce}", uri="${uri}", algorithm="MD5-sess", ` +
    `response="${response}", opaque="${opaque}", qop=auth, nc=${nc}, cnonce="${cnonce}"`
  );
}

/** Gets a Buddy nonce from a 401 challenge. */
async function buddyNonce(baseUrl) {
  const r = await request(baseUrl, '/api/version');
  return parseChallenge(r.headers['www-authenticate']).nonce;
}

/** A request with Buddy Digest auth (fetching a nonce first). */
async function buddyDigest(baseUrl, path, opts = {}, password = 'password') {
  const nonce = await buddyNonce(baseUrl);
  const method = opts.method || 'GET';
  const headers = { ...(opts.headers || {}), Authorization: buddyAuthorization(password, nonce, method, path) };
  return request(baseUrl, path, { ...opts, headers });
}

/** Sends the control request with the printer's token. */
function control(printer, path, { method = 'POST', body, token = printer.controlToken } = {}) {
  const headers = { 'X-Sim-Token': token };
  let payload;
  if (body !== undefined) {
    payload = Buffer.isBuffer(body) ? body : JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  return request(printer.url, `/_sim/${path}`, { method, headers, body: payload });
}

async function waitFor(fn, { timeoutMs = 5000, intervalMs = 20 } = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Starts an upload whose body is written in parts; resolves the response as soon as it arrives (possibly before
 * the body is complete). `write(n)` sends n more bytes of the declared body.
 */
function startUpload(baseUrl, path, { headers = {}, length }) {
  const url = new URL(baseUrl);
  const req = http.request({ host: url.hostname, port: url.port, path, method: 'PUT', agent: false, headers: { 'Content-Length': length, ...headers } });
  req.on('error', () => {}); // the server may close while we still write: the answer matters, not the write
  const response = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
  });
  return {
    response,
    write: (buf) => new Promise((resolve) => req.write(buf, () => resolve())),
    end: (buf) => req.end(buf),
    destroy: () => req.destroy(),
  };
}

/** One raw request; resolves with everything the server sent before it closed. */
function raw(port, text) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(text));
    const chunks = [];
    s.on('data', (c) => chunks.push(c));
    s.on('error', reject);
    s.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

module.exports = {
  raw,
  md5,
  request,
  parseChallenge,
  buddyAuthorization,
  piAuthorization,
  buddyNonce,
  buddyDigest,
  control,
  waitFor,
  startUpload,
};
