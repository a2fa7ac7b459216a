'use strict';
// Each node type in a Node-RED flow (node-red-node-test-helper) against the real PrusaLink.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('../../nodes/flow-helpers');
const { clientOf, gcode, eventually } = require('./tools');

const SYNC_NODE = require('../../../dist/nodes/prusalink-sync.js');

/** The flow helpers take a simulator; the real server is described the same way (Digest login). */
function asPrinter(pi) {
  return { family: 'pi', host: pi.host, port: pi.port, credentials: { user: pi.credentials.user, password: pi.credentials.password } };
}

function load(flow, credentials) {
  return new Promise((resolve, reject) => h.helper.load([...Object.values(h.NODES), SYNC_NODE], flow, credentials, (e) => (e ? reject(e) : resolve())));
}

module.exports = function nodeTour(fixture) {
  describe('nodes against the real server', () => {
    let local;
    before(async () => {
      local = fs.mkdtempSync(path.join(os.tmpdir(), 'real-pi-nodes-'));
      await h.startServer();
    });
    after(async () => {
      await h.stopServer();
      fs.rmSync(local, { recursive: true, force: true });
    });

    it('upload, files (list, info), print, job, status, rm and sync, each in a flow', async () => {
      const pi = fixture();
      const out = (id) => ({ id, type: 'helper', z: 'f1' });
      fs.mkdirSync(path.join(local, 'deep/er'), { recursive: true });
      fs.writeFileSync(path.join(local, 'deep/er/s.gcode'), gcode(2, 'sync node'));
      const { flow, credentials } = h.flowWith(asPrinter(pi), [
        { id: 'up', type: 'prusalink-upload', filename: '', folder: 'nodes', target: '', overwrite: false, print: false, wires: [['o-up']] },
        { id: 'ls', type: 'prusalink-files', mode: 'list', path: '/local/nodes', recursive: false, wires: [['o-ls']] },
        { id: 'fi', type: 'prusalink-files', mode: 'info', path: '/local/nodes/n.gcode', wires: [['o-fi']] },
        { id: 'pr', type: 'prusalink-print', path: '/local/nodes/n.gcode', wires: [['o-pr']] },
        { id: 'jb', type: 'prusalink-job', action: 'get', wires: [['o-jb']] },
        { id: 'halt', type: 'prusalink-job', action: 'stop', wires: [['o-halt']] },
        { id: 'st', type: 'prusalink-status', interval: '0', output: 'poll', wires: [['o-st']] },
        { id: 'rm', type: 'prusalink-rm', path: '/local/nodes/n.gcode', mode: 'file', allowRoot: false, allowPrinted: false, wires: [['o-rm']] },
        { id: 'sy', type: 'prusalink-sync', folder: local, target: '/local/nodesync', deleteExtras: false, dryRun: false, manifest: '', wires: [['o-sy']] },
        ...['o-up', 'o-ls', 'o-fi', 'o-pr', 'o-jb', 'o-halt', 'o-st', 'o-rm', 'o-sy'].map(out),
      ]);
      await load(flow, credentials);
      const caught = h.collect('caught');
      const run = async (id, msg = {}, ms = 10000) => {
        const got = h.nextMsg('o-' + id, ms);
        h.helper.getNode(id).receive({ ...msg });
        try {
          return await got;
        } catch (e) {
          throw new Error(`${id}: ${e.message}; caught: ${caught.map((m) => m.error && m.error.message).join(' | ')}`);
        }
      };
      const body = gcode(1500, 'node print');
      const up = await run('up', { payload: body, filename: 'n.gcode' });
      assert.deepEqual([up.payload.path, up.payload.size], ['/local/nodes/n.gcode', body.length]);
      const c = clientOf(pi);
      await eventually(() => c.exists('/local/nodes/n.gcode'), 3000, 'n.gcode listed');
      const ls = await run('ls');
      assert.deepEqual(ls.payload.map((e) => e.name), ['n.gcode']);
      const fi = await run('fi');
      assert.deepEqual([fi.payload.name, fi.payload.size], ['n.gcode', body.length]);
      const pr = await run('pr');
      assert.deepEqual(pr.payload, { path: '/local/nodes/n.gcode', started: true });
      await eventually(async () => (await c.status()).state === 'PRINTING', 8000, 'PRINTING');
      const jb = await run('jb');
      assert.deepEqual([jb.payload.state, jb.payload.file.name], ['PRINTING', 'n.gcode']);
      const st = await run('st');
      assert.equal(st.payload.state, 'PRINTING');
      await run('halt');
      await eventually(async () => (await c.status()).state === 'IDLE', 20000, 'IDLE after the stop');
      const rm = await run('rm');
      assert.deepEqual(rm.payload, { deleted: ['/local/nodes/n.gcode'] });
      assert.equal(fs.existsSync(path.join(pi.gcodes, 'nodes/n.gcode')), false);
      const sy = await run('sy', {}, 20000);
      assert.deepEqual([sy.payload.failed, sy.payload.uploaded.map((u) => u.path)], [[], ['deep/er/s.gcode']]);
      assert.deepEqual(fs.readFileSync(path.join(pi.gcodes, 'nodesync/deep/er/s.gcode')), gcode(2, 'sync node'));
      assert.deepEqual(caught, []);
    });
  });
};
