// Loopback networking for the end-to-end tests: free ports and a small HTTP client that keeps no socket open.
'use strict';
const http = require('node:http');
const net = require('node:net');

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * One HTTP request with `Connection: close` (agent: false), so nothing stays open after the answer.
 * `body` may be a string, a Buffer or an object (sent as JSON). Resolves with status, headers and text.
 */
function request(url, { method = 'GET', headers = {}, body, timeoutMs = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    let payload = body;
    const h = { Connection: 'close', ...headers };
    if (payload !== undefined && !Buffer.isBuffer(payload) && typeof payload !== 'string') {
      payload = JSON.stringify(payload);
      h['Content-Type'] = h['Content-Type'] || 'application/json';
    }
    if (payload !== undefined) h['Content-Length'] = Buffer.byteLength(payload);
    const req = http.request(url, { method, headers: h, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode,
          headers: res.headers,
          text,
          json() {
            return JSON.parse(text);
          },
        });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Polls `probe` (an async function returning a truthy value when done) until it succeeds or time runs out. */
async function waitFor(probe, { timeoutMs = 30000, intervalMs = 200, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

module.exports = { freePort, request, waitFor };
