'use strict';
const { describe, it, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');
const { request, parseChallenge, buddyAuthorization, buddyNonce, buddyDigest, control, waitFor, startUpload } = require('./helpers');

const KEY = { 'X-Api-Key': 'password', Accept: 'application/json' };
const LONG = 'Long file name.gcode';

describe('buddy: authentication', () => {
  let p;
  before(async () => {
    p = await startSimulator({ family: 'buddy' });
  });
  after(() => p.stop());

  it('no credentials: 401 with a Buddy Digest challenge', async () => {
    const r = await request(p.url, '/api/v1/status');
    assert.equal(r.status, 401);
    const c = parseChallenge(r.headers['www-authenticate']);
    assert.equal(c.realm, 'Printer API');
    assert.match(c.nonce, /^[0-9a-f]{16}$/);
    assert.equal(c.stale, 'false');
    assert.equal(c.qop, undefined);
    assert.match(r.headers['content-type'], /text\/plain/);
  });

  it('right Digest: 200; wrong password: 401 stale=false', async () => {
    assert.equal((await buddyDigest(p.url, '/api/v1/status')).status, 200);
    const bad = await buddyDigest(p.url, '/api/v1/status', {}, 'nope');
    assert.equal(bad.status, 401);
    assert.equal(parseChallenge(bad.headers['www-authenticate']).stale, 'false');
  });

  it('HA2 comes from the actual request target (query included)', async () => {
    const nonce = await buddyNonce(p.url);
    const r = await request(p.url, '/api/v1/status?x=1', {
      headers: { Authorization: buddyAuthorization('password', nonce, 'GET', '/api/v1/status') },
    });
    assert.equal(r.status, 401);
    const ok = await request(p.url, '/api/v1/status?x=1', {
      headers: { Authorization: buddyAuthorization('password', nonce, 'GET', '/api/v1/status?x=1') },
    });
    assert.equal(ok.status, 200);
  });

  it('a nonce from before a reboot gets stale=true with a fresh nonce, then works', async () => {
    const nonce = await buddyNonce(p.url);
    p.control.reboot();
    const r = await request(p.url, '/api/version', { headers: { Authorization: buddyAuthorization('password', nonce, 'GET', '/api/version') } });
    assert.equal(r.status, 401);
    const c = parseChallenge(r.headers['www-authenticate']);
    assert.equal(c.stale, 'true');
    assert.notEqual(c.nonce.slice(0, 8), nonce.slice(0, 8));
    const again = await request(p.url, '/api/version', { headers: { Authorization: buddyAuthorization('password', c.nonce, 'GET', '/api/version') } });
    assert.equal(again.status, 200);
  });

  it('X-Api-Key: right 200, wrong 401 ApiKey challenge, empty → Digest challenge', async () => {
    assert.equal((await request(p.url, '/api/version', { headers: KEY })).status, 200);
    const wrong = await request(p.url, '/api/version', { headers: { 'X-Api-Key': 'bad' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers['www-authenticate'], 'ApiKey realm="Printer API"');
    const empty = await request(p.url, '/api/version', { headers: { 'X-Api-Key': '' } });
    assert.equal(empty.status, 401);
    assert.match(empty.headers['www-authenticate'], /^Digest realm="Printer API"/);
  });

  it('thumbnails and downloads need auth too; records say which credentials came', async () => {
    p.control.clearRequests();
    assert.equal((await request(p.url, '/usb/X.GCO')).status, 401);
    assert.equal((await request(p.url, '/thumb/s/usb/X.GCO')).status, 401);
    await request(p.url, '/api/version', { headers: KEY });
    const recs = p.control.requests();
    assert.equal(recs.length, 3);
    assert.deepEqual(recs.map((r) => [r.auth, r.authOk, r.status]), [['none', false, 401], ['none', false, 401], ['apikey', true, 200]]);
  });
});

describe('buddy: nonce lifetime', () => {
  let p;
  before(async () => {
    p = await startSimulator({ family: 'buddy', nonceLifetime: 0 });
  });
  after(() => p.stop());

  it('an expired nonce with a correct response gets stale=true', async () => {
    const nonce = await buddyNonce(p.url);
    await new Promise((r) => setTimeout(r, 1100));
    const r = await request(p.url, '/api/version', { headers: { Authorization: buddyAuthorization('password', nonce, 'GET', '/api/version') } });
    assert.equal(r.status, 401);
    assert.equal(parseChallenge(r.headers['www-authenticate']).stale, 'true');
  });
});

describe('buddy: endpoints and files', () => {
  let p;
  before(async () => {
    p = await startSimulator({
      family: 'buddy',
      hostname: 'mk4-test',
      files: { [`dir/${LONG}`]: makeSampleGcode({ name: 'a' }), 'Other.gcode': makeSampleGcode({ name: 'b', thumbnails: [] }), 'notes.txt': 'x' },
    });
  });
  after(() => p.stop());
  const get = (path, opts = {}) => request(p.url, path, { ...opts, headers: { ...KEY, ...(opts.headers || {}) } });

  it('/api/version as Buddy ≥ 6.5.1 renders it (the default: the newest firmware, on an MK4)', async () => {
    const { firmware, ...v } = (await get('/api/version')).json();
    assert.match(firmware, /^6\.6\.0\+\d+$/);
    assert.deepEqual(v, {
      api: '2.0.0',
      server: '2.1.2',
      nozzle_diameter: 0.4,
      text: 'PrusaLink',
      hostname: 'mk4-test',
      capabilities: { 'upload-by-put': true },
      printer: '1.4.0',
    });
  });

  it('info, status (storage object), storage, job 204 and transfer 204 when idle', async () => {
    const info = (await get('/api/v1/info')).json();
    assert.equal(info.hostname, 'mk4-test');
    assert.equal(info.port, undefined);
    const st = (await get('/api/v1/status')).json();
    assert.deepEqual(st.storage, { path: '/usb/', name: 'usb', read_only: false });
    assert.equal(st.printer.state, 'IDLE');
    assert.equal(st.job, undefined);
    assert.equal(st.transfer, undefined);
    assert.equal((await get('/api/v1/storage')).json().storage_list[0].path, '/usb/');
    assert.equal((await get('/api/v1/job')).status, 204);
    assert.equal((await get('/api/v1/transfer')).status, 204);
  });

  it('endpoints Buddy lacks: 404; other storages: 403; wrong methods: 405', async () => {
    assert.equal((await get('/api/v1/cameras')).status, 404);
    assert.equal((await get('/api/v1/files/local/x.gcode')).status, 403);
    assert.equal((await get('/api/v1/status', { method: 'DELETE' })).status, 405);
    assert.equal((await get('/api/v1/transfer', { method: 'DELETE' })).status, 405);
  });

  it('folder listing: 8.3 name with display_name, ro, refs by alias, no size; root has no m_timestamp', async () => {
    const root = (await get('/api/v1/files/usb/')).json();
    assert.equal(root.name, 'usb');
    assert.equal(root.m_timestamp, undefined);
    assert.ok(!root.children.some((c) => c.display_name === 'notes.txt'), 'non-printable files are not listed');
    const dir = (await get('/api/v1/files/usb/dir')).json();
    const f = dir.children[0];
    assert.match(f.name, /^[A-Z0-9_~]{1,8}\.GCO$/);
    assert.equal(f.display_name, LONG);
    assert.equal(f.ro, false);
    assert.equal(f.read_only, undefined);
    assert.equal(f.size, undefined);
    assert.equal(f.refs.download, `/usb/DIR/${f.name}`);
    assert.equal(f.refs.icon, `/thumb/s/usb/DIR/${f.name}`);
  });

  it('both the long name and the 8.3 alias work in URLs; thumbnails are PNG; download is the file', async () => {
    const byLong = await get(`/api/v1/files/usb/dir/${encodeURIComponent(LONG)}`);
    assert.equal(byLong.status, 200);
    const alias = byLong.json().name;
    const byAlias = (await get(`/api/v1/files/usb/DIR/${alias}`)).json();
    assert.equal(byAlias.display_name, LONG);
    assert.equal(byAlias.size, makeSampleGcode({ name: 'a' }).length);
    for (const size of ['s', 'l']) {
      const t = await get(`/thumb/${size}/usb/DIR/${alias}`);
      assert.equal(t.status, 200);
      assert.deepEqual([...t.body.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    }
    const noThumb = await get('/thumb/l/usb/Other.gcode');
    assert.equal(noThumb.status, 404);
    const dl = await get(`/usb/DIR/${alias}`);
    assert.equal(dl.status, 200);
    assert.match(dl.headers['content-disposition'], /attachment/);
    assert.deepEqual(dl.body, p.control.readFile(`dir/${LONG}`));
  });

  it('HEAD: Read-Only and Currently-Printing headers, no body; If-None-Match → 304', async () => {
    const h = await get('/api/v1/files/usb/Other.gcode', { method: 'HEAD' });
    assert.equal(h.status, 200);
    assert.equal(h.headers['read-only'], 'false');
    assert.equal(h.headers['currently-printing'], 'false');
    assert.equal(h.body.length, 0);
    const again = await get('/api/v1/files/usb/Other.gcode', { headers: { 'If-None-Match': h.headers.etag } });
    assert.equal(again.status, 304);
  });

  it('errors: JSON {title,message} with Accept JSON, text/plain otherwise; missing file 404', async () => {
    const j = await get('/api/v1/files/usb/none.gcode');
    assert.equal(j.status, 404);
    assert.deepEqual(Object.keys(j.json()), ['title', 'message']);
    assert.equal(j.headers['content-location'], undefined);
    const t = await request(p.url, '/api/v1/files/usb/none.gcode', { headers: { 'X-Api-Key': 'password' } });
    assert.match(t.headers['content-type'], /text\/plain/);
    assert.match(t.text, /^404: Not Found\n\n/);
  });

  it('URL longer than 168 characters → 414; `..` → 404', async () => {
    assert.equal((await get('/api/v1/files/usb/' + 'a'.repeat(160))).status, 414);
    assert.equal((await get('/api/v1/files/usb/dir/%2E%2E/Other.gcode')).status, 404);
  });

  it('Create-Folder: 201, then 409; delete non-empty folder → 404; empty folder → 204', async () => {
    const mk = await get('/api/v1/files/usb/newdir', { method: 'PUT', headers: { 'Create-Folder': '?1', 'Content-Length': 0 } });
    assert.equal(mk.status, 201);
    assert.equal(mk.headers.connection, 'close');
    assert.equal((await get('/api/v1/files/usb/newdir', { method: 'PUT', headers: { 'Create-Folder': '?1', 'Content-Length': 0 } })).status, 409);
    assert.equal((await get('/api/v1/files/usb/dir', { method: 'DELETE' })).status, 404);
    assert.equal((await get('/api/v1/files/usb/dir', { method: 'DELETE', headers: { Force: '?1' } })).status, 404);
    assert.equal((await get('/api/v1/files/usb/newdir', { method: 'DELETE' })).status, 204);
    assert.ok(!p.control.listFiles().includes('newdir/'));
  });

  it('legacy: /api/files lists printable files only (8.3 name, display), /api/printer, /api/job, multipart 410', async () => {
    const files = (await get('/api/files')).json().files;
    assert.deepEqual(files.map((f) => f.display), ['Other.gcode']);
    const sub = (await get('/api/files/usb/dir')).json().files;
    assert.equal(sub[0].display, LONG);
    assert.equal((await get('/api/files/local/dir')).status, 403);
    const pr = (await get('/api/printer')).json();
    assert.equal(pr.state.text, 'Operational');
    assert.equal(pr.state.flags.closedOnError, false);
    assert.deepEqual((await get('/api/job')).json(), { state: 'Operational', job: null, progress: null });
    const mp = await get('/api/files/local', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, body: '--x--\r\n' });
    assert.equal(mp.status, 410);
    assert.equal(mp.headers.connection, 'close');
  });
});

describe('buddy: print state machine', () => {
  let p;
  before(async () => {
    p = await startSimulator({ family: 'buddy', speed: 50, files: { 'a.gcode': makeSampleGcode({ printSeconds: 3600 }), 'b.gcode': makeSampleGcode({ printSeconds: 3600 }) } });
  });
  after(() => p.stop());
  const call = (path, method = 'GET', body) => request(p.url, path, { method, headers: KEY, body });
  const state = async () => (await call('/api/v1/status')).json().printer.state;

  it('IDLE → PRINTING → PAUSED → PRINTING → FINISHED, job 204 after the end', async () => {
    assert.equal(await state(), 'IDLE');
    const start = await call('/api/v1/files/usb/a.gcode', 'POST');
    assert.equal(start.status, 204);
    assert.equal(start.headers.connection, 'close');
    assert.equal(await state(), 'PRINTING');
    const job = (await call('/api/v1/job')).json();
    assert.equal(job.state, 'PRINTING');
    assert.equal(job.file.display_name, 'a.gcode');
    assert.equal(job.file.path, '/usb');
    assert.equal((await call('/api/v1/files/usb/b.gcode', 'POST')).status, 409);
    assert.equal((await call(`/api/v1/job/${job.id}/resume`, 'PUT')).status, 409);
    assert.equal((await call(`/api/v1/job/${job.id + 1}/pause`, 'PUT')).status, 404);
    assert.equal((await call('/api/v1/job/abc/pause', 'PUT')).status, 400);
    assert.equal((await call(`/api/v1/job/${job.id}/continue`, 'PUT')).status, 400);
    assert.equal((await call(`/api/v1/job/${job.id}`, 'PUT')).status, 400);
    assert.equal((await call(`/api/v1/job/${job.id}/pause`, 'PUT')).status, 204);
    assert.equal(await state(), 'PAUSED');
    assert.equal((await call(`/api/v1/job/${job.id}/pause`, 'PUT')).status, 409);
    const head = await call('/api/v1/files/usb/a.gcode', 'HEAD');
    assert.equal(head.headers['currently-printing'], 'true');
    assert.equal((await call('/api/v1/files/usb/a.gcode', 'DELETE')).status, 409);
    assert.equal((await call(`/api/v1/job/${job.id}/resume`, 'PUT')).status, 204);
    assert.equal(await state(), 'PRINTING');
    p.control.setSpeed(100000);
    await waitFor(async () => (await state()) === 'FINISHED');
    assert.equal((await call('/api/v1/job')).status, 204);
    assert.equal((await call('/api/v1/status')).json().job, undefined);
    p.control.setSpeed(50);
  });

  it('stop → STOPPED (through BUSY); stop again 409; legacy pause/cancel', async () => {
    assert.equal((await call('/api/v1/files/usb/b.gcode', 'POST')).status, 204);
    const id = (await call('/api/v1/status')).json().job.id;
    assert.equal((await call('/api/job', 'POST', JSON.stringify({ command: 'pause', action: 'toggle' }))).status, 204);
    assert.equal(await state(), 'PAUSED');
    assert.equal((await call('/api/job', 'POST', JSON.stringify({ command: 'pause', action: 'resume' }))).status, 204);
    assert.equal((await call('/api/job', 'POST', JSON.stringify({ command: 'pause', action: 'nope' }))).status, 400);
    assert.equal((await call('/api/job', 'POST', JSON.stringify({ command: 'cancel', pad: 'x'.repeat(120) }))).status, 413);
    assert.equal((await call(`/api/v1/job/${id}`, 'DELETE')).status, 204);
    await waitFor(async () => (await state()) === 'STOPPED');
    assert.equal((await call(`/api/v1/job/${id}`, 'DELETE')).status, 404);
    assert.equal((await call('/api/job', 'POST', JSON.stringify({ command: 'cancel' }))).status, 409);
    // a print may start from STOPPED on Buddy, via the legacy start command too
    const legacyStart = await call('/api/files/usb/a.gcode', 'POST', JSON.stringify({ command: 'start' }));
    assert.equal(legacyStart.status, 204);
    assert.equal((await call('/api/job')).json().state, 'Printing');
    assert.equal((await call('/api/files/usb/a.gcode', 'POST', JSON.stringify({ command: 'select' }))).status, 400);
    p.control.setState('ATTENTION', 'test');
    assert.equal((await call('/api/v1/job')).json().state, 'PAUSED');
    assert.equal((await call('/api/v1/status')).json().printer.state, 'ATTENTION');
    p.control.setState('IDLE');
  });
});

describe('buddy: uploads', () => {
  let p;
  const body = makeSampleGcode({ name: 'up' });
  before(async () => {
    p = await startSimulator({ family: 'buddy', speed: 10, files: { 'exists.gcode': 'G28\n' } });
  });
  after(() => p.stop());
  beforeEach(() => p.control.clearFaults());
  const put = (path, data, headers = {}) =>
    request(p.url, path, { method: 'PUT', headers: { ...KEY, 'Content-Length': data.length, ...headers }, body: data });

  it('PUT creates the file (parents too): 201 FileInfo, Connection: close', async () => {
    const r = await put('/api/v1/files/usb/new%20dir/My%20upload.gcode', body);
    assert.equal(r.status, 201);
    assert.equal(r.headers.connection, 'close');
    assert.equal(r.json().display_name, 'My upload.gcode');
    assert.deepEqual(p.control.readFile('new dir/My upload.gcode'), body);
    const rec = p.control.requests().at(-1);
    assert.equal(rec.bodyBytes, body.length);
    assert.equal((await request(p.url, '/api/v1/status', { headers: KEY })).json().printer.state, 'IDLE');
  });

  it('existing file: 409 without Overwrite, 201 with it', async () => {
    assert.equal((await put('/api/v1/files/usb/exists.gcode', body)).status, 409);
    assert.equal((await put('/api/v1/files/usb/exists.gcode', body, { Overwrite: '?1' })).status, 201);
    assert.deepEqual(p.control.readFile('exists.gcode'), body);
  });

  it('Print-After-Upload starts the print; 409 when the printer is busy (file stored)', async () => {
    const r = await put('/api/v1/files/usb/p1.gcode', body, { 'Print-After-Upload': '?1' });
    assert.equal(r.status, 201);
    assert.equal((await request(p.url, '/api/v1/status', { headers: KEY })).json().printer.state, 'PRINTING');
    const busy = await put('/api/v1/files/usb/p2.gcode', body, { 'Print-After-Upload': '1' });
    assert.equal(busy.status, 409);
    assert.ok(p.control.readFile('p2.gcode').equals(Buffer.from(body)), 'the refused print-after-upload stored the whole file');
    p.control.setState('IDLE');
  });

  it('early answers while the body is still being written: 409 exists, 415, 422', async () => {
    for (const [path, status] of [
      ['/api/v1/files/usb/exists.gcode', 409],
      ['/api/v1/files/usb/picture.png', 415],
      ['/api/v1/files/usb/bad%3Aname.gcode', 422],
    ]) {
      const u = startUpload(p.url, path, { headers: KEY, length: 1_000_000 });
      await u.write(Buffer.alloc(1024, 0x20));
      const r = await u.response;
      assert.equal(r.status, status, path);
      assert.equal(r.headers.connection, 'close');
      u.destroy();
    }
  });

  it('a slow upload shows in status.transfer and /api/v1/transfer; a second upload gets 409', async () => {
    const size = 100_000;
    const u = startUpload(p.url, '/api/v1/files/usb/slow.gcode', { headers: KEY, length: size });
    await u.write(Buffer.alloc(1000, 0x20));
    const tr = await waitFor(async () => {
      const r = await request(p.url, '/api/v1/transfer', { headers: KEY });
      return r.status === 200 && r.json().transferred >= 1000 ? r.json() : undefined;
    });
    assert.equal(tr.size, String(size));
    assert.equal(tr.display_name, 'slow.gcode');
    assert.equal(tr.to_print, false);
    const st = (await request(p.url, '/api/v1/status', { headers: KEY })).json();
    assert.equal(st.transfer.transferred, 1000);
    const second = startUpload(p.url, '/api/v1/files/usb/other.gcode', { headers: KEY, length: 10 });
    await second.write(Buffer.from('G28'));
    const r2 = await second.response;
    assert.equal(r2.status, 409);
    assert.match(r2.text, /Another transfer in progress/);
    second.destroy();
    u.end(Buffer.alloc(size - 1000, 0x20));
    assert.equal((await u.response).status, 201);
    assert.equal((await request(p.url, '/api/v1/transfer', { headers: KEY })).status, 204);
  });

  it('an unauthenticated PUT gets its 401 (connection closed) while the body is still being written', async () => {
    const u = startUpload(p.url, '/api/v1/files/usb/noauth.gcode', { length: 1_000_000 });
    await u.write(Buffer.alloc(1024, 0x20));
    const r = await u.response;
    assert.equal(r.status, 401);
    assert.equal(r.headers.connection, 'close');
    assert.match(r.headers['www-authenticate'], /^Digest /);
    u.destroy();
  });

  it('411 for a chunked body, 501 for a 0-byte body', async () => {
    const http = require('node:http');
    const url = new URL(p.url);
    const chunked = await new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: '/api/v1/files/usb/c.gcode', method: 'PUT', headers: KEY, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', () => {});
      req.write('G28\n');
      setTimeout(() => req.end(), 50);
    });
    assert.equal(chunked, 411);
    assert.equal((await put('/api/v1/files/usb/zero.gcode', Buffer.alloc(0))).status, 501);
  });

  it('a client that leaves mid-upload leaves no file and frees the transfer slot', async () => {
    const u = startUpload(p.url, '/api/v1/files/usb/gone.gcode', { headers: KEY, length: 10_000 });
    await u.write(Buffer.alloc(100, 0x20));
    await waitFor(async () => (await request(p.url, '/api/v1/transfer', { headers: KEY })).status === 200);
    u.destroy();
    await waitFor(async () => (await request(p.url, '/api/v1/transfer', { headers: KEY })).status === 204);
    assert.equal(p.control.readFile('gone.gcode'), undefined);
  });

  it('a path over 103 bytes → 414 (the default, 6.6.0; 6.3 truncates: generations.test.js); a name over 167 characters → 431', async () => {
    const name = 'n'.repeat(120) + '.gcode';
    const r = await put(`/api/v1/files/usb/${name}`, body);
    assert.equal(r.status, 414);
    const longName = 'x'.repeat(170) + '.gcode';
    const u = startUpload(p.url, `/api/v1/files/usb/${longName}`, { headers: KEY, length: 100 });
    // 414 wins here: the URL is over 168 characters too
    u.end(Buffer.alloc(100, 0x20));
    assert.equal((await u.response).status, 414);
  });
});

describe('buddy: at most three requests served at once', () => {
  let p;
  before(async () => {
    p = await startSimulator({ family: 'buddy' });
  });
  after(() => p.stop());

  it('a fourth request waits until one of three hung ones ends', async () => {
    p.control.setFaults({ hang: true });
    const http = require('node:http');
    const url = new URL(p.url);
    const hung = [];
    for (let i = 0; i < 3; i++) {
      const req = http.request({ host: url.hostname, port: url.port, path: '/api/version', headers: KEY, agent: false });
      req.on('error', () => {});
      req.end();
      hung.push(req);
    }
    await waitFor(() => p.control.requests().length === 3);
    p.control.clearFaults();
    let done = false;
    const fourth = request(p.url, '/api/version', { headers: KEY }).then((r) => {
      done = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(done, false);
    hung[0].destroy();
    assert.equal((await fourth).status, 200);
    hung.slice(1).forEach((r) => r.destroy());
  });
});
