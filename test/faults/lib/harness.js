'use strict';
// What every fault test needs beyond the node tests' flow helpers: a flow with every node and a Catch
// node, a watch on unhandled rejections, a count of sockets still open to a printer, and the config
// node's log lines. Nothing here asserts time; waits fail after a deadline.
const net = require('node:net');
const h = require('../../nodes/flow-helpers');

const SYNC = require('../../../dist/nodes/prusalink-sync.js');
const EVERY_NODE = [...Object.values(h.NODES), SYNC];

const NS = '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.';

function load(flow, credentials) {
  return new Promise((resolve, reject) => {
    h.helper.load(EVERY_NODE, flow, credentials, (err) => (err ? reject(err) : resolve()));
  });
}

/** Unhandled rejections and uncaught exceptions seen while a test runs (Node-RED would exit on them). */
function watchProcess() {
  const seen = [];
  const onRejection = (reason) => seen.push(['unhandledRejection', reason]);
  const onException = (err) => seen.push(['uncaughtException', err]);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    seen,
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
      return seen;
    },
  };
}

/** Client sockets of this process still connected to `port` (a leak once the flow is gone). */
function openSocketsTo(port) {
  return process._getActiveHandles().filter((s) => s instanceof net.Socket && s.remotePort === port && !s.destroyed);
}

/** Sockets close on the next turns of the event loop after destroy(): wait for them, then report. */
async function socketsLeftTo(port, ms = 2000) {
  const end = Date.now() + ms;
  while (openSocketsTo(port).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return openSocketsTo(port).length;
}

/** Warnings a node raised (through the helper's spy on Node.prototype.warn), as strings. */
function warnings(node) {
  return node.warn.getCalls().filter((c) => c.thisValue === node).map((c) => String(c.args[0]));
}

/** Every call of RED.log.log since the flow was loaded (the helper's log spy), as JSON text. */
function logLines() {
  const spy = h.helper.log();
  return spy ? spy.getCalls().map((c) => JSON.stringify(c.args[0], errorReplacer)) : [];
}

/** JSON.stringify drops an Error's message and stack: keep them, so a search for secrets sees them. */
function errorReplacer(_key, value) {
  if (value instanceof Error) return { ...value, name: value.name, message: value.message, stack: value.stack, cause: value.cause };
  return value;
}

function flowWith(sim, nodes, printerExtra) {
  return h.flowWith(sim, nodes, printerExtra);
}

module.exports = {
  ...h,
  NS,
  EVERY_NODE,
  load,
  flowWith,
  watchProcess,
  openSocketsTo,
  socketsLeftTo,
  warnings,
  logLines,
  errorReplacer,
};

/**
 * RED._ is the identity in the test helper, so catalogue messages arrive as keys. This puts the
 * en-US sentence in their place (placeholders left as `__name__`), so a test can read the words a
 * user reads; a key missing from the catalogue stays a key, and the words will not match.
 */
const fs = require('node:fs');
const path = require('node:path');
const LOCALES = path.join(__dirname, '../../../nodes/locales/en-US');
const CATALOG = {};
for (const file of fs.readdirSync(LOCALES).filter((f) => f.endsWith('.json'))) {
  const flatten = (obj, prefix) => {
    for (const [k, v] of Object.entries(obj)) {
      if (typeof v === 'string') CATALOG[prefix + k] = v;
      else flatten(v, prefix + k + '.');
    }
  };
  flatten(JSON.parse(fs.readFileSync(path.join(LOCALES, file), 'utf8')), '');
}
function translate(text) {
  return String(text).replace(/(?:@makerflows\/node-red-prusalink\/[\w-]+:)?(prusalink-[\w-]+(?:\.[\w]+)+)/g, (whole, key) => CATALOG[key] ?? whole);
}
module.exports.translate = translate;
