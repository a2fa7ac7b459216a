'use strict';
// Uploads and downloads pass through the simulator without being held whole in memory; the multipart parser copes
// with delimiters split anywhere and with fields on either side of the file part.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { Readable } = require('node:stream');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { MultipartParser } = require('../../dist/sim/http/multipart');
const { request, waitFor, piAuthorization, parseChallenge } = require('./helpers');

const KEY = { 'X-Api-Key': 'apikey', Accept: 'application/json' };
const MB = 1024 * 1024;
const BOUNDARY = '----streamtest7d3f';

/** Multipart pieces around a file part: fields before and after it, in the order given. */
function form({ before = {}, after = {}, fileName }) {
  const field = (k, v) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  const head = Buffer.from(
    Object.entries(before).map(([k, v]) => field(k, v)).join('') +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from('\r\n' + Object.entries(after).map(([k, v]) => field(k, v)).join('') + `--${BOUNDARY}--\r\n`);
  return { head, tail, contentType: `multipart/form-data; boundary=${BOUNDARY}` };
}

/** A whole small multipart body. */
function smallForm(opts, data) {
  const f = form(opts);
  return { body: Buffer.concat([f.head, data, f.tail]), contentType: f.contentType };
}

/** `size` bytes of G-code-ish text from one reused buffer: the generator itself allocates nothing per chunk. */
function generated(size) {
  const chunk = Buffer.alloc(64 * 1024, 'G1 X10 Y10 E0.1\n');
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return this.push(null);
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
}

/** POSTs a body streamed from `parts` (Buffers and Readables, in order); resolves with status and text. */
function postStreamed(url, target, { headers, length, parts }) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: target, method: 'POST', agent: false, headers: { ...headers, 'Content-Length': length } });
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    (async () => {
      for (const part of parts) {
        if (Buffer.isBuffer(part)) {
          if (!req.write(part)) await new Promise((r) => req.once('drain', r));
          continue;
        }
        for await (const c of part) if (!req.write(c)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })().catch(reject);
  });
}

