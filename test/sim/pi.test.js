'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');
const { request, parseChallenge, piAuthorization, waitFor, startUpload } = require('./helpers');

const UA = 'sim-test/1.0';

/** Digest-authenticated request against Pi PrusaLink, fetching a challenge for our User-Agent first. */
async function piCall(p, path, { method = 'GET', headers = {}, body, password = 'password', ua = UA } = {}) {
  const ch = await request(p.url, '/api/version', { headers: { 'User-Agent': ua } });
  const c = parseChallenge(ch.headers['www-authenticate']);
  const auth = piAuthorization({ user: 'maker', password, nonce: c.nonce, opaque: c.opaque, method, uri: path });
  return request(p.url, path, { method, body, headers: { 'User-Agent': ua, Accept: 'application/json', Authorization: auth, ...headers } });
}

describe('pi (PrusaLink 0.8.1)', () => {
  let p;
  const gcode = makeSampleGcode({ name: 'pi', printSeconds: 3600, printerModel: 'MK3S' });
  before(async () => {
    p = await startSimulator({ family: 'pi', speed: 10, apiKey: 'secret-key', hostname: 'mk3-pi', files: { 'My prints/Pi part.gcode': gcode, 'b.gcode': gcode } });
  });
  after(() => p.stop());

  it('401 challenge: realm Administrator, qop, MD5-sess, 64-hex nonce, opaque = sha256(hostname), HTML body', async () => {
    const r = await request(p.url, '/api/v1/status', { headers: { 'User-Agent': UA } });
    assert.equal(r.status, 401);
    const c = parseChallenge(r.headers['www-authenticate']);
    assert.equal(c.realm, 'Administrator');
    assert.equal(c.qop, 'auth');
    assert.equal(c.algorithm, 'MD5-sess');
    assert.match(c.nonce, /^[0-9a-f]{64}$/);
    assert.equal(c.opaque, require('node:crypto').createHash('sha256').update('mk3-pi').digest('hex'));
    assert.match(r.headers['content-type'], /text\/html/);
  });

  it('Digest right → 200; wrong password → 401 not stale; nonce reused with nc=2 works', async () => {
    assert.equal((await piCall(p, '/api/v1/status')).status, 200);
    const bad = await piCall(p, '/api/v1/status', { password: 'nope' });
    assert.equal(bad.status, 401);
    assert.equal(parseChallenge(bad.headers['www-authenticate']).stale, undefined);
    const ch = parseChallenge((await request(p.url, '/api/version', { headers: { 'User-Agent': UA } })).headers['www-authenticate']);
    for (const nc of ['00000001', '00000002']) {
      const auth = piAuthorization({ user: 'maker', password: 'password', nonce: ch.nonce, opaque: ch.opaque, method: 'GET', uri: '/api/version', nc });
      assert.equal((await request(p.url, '/api/version', { headers: { 'User-Agent': UA, Authorization: auth } })).status, 200);
    }
  });

  it('the nonce is bound to the User-Agent: another UA gets 401 stale=true', async () => {
    const ch = parseChallenge((await request(p.url, '/api/version', { headers: { 'User-Agent': UA } })).headers['www-authenticate']);
    const auth = piAuthorization({ user: 'maker', password: 'password', nonce: ch.nonce, opaque: ch.opaque, method: 'GET', uri: '/api/version' });
    const r = await request(p.url, '/api/version', { headers: { 'User-Agent': 'other/2.0', Authorization: auth } });
    assert.equal(r.status, 401);
    assert.equal(parseChallenge(r.headers['www-authenticate']).stale, 'true');
  });

  it('X-Api-Key: configured key 200, wrong key 403 "Bad X-Api-Key."', async () => {
    assert.equal((await request(p.url, '/api/version', { headers: { 'X-Api-Key': 'secret-key' } })).status, 200);
    const r = await request(p.url, '/api/version', { headers: { 'X-Api-Key': 'wrong' } });
    assert.equal(r.status, 403);
    assert.equal(r.text, 'Bad X-Api-Key.');
  });

  it('version, info (port integer), status (storage array), storage list', async () => {
    const v = (await piCall(p, '/api/version')).json();
    assert.equal(v.text, 'PrusaLink 0.8.1');
    assert.equal(v.original, 'PrusaLink I3MK3S');
    assert.deepEqual(v.capabilities, { 'upload-by-put': true });
    assert.equal((await piCall(p, '/api/v1/info')).json().port, p.port);
    const st = (await piCall(p, '/api/v1/status')).json();
    assert.ok(Array.isArray(st.storage));
    assert.deepEqual(st.storage.map((s) => s.path), ['/local', '/sdcard']);
    assert.equal(st.printer.status_printer.ok, true);
    const list = (await piCall(p, '/api/v1/storage')).json().storage_list;
    assert.equal(list[0].name, 'PrusaLink gcodes');
    assert.equal(list[1].read_only, true);
    assert.equal((await piCall(p, '/api/v1/job')).status, 204);
    assert.equal((await piCall(p, '/api/v1/transfer')).status, 204);
  });

  it('files: read_only, display_name == name, size on children, meta on file GET, refs followable', async () => {
    const dir = (await piCall(p, '/api/v1/files/local/My%20prints')).json();
    const f = dir.children[0];
    assert.equal(f.name, 'Pi part.gcode');
    assert.equal(f.display_name, 'Pi part.gcode');
    assert.equal(f.read_only, false);
    assert.equal(f.ro, undefined);
    assert.equal(f.size, gcode.length);
    assert.equal(f.refs.thumbnail, '/api/thumbnails/PrusaLink gcodes/My prints/Pi part.gcode.orig.png');
    assert.equal(f.refs.download, '/api/files/local/PrusaLink gcodes/My prints/Pi part.gcode/raw');
    assert.equal(f.refs.icon, null);
    const file = (await piCall(p, '/api/v1/files/local/My%20prints/Pi%20part.gcode')).json();
    assert.equal(typeof file.meta, 'object');
    const encode = (ref) => ref.split('/').map(encodeURIComponent).join('/');
    const thumb = await piCall(p, encode(f.refs.thumbnail));
    assert.equal(thumb.status, 200);
    assert.deepEqual([...thumb.body.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const raw = await piCall(p, encode(f.refs.download));
    assert.deepEqual(raw.body, gcode);
  });

  it('HEAD is unauthenticated and sends Read-Only/Currently-Printed True|False', async () => {
    const h = await request(p.url, '/api/v1/files/local/b.gcode', { method: 'HEAD' });
    assert.equal(h.status, 200);
    assert.equal(h.headers['read-only'], 'False');
    assert.equal(h.headers['currently-printed'], 'False');
    assert.ok(h.headers.etag.startsWith('W/'));
  });

  it('storages: usb 404, sdcard read-only 409, errors JSON with url and Content-Location', async () => {
    const usb = await piCall(p, '/api/v1/files/usb/x.gcode');
    assert.equal(usb.status, 404);
    // facts §7: `{"title","message","url"?}` and `Content-Location: …/error/<id>` when the error has an id.
    assert.equal(usb.json().title, 'Not Found');
    assert.equal(usb.json().message, 'Location not found, use local.');
    assert.match(usb.json().url, /^https:\/\/help\.prusa3d\.com\/\S+$/);
    assert.match(usb.headers['content-location'], /\/error\/\w+$/);
    assert.equal((await piCall(p, '/api/v1/files/sdcard')).status, 200);
    const w = await piCall(p, '/api/v1/files/sdcard/x.gcode', { method: 'PUT', headers: { 'Content-Type': 'text/x.gcode', 'Content-Length': 4 }, body: 'G28\n' });
    assert.equal(w.status, 409);
    assert.match(w.text, /SD Card Read Only/);
  });

  it('uploads: text/x.gcode 201; octet-stream new 500, overwrite 415 (and the old file is gone); exists 409', async () => {
    const put = (path, type, headers = {}) =>
      piCall(p, path, { method: 'PUT', headers: { 'Content-Type': type, 'Content-Length': 4, ...headers }, body: 'G28\n' });
    const ok = await put('/api/v1/files/local/new/deep/up.gcode', 'text/x.gcode');
    assert.equal(ok.status, 201);
    assert.equal(ok.text, '');
    assert.equal(p.control.readFile('new/deep/up.gcode').toString(), 'G28\n');
    assert.equal((await put('/api/v1/files/local/new/deep/up.gcode', 'text/x.gcode')).status, 409);
    assert.equal((await put('/api/v1/files/local/octet.gcode', 'application/octet-stream')).status, 500);
    assert.equal(p.control.readFile('octet.gcode'), undefined);
    assert.equal((await put('/api/v1/files/local/new/deep/up.gcode', 'application/octet-stream', { Overwrite: '?1' })).status, 415);
    assert.equal(p.control.readFile('new/deep/up.gcode'), undefined);
    assert.equal((await put('/api/v1/files/local/x.bgcode', 'text/x.gcode')).status, 415);
    const zero = await piCall(p, '/api/v1/files/local/z.gcode', { method: 'PUT', headers: { 'Content-Type': 'text/x.gcode', 'Content-Length': 0 } });
    assert.equal(zero.status, 411);
  });

  it('a slow upload shows in /api/v1/transfer as `transferred` with an integer size (§4.5), in status as `data_transferred` (§10)', async () => {
    const ch = parseChallenge((await request(p.url, '/api/version', { headers: { 'User-Agent': UA } })).headers['www-authenticate']);
    const path = '/api/v1/files/local/slow.gcode';
    const auth = piAuthorization({ user: 'maker', password: 'password', nonce: ch.nonce, opaque: ch.opaque, method: 'PUT', uri: path });
    const u = startUpload(p.url, path, { headers: { 'User-Agent': UA, Authorization: auth, 'Content-Type': 'text/x.gcode' }, length: 2000 });
    await u.write(Buffer.alloc(500, 0x20));
    const tr = await waitFor(async () => {
      const r = await piCall(p, '/api/v1/transfer');
      return r.status === 200 && r.json().transferred === 500 ? r.json() : undefined;
    });
    assert.equal(tr.size, 2000);
    assert.equal((await piCall(p, '/api/v1/status')).json().transfer.data_transferred, 500);
    u.end(Buffer.alloc(1500, 0x20));
    assert.equal((await u.response).status, 201);
  });

  it('Create-Folder is mkdir -p (201 even when it exists); Force deletes recursively, else 409', async () => {
    const mk = (path) => piCall(p, path, { method: 'PUT', headers: { 'Create-Folder': '?1', 'Content-Length': 0 } });
    assert.equal((await mk('/api/v1/files/local/f1/f2')).status, 201);
    assert.equal((await mk('/api/v1/files/local/f1/f2')).status, 201);
    assert.equal((await piCall(p, '/api/v1/files/local/f1', { method: 'DELETE' })).status, 409);
    assert.equal((await piCall(p, '/api/v1/files/local/f1', { method: 'DELETE', headers: { Force: '?1' } })).status, 204);
    assert.equal((await piCall(p, '/api/v1/files/local/f1', { method: 'DELETE' })).status, 404);
  });

  it('print cycle: continue 204; job path full; STOPPED refuses a new print until back to IDLE', async () => {
    assert.equal((await piCall(p, '/api/v1/files/local/b.gcode', { method: 'POST' })).status, 204);
    const job = (await piCall(p, '/api/v1/job')).json();
    assert.equal(job.state, 'PRINTING');
    assert.equal(job.file.path, '/PrusaLink gcodes/b.gcode');
    assert.equal(job.file.display_name, 'b.gcode');
    assert.equal((await piCall(p, `/api/v1/job/${job.id}/continue`, { method: 'PUT' })).status, 204);
    assert.equal((await piCall(p, `/api/v1/job/${job.id}/pause`, { method: 'PUT' })).status, 204);
    assert.equal((await piCall(p, `/api/v1/job/${job.id}/resume`, { method: 'PUT' })).status, 204);
    assert.equal((await piCall(p, '/api/v1/files/local/b.gcode', { method: 'DELETE' })).status, 409);
    assert.equal((await piCall(p, `/api/v1/job/${job.id}`, { method: 'DELETE' })).status, 204);
    await waitFor(() => p.control.state === 'STOPPED');
    assert.equal((await piCall(p, '/api/v1/files/local/b.gcode', { method: 'POST' })).status, 409);
    const legacy = (await piCall(p, '/api/printer')).json();
    assert.equal(legacy.state.text, 'Cancelling');
    assert.equal(legacy.state.flags.closedOrError, false);
    p.control.setSpeed(1000);
    await waitFor(async () => (await piCall(p, '/api/v1/status')).json().printer.state === 'IDLE');
    assert.equal((await piCall(p, '/api/v1/files/local/b.gcode', { method: 'POST' })).status, 204);
    p.control.setState('IDLE');
    p.control.setSpeed(10);
  });

  it('cameras: empty list without a camera; snap 404', async () => {
    assert.deepEqual((await piCall(p, '/api/v1/cameras')).json(), { camera_list: [] });
    assert.equal((await piCall(p, '/api/v1/cameras/snap')).status, 404);
  });

  it('legacy multipart upload honours path and answers 201', async () => {
    const b = 'simboundary';
    const body = Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="path"\r\n\r\nlegacy dir\r\n` +
        `--${b}\r\nContent-Disposition: form-data; name="file"; filename="mp.gcode"\r\n\r\nG28\n\r\n--${b}--\r\n`,
    );
    const r = await piCall(p, '/api/files/local', {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${b}`, 'Content-Length': body.length },
      body,
    });
    assert.equal(r.status, 201);
    assert.equal(p.control.readFile('legacy dir/mp.gcode').toString(), 'G28\n');
  });

  it('legacy /api/files tree and /api/job', async () => {
    const tree = (await piCall(p, '/api/files')).json();
    assert.deepEqual(tree.files.map((f) => f.name), ['PrusaLink gcodes', 'SD Card']);
    assert.ok(tree.files[0].children.some((c) => c.name === 'My prints' && c.type === 'folder'));
    assert.equal((await piCall(p, '/api/job')).json().state, 'Operational');
  });
});

describe('pi with a camera and no API key', () => {
  let p;
  before(async () => {
    p = await startSimulator({ family: 'pi', camera: true });
  });
  after(() => p.stop());

  it('any X-Api-Key is 403 when none is configured', async () => {
    const r = await request(p.url, '/api/version', { headers: { 'X-Api-Key': 'anything' } });
    assert.equal(r.status, 403);
    assert.equal(p.credentials.apiKey, undefined);
  });

  it('lists the camera and serves a PNG snapshot', async () => {
    const list = (await piCall(p, '/api/v1/cameras')).json().camera_list;
    assert.equal(list.length, 1);
    const snap = await piCall(p, '/api/v1/cameras/snap');
    assert.equal(snap.status, 200);
    assert.equal(snap.headers['content-type'], 'image/png');
    assert.deepEqual([...snap.body.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual((await piCall(p, '/api/v1/status')).json().camera, { id: 'sim-camera-1' });
  });
});
