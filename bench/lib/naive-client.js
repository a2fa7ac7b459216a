'use strict';
// The naive Digest client the requests-per-call benchmark compares ours with: it asks for a fresh challenge on every
// call (request without credentials, 401, request with credentials), which is what one-shot clients do
// (prusa3d/Prusa-Link-Web#507). It speaks both dialects: Buddy's RFC 2069 and Pi PrusaLink's MD5-sess with qop=auth.

const http = require('node:http');
const { createHash, randomBytes } = require('node:crypto');

const md5 = (s) => createHash('md5').update(s).digest('hex');

function parseChallenge(header) {
  const params = {};
  for (const m of String(header).replace(/^Digest\s+/i, '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    params[m[1].toLowerCase()] = m[2] ?? m[3];
  }
  return params;
}

function authorization(challenge, user, password, method, uri) {
  const ha2 = md5(`${method}:${uri}`);
  if (!challenge.qop) {
    const response = md5(`${md5(`${user}:${challenge.realm}:${password}`)}:${challenge.nonce}:${ha2}`);
    return `Digest username="${user}", realm="${challenge.realm}", nonce="${challenge.nonce}", uri="${uri}", response="${response}"`;
  }
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const ha1 = md5(`${md5(`${user}:${challenge.realm}:${password}`)}:${challenge.nonce}:${cnonce}`);
  const response = md5(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return (
    `Digest username="${user}", realm="${challenge.realm}", nonce="${challenge.nonce}", uri="${uri}", ` +
    `algorithm=${challenge.algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}", opaque="${challenge.opaque}", response="${response}"`
  );
}

class NaiveDigestClient {
  constructor({ host, port, user = 'maker', password }) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  request(path, headers = {}) {
    return new Promise((resolve, reject) => {
      const req = http.get(
        { host: this.host, port: this.port, path, agent: this.agent, headers: { 'User-Agent': 'naive-bench', ...headers } },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    });
  }

  /** GET with a fresh challenge every time: two requests per call. */
  async getJson(path) {
    const first = await this.request(path);
    if (first.status !== 401) throw new Error(`expected a challenge, got ${first.status}`);
    const challenge = parseChallenge(first.headers['www-authenticate']);
    const second = await this.request(path, { Authorization: authorization(challenge, this.user, this.password, 'GET', path) });
    if (second.status !== 200) throw new Error(`authenticated request failed with ${second.status}`);
    return JSON.parse(second.body.toString('utf8'));
  }

  close() {
    this.agent.destroy();
  }
}

module.exports = { NaiveDigestClient };
