'use strict';
// Small tools shared by the real-server tests: clients, G-code bodies, waiting for the printer's eventual state.
const assert = require('node:assert/strict');
const { PrusaLinkClient, PrusaLinkError } = require('@makerflows/node-red-prusalink');

const clients = [];

/** A Digest client (the Pi's usual login) unless `over` says otherwise; closed by closeClients(). */
function clientOf(pi, over = {}) {
  const c = new PrusaLinkClient({ host: pi.url, user: pi.credentials.user, password: pi.credentials.password, timeout: 10000, ...over });
  clients.push(c);
  return c;
}

function closeClients() {
  for (const c of clients.splice(0)) c.close();
}

/** A plain G-code file of `lines` moves (the fake printer spends LINE_DELAY on each while printing). */
function gcode(lines, note = 'test') {
  let text = `; ${note}\nG28\n`;
  for (let i = 0; i < lines; i++) text += `G1 X${(i % 100) + 1} Y${(i % 50) + 1} E0.1\n`;
  return Buffer.from(text, 'utf8');
}

/** Polls until `fn` returns something truthy; a NOT_FOUND on the way counts as "not yet" (the Pi lists late). */
async function eventually(fn, ms = 5000, what = 'condition') {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (!(e instanceof PrusaLinkError) || e.code !== 'NOT_FOUND') throw e;
      last = e;
    }
    if (Date.now() > end) assert.fail(`timed out after ${ms} ms waiting for ${what}${last ? ` (last: ${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function rejectsWith(promise, code, re) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof PrusaLinkError, `expected a PrusaLinkError, got ${e && e.stack}`);
    assert.equal(e.code, code, `code ${e.code} (${e.message})`);
    if (re) assert.match(e.message, re);
    return e;
  }
  assert.fail(`expected ${code}, resolved`);
}

/** Names in a listing, folders with their children: ['a.gcode', 'x/', 'x/y.gcode'] (paths relative to the folder). */
function namesOf(entries, prefix = '') {
  const out = [];
  for (const e of entries) {
    out.push(prefix + e.name + (e.type === 'FOLDER' ? '/' : ''));
    if (e.children) out.push(...namesOf(e.children, prefix + e.name + '/'));
  }
  return out.sort();
}

module.exports = { clientOf, closeClients, gcode, eventually, rejectsWith, namesOf };
