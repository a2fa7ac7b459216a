'use strict';
// What the queue node tests share beyond test/nodes/flow-helpers.js: the queue node loaded with the others, a user
// dir of its own per test (the queue's file lives under it), and the en-US words of a catalog key with its
// placeholders filled (the test helper's RED._ returns keys).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('../nodes/flow-helpers');

const QUEUE = require('../../dist/nodes/prusalink-queue.js');
const NODES = [...Object.values(h.NODES), QUEUE];
const QUEUE_NS = '@makerflows/node-red-prusalink/prusalink-queue:prusalink-queue.';

function load(flow, credentials) {
  return new Promise((resolve, reject) => h.helper.load(NODES, flow, credentials, (err) => (err ? reject(err) : resolve())));
}

/** A fresh user dir, set as the runtime's userDir; remove it with fs.rmSync after the test. */
function useTempUserDir(extraSettings = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-queue-node-'));
  h.helper.settings({ userDir: dir, ...extraSettings });
  return dir;
}

/** The queue file a node with this id keeps under `userDir` (fileQueueStorage's QUEUE_FILE). */
function queueFile(userDir, nodeId = 'q') {
  return path.join(userDir, 'prusalink-queue', nodeId, 'queue.json');
}

/** The file's bytes, or null when it does not exist. */
function readOrNull(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

const EN = (() => {
  const flat = {};
  const dir = path.join(__dirname, '..', '..', 'nodes', 'locales', 'en-US');
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json'))) {
    const walk = (o, p) => Object.entries(o).forEach(([k, v]) => (typeof v === 'string' ? (flat[p + k] = v) : walk(v, p + k + '.')));
    walk(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')), '');
  }
  return flat;
})();

/** RED._ as the runtime does it in en-US: `ns:key` looked up, `__name__` filled. */
function englishText(key, vars = {}) {
  const bare = key.includes(':') ? key.slice(key.indexOf(':') + 1) : key;
  const text = EN[bare];
  if (text === undefined) return key;
  return text.replace(/__(\w+)__/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** The queue flow: inject-less; queue node `q` (outputs to `snap` and `events`), Catch wired to `caught`. */
function queueFlow(sim, props = {}, printerExtra) {
  return h.flowWith(
    sim,
    [
      { id: 'q', type: 'prusalink-queue', bedClear: 'printer', pollInterval: '0.2', storage: 'file', baseFolder: '', ...props, wires: [['snap'], ['events']] },
      { id: 'snap', type: 'helper', z: 'f1' },
      { id: 'events', type: 'helper', z: 'f1' },
    ],
    printerExtra,
  );
}

/** Sends `msg` to the queue node; resolves with its reply on output 1, or rejects with what the Catch node got. */
function command(msg, ms = 8000) {
  const sent = { _msgid: 'm' + Math.random().toString(36).slice(2), ...msg };
  const snap = h.helper.getNode('snap');
  const caught = h.helper.getNode('caught');
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      snap.removeListener('input', onReply);
      caught.removeListener('input', onCaught);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no reply to ${JSON.stringify(msg.action)} within ${ms} ms`));
    }, ms);
    function onReply(m) {
      if (m._msgid !== sent._msgid) return;
      done();
      resolve(m);
    }
    function onCaught(m) {
      if (m._msgid !== sent._msgid) return;
      done();
      const err = new Error(m.error.message);
      err.code = m.error.code;
      err.caught = m;
      reject(err);
    }
    snap.on('input', onReply);
    caught.on('input', onCaught);
    h.helper.getNode('q').receive(sent);
  });
}

module.exports = { ...h, QUEUE_NS, load, useTempUserDir, queueFile, readOrNull, englishText, queueFlow, command };