/** Samples this process's RSS every few ms while `fn` runs; resolves with fn's value and the growth in bytes. */
async function rssGrowth(fn) {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const value = await fn(() => (peak = Math.max(peak, process.memoryUsage().rss)));
    return { value, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

describe('multipart parser', () => {
  const collect = (body, chunkSize) => {
    const parts = [];
    const parser = new MultipartParser(BOUNDARY, (info) => {
      const part = { ...info, chunks: [] };
      parts.push(part);
      return { data: (c) => part.chunks.push(Buffer.from(c)), end: () => (part.ended = true) };
    });
    for (let i = 0; i < body.length; i += chunkSize) parser.write(body.subarray(i, i + chunkSize));
    return { complete: parser.complete, parts: parts.map((p) => ({ name: p.name, filename: p.filename, ended: p.ended, data: Buffer.concat(p.chunks).toString('latin1') })) };
  };

  it('gives the same parts whatever the chunking, 1-byte chunks included', () => {
    // Data that looks like the start of a delimiter, and CRLFs, must come through untouched.
    const tricky = `G28\r\n--${BOUNDARY.slice(0, 9)}\r\n-\r\n--\r\n--${BOUNDARY.slice(0, -1)}`;
    const { body } = smallForm({ before: { path: 'a dir' }, after: { print: 'true' }, fileName: 'T.gcode' }, Buffer.from(tricky + '\nG1\n'));
    const whole = collect(body, body.length);
    assert.equal(whole.complete, true);
    assert.deepEqual(
      whole.parts.map((p) => [p.name, p.filename, p.ended]),
      [['path', undefined, true], ['file', 'T.gcode', true], ['print', undefined, true]],
    );
    assert.equal(whole.parts[1].data, tricky + '\nG1\n');
    for (const size of [1, 2, 3, 7, BOUNDARY.length + 3]) assert.deepEqual(collect(body, size), whole, `chunks of ${size}`);
  });

  it('is incomplete without the closing delimiter, and refuses an endless header block', () => {
    const { body } = smallForm({ fileName: 'x.gcode' }, Buffer.from('G28\n'));
    assert.equal(collect(body.subarray(0, body.length - 10), 1).complete, false);
    const parser = new MultipartParser(BOUNDARY, () => ({ data() {}, end() {} }));
    assert.throws(() => parser.write(Buffer.from(`--${BOUNDARY}\r\nX-Long: ${'a'.repeat(20000)}`)), /headers too long/);
  });
});

describe('streamed multipart upload (mini-legacy)', () => {
  it('a 200 MB upload with discardUploads keeps the simulator process RSS growth under 64 MB', async () => {
    const p = await startSimulator({ family: 'mini-legacy', discardUploads: true });
    try {
      const SIZE = 200 * MB;
      const f = form({ after: { print: 'false' }, fileName: 'Big upload.gcode' });
      const length = f.head.length + SIZE + f.tail.length;
      const { value: r, growth } = await rssGrowth(() =>
        postStreamed(p.url, '/api/files/local', { headers: { ...KEY, 'Content-Type': f.contentType }, length, parts: [f.head, generated(SIZE), f.tail] }),
      );
      assert.equal(r.status, 201, r.text);
      assert.ok(growth < 64 * MB, `RSS grew by ${(growth / MB).toFixed(1)} MB`);
      const listed = (await request(p.url, '/api/files', { headers: KEY })).json().files[0].children.find((x) => x.display === 'Big upload.gcode');
      assert.equal(listed.size, SIZE);
      const rec = p.control.requests().find((x) => x.method === 'POST');
      assert.equal(rec.bodyBytes, length);
      assert.equal(rec.status, 201);
    } finally {
      await p.stop();
    }
  });

  it('delimiters split into 1-byte writes; `print` after the file part starts the print', async () => {
    const p = await startSimulator({ family: 'mini-legacy' });
    try {
      const data = Buffer.from(`G28\r\n--${BOUNDARY.slice(0, 6)}\nG1 X1\n`);
      const { body, contentType } = smallForm({ before: { path: 'ignored' }, after: { print: 'true' }, fileName: 'Split print.gcode' }, data);
      const parts = [...body].map((b) => Buffer.from([b]));
      const r = await postStreamed(p.url, '/api/files/local', { headers: { ...KEY, 'Content-Type': contentType }, length: body.length, parts });
      assert.equal(r.status, 201, r.text);
      assert.deepEqual(p.control.readFile('Split print.gcode'), data);
      assert.equal(p.control.state, 'PRINTING');
    } finally {
      await p.stop();
    }
  });

  it('an existing name is refused with 409 as soon as the file part begins; one transfer at a time', async () => {
    const p = await startSimulator({ family: 'mini-legacy', files: { 'Taken.gcode': 'G28\n' } });
    try {
      const f = form({ fileName: 'Taken.gcode' });
      const u = new URL(p.url);
      const req = http.request({ host: u.hostname, port: u.port, path: '/api/files/local', method: 'POST', agent: false, headers: { ...KEY, 'Content-Type': f.contentType, 'Content-Length': f.head.length + 10 * MB } });
      req.on('error', () => {}); // the printer closes while we would still write
      const answered = new Promise((resolve) => req.on('response', (res) => resolve(res.statusCode)));
      req.write(f.head);
      assert.equal(await answered, 409);
      req.destroy();

      // A slow upload holds the slot; a second one meanwhile gets 409.
      const g = form({ fileName: 'Slow.gcode' });
      const slow = http.request({ host: u.hostname, port: u.port, path: '/api/files/local', method: 'POST', agent: false, headers: { ...KEY, 'Content-Type': g.contentType, 'Content-Length': g.head.length + 1000 + g.tail.length } });
      slow.on('error', () => {});
      slow.write(Buffer.concat([g.head, Buffer.alloc(500, 0x20)]));
      await waitFor(() => p.control.listFiles().includes('Slow.gcode'));
      const second = smallForm({ fileName: 'Other.gcode' }, Buffer.from('G28\n'));
      const busy = await request(p.url, '/api/files/local', { method: 'POST', headers: { ...KEY, 'Content-Type': second.contentType, 'Content-Length': second.body.length }, body: second.body });
      assert.equal(busy.status, 409);
      assert.match(busy.text, /Another transfer in progress/);
      slow.destroy();
      await waitFor(() => !p.control.listFiles().includes('Slow.gcode'));
    } finally {
      await p.stop();
    }
  });

  it('resetAfterBytes cuts the connection and keeps no file', async () => {
    const p = await startSimulator({ family: 'mini-legacy' });
    try {
      p.control.setFaults({ resetAfterBytes: 2000 });
      const { body, contentType } = smallForm({ fileName: 'Reset.gcode' }, Buffer.alloc(10_000, 0x20));
      await assert.rejects(postStreamed(p.url, '/api/files/local', { headers: { ...KEY, 'Content-Type': contentType }, length: body.length, parts: [body] }));
      await waitFor(() => !p.control.listFiles().includes('Reset.gcode'));
      p.control.setFaults({});
      const r = await postStreamed(p.url, '/api/files/local', { headers: { ...KEY, 'Content-Type': contentType }, length: body.length, parts: [body] });
      assert.equal(r.status, 201);
    } finally {
      await p.stop();
    }
  });
});

describe('streamed multipart upload (pi)', () => {
  async function piHeaders(p, method, uri) {
    const challenge = parseChallenge((await request(p.url, '/api/version')).headers['www-authenticate']);
    const { user, password } = p.credentials;
    return { Authorization: piAuthorization({ user, password, nonce: challenge.nonce, opaque: challenge.opaque, method, uri }), Accept: 'application/json' };
  }

  for (const [label, order] of [['path before the file', 'before'], ['path after the file', 'after']]) {
    it(`${label}: stored in the folder, progress in /api/v1/transfer while it runs`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-stream-'));
      const p = await startSimulator({ family: 'pi', filesDir: dir });
      try {
        const data = Buffer.alloc(3 * MB, 'G1 X2\n');
        const f = form({ [order]: { path: 'legacy dir' }, fileName: 'pi part.gcode' });
        const length = f.head.length + data.length + f.tail.length;
        const u = new URL(p.url);
        const req = http.request({ host: u.hostname, port: u.port, path: '/api/files/local', method: 'POST', agent: false, headers: { ...(await piHeaders(p, 'POST', '/api/files/local')), 'Content-Type': f.contentType, 'Content-Length': length } });
        const answer = new Promise((resolve, reject) => {
          req.on('response', (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode));
          });
          req.on('error', reject);
        });
        await new Promise((r) => req.write(Buffer.concat([f.head, data.subarray(0, MB)]), r));
        const tr = await waitFor(async () => {
          const t = await request(p.url, '/api/v1/transfer', { headers: await piHeaders(p, 'GET', '/api/v1/transfer') });
          return t.status === 200 && t.json().transferred > 0 && t.json();
        });
        assert.equal(tr.display_name, 'pi part.gcode');
        assert.ok(tr.progress > 0 && tr.progress < 100);
        req.end(Buffer.concat([data.subarray(MB), f.tail]));
        assert.equal(await answer, 201);
        assert.deepEqual(fs.readFileSync(path.join(dir, 'legacy dir', 'pi part.gcode')), data);
        assert.deepEqual(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`prusalink-sim-${process.pid}-`)), []);
      } finally {
        await p.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('streamed downloads', () => {
  it('Buddy /usb/... streams a 150 MB file from disk: complete, and RSS grows by far less than the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-dl-'));
    const SIZE = 150 * MB;
    const fd = fs.openSync(path.join(dir, 'Large file.gcode'), 'w');
    const chunk = Buffer.alloc(MB, 'G1 X3\n');
    for (let i = 0; i < SIZE; i += MB) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    const p = await startSimulator({ family: 'buddy', filesDir: dir });
    const BUDDY_KEY = { 'X-Api-Key': p.credentials.password };
    try {
      const alias = (await request(p.url, '/api/v1/files/usb', { headers: BUDDY_KEY })).json().children.find((c) => c.display_name === 'Large file.gcode').name;
      const u = new URL(p.url);
      const { value, growth } = await rssGrowth(
        (sample) =>
          new Promise((resolve, reject) => {
            http
              .get({ host: u.hostname, port: u.port, path: `/usb/${alias}`, headers: BUDDY_KEY, agent: false }, (res) => {
                let bytes = 0;
                let same = true;
                res.on('data', (c) => {
                  bytes += c.length;
                  if (c[0] !== 0x47 && c[0] !== 0x31 && c[0] !== 0x20 && c[0] !== 0x58 && c[0] !== 0x33 && c[0] !== 0x0a) same = false;
                  sample();
                });
                res.on('end', () => resolve({ status: res.statusCode, length: Number(res.headers['content-length']), bytes, same }));
              })
              .on('error', reject);
          }),
      );
      assert.equal(value.status, 200);
      assert.equal(value.length, SIZE);
      assert.equal(value.bytes, SIZE);
      assert.ok(value.same);
      assert.ok(growth < 64 * MB, `RSS grew by ${(growth / MB).toFixed(1)} MB`);
    } finally {
      await p.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Pi raw download streams the stored bytes; a discarded upload cannot be downloaded whole', async () => {
    const p = await startSimulator({ family: 'pi', apiKey: 'pikey', discardUploads: true, piListingDelayMs: 0, files: { 'seed.gcode': 'G28\nG1 X1\n' } });
    try {
      const h = { 'X-Api-Key': p.credentials.apiKey };
      const r = await request(p.url, '/api/files/local/PrusaLink%20gcodes/seed.gcode/raw', { headers: h });
      assert.equal(r.status, 200);
      assert.equal(r.text, 'G28\nG1 X1\n');
      const put = await request(p.url, '/api/v1/files/local/gone.gcode', { method: 'PUT', headers: { ...h, 'Content-Type': 'text/x.gcode', 'Content-Length': 100 }, body: Buffer.alloc(100, 0x20) });
      assert.equal(put.status, 201);
      await assert.rejects(request(p.url, '/api/files/local/PrusaLink%20gcodes/gone.gcode/raw', { headers: h }));
    } finally {
      await p.stop();
    }
  });
});
