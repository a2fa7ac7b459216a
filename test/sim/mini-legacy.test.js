'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');
const { request, buddyAuthorization, waitFor } = require('./helpers');
const { MINI_FILES } = require('../unit/fixtures/prusalinkpy-mini');

const KEY = { 'X-Api-Key': 'apikey', Accept: 'application/json' };

function multipart(fields, file) {
  const boundary = '----simtest' + Math.random().toString(16).slice(2);
  const parts = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const body = Buffer.concat(parts);
  return { body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': body.length } };
}

describe('mini-legacy (MINI 4.4.1)', () => {
  let p;
  before(async () => {
    p = await startSimulator({
      family: 'mini-legacy',
      speed: 20,
      files: { 'sub/Deep file.gcode': 'G28\n', 'Long benchy name.gcode': makeSampleGcode({ printSeconds: 3600 }) },
    });
  });
  after(() => p.stop());
  const get = (path, opts = {}) => request(p.url, path, { ...opts, headers: { ...KEY, ...(opts.headers || {}) } });

  it('X-Api-Key only: missing or wrong key → 401 without WWW-Authenticate; Digest is not a thing', async () => {
    for (const headers of [{}, { 'X-Api-Key': 'wrong' }, { Authorization: buddyAuthorization('password', 'aaaaaaaa00000000', 'GET', '/api/version') }]) {
      const r = await request(p.url, '/api/version', { headers });
      assert.equal(r.status, 401);
      assert.equal(r.headers['www-authenticate'], undefined);
    }
    assert.equal(p.credentials.apiKey, 'apikey');
  });

  it('/api/version without capabilities; v1 paths 404', async () => {
    const v = (await get('/api/version')).json();
    assert.deepEqual(Object.keys(v).sort(), ['api', 'hostname', 'server', 'text']);
    assert.equal(v.text, 'PrusaLink MINI');
    assert.equal(v.server, '2.1.2');
    for (const path of ['/api/v1/status', '/api/v1/info', '/api/v1/files/usb/', '/api/v1/storage']) {
      assert.equal((await get(path)).status, 404, path);
    }
  });

  it('/api/files lists files only (8.3 names, long name in display), no folders', async () => {
    const files = (await get('/api/files')).json().files[0].children;
    assert.equal(files.length, 1);
    assert.match(files[0].name, /~\d\.GCO$/);
    assert.equal(files[0].display, 'Long benchy name.gcode');
    assert.deepEqual((await get('/api/files/local')).json(), (await get('/api/files')).json());
    const sub = (await get('/api/files/usb/sub')).json().files;
    assert.equal(sub[0].display, 'Deep file.gcode');
  });

  it('/api/files: the root as the real MINI 4.4.1 answers it, the files inside one "USB" folder (PrusaLinkPy README)', async () => {
    const mini = await startSimulator({ family: 'mini-legacy', files: { 'DEBOUCHAGE.gcode': 'G28\n' } });
    try {
      const body = (await request(mini.url, '/api/files', { headers: KEY })).json();
      const child = body.files[0].children[0];
      // PrusaLinkPy's README body (a Python dict turned into JSON). It shows no size or date; the simulator adds them:
      // FILLED with the 4 bytes seeded and the simulator's own modification time.
      assert.equal(child.size, 4);
      assert.equal(typeof child.date, 'number');
      // The quoted body, plus the size and date the simulator adds to the file.
      const expected = structuredClone(MINI_FILES);
      Object.assign(expected.files[0].children[0], { size: 4, date: child.date });
      assert.deepEqual(body, expected);
    } finally {
      await mini.stop();
    }
  });

  it('multipart upload lands in the USB root (path ignored): 201 legacy JSON, then 409 if it exists', async () => {
    const data = makeSampleGcode({ name: 'mp' });
    const form = multipart({ path: 'ignored/folder' }, { name: 'Uploaded part.gcode', data });
    const r = await get('/api/files/local', { method: 'POST', headers: form.headers, body: form.body });
    assert.equal(r.status, 201);
    const j = r.json();
    assert.equal(j.done, true);
    assert.equal(j.files.local.display, 'Uploaded part.gcode');
    assert.deepEqual(p.control.readFile('Uploaded part.gcode'), data);
    assert.ok(!p.control.listFiles().includes('ignored/'));
    const again = await get('/api/files/local', { method: 'POST', headers: form.headers, body: form.body });
    assert.equal(again.status, 409);
    assert.equal(again.headers.connection, 'close');
  });

  it('print=true starts; "Can\'t start print now" off the main screen; DELETE; start/pause/cancel', async () => {
    p.control.setMainScreen(false);
    const alias = (await get('/api/files')).json().files[0].children.find((f) => f.display === 'Long benchy name.gcode').name;
    const refused = await get(`/api/files/usb/${alias}`, { method: 'POST', body: JSON.stringify({ command: 'start' }) });
    assert.equal(refused.status, 409);
    assert.match(refused.text, /Can't start print now/);
    p.control.setMainScreen(true);
    assert.equal((await get('/api/files/usb/NOPE.GCO', { method: 'POST', body: JSON.stringify({ command: 'start' }) })).status, 404);
    assert.equal((await get(`/api/files/usb/${alias}`, { method: 'POST', body: JSON.stringify({ command: 'start' }) })).status, 204);
    const job = (await get('/api/job')).json();
    assert.equal(job.state, 'Printing');
    assert.equal(job.job.file.display, 'Long benchy name.gcode');
    assert.ok(job.progress.completion >= 0 && job.progress.completion <= 1);
    assert.equal((await get('/api/job', { method: 'POST', body: JSON.stringify({ command: 'pause', action: 'pause' }) })).status, 204);
    assert.equal((await get('/api/printer')).json().state.flags.paused, true);
    assert.equal((await get('/api/job', { method: 'POST', body: JSON.stringify({ command: 'pause', action: 'resume' }) })).status, 204);
    assert.equal((await get('/api/job', { method: 'POST', body: JSON.stringify({ command: 'cancel' }) })).status, 204);
    await waitFor(() => p.control.state === 'STOPPED');
    const del = await get('/api/files/usb/UPLOAD~1.GCO', { method: 'DELETE' });
    assert.equal(del.status, 204);
    assert.equal(p.control.readFile('Uploaded part.gcode'), undefined);
  });

  it('filament runout: /api/printer lies (zeroed telemetry, Operational) while /api/job keeps the print', async () => {
    p.control.startPrint('Long benchy name.gcode');
    const before = (await get('/api/printer')).json();
    assert.equal(before.state.text, 'Printing');
    p.control.filamentRunout();
    const pr = (await get('/api/printer')).json();
    assert.deepEqual(pr.telemetry, { 'temp-bed': 0.0, 'temp-nozzle': 0.0, 'print-speed': 100, 'z-height': 0.0, material: '---' });
    assert.equal(pr.state.text, 'Operational');
    assert.equal(pr.state.flags.operational, true);
    assert.equal(pr.state.flags.printing, false);
    assert.equal(pr.state.flags.ready, true);
    const job = (await get('/api/job')).json();
    assert.equal(job.state, 'Printing');
    assert.equal(job.job.file.display, 'Long benchy name.gcode');
    p.control.setState('IDLE');
  });
});
