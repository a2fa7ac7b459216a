// An unnamed node's label says what it is set to do (issue 13.8): a job node set to pause reads "pause" on the
// canvas, not "print job". The editor script of each node is run with a stand-in RED that records the definition,
// and label() is called the way the editor calls it, with `this` the node and `this._` the en-US catalog.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const files = require('./catalog-files');

const { ROOT, DEFAULT_LANG } = files;

function definition(type) {
  const html = fs.readFileSync(path.join(ROOT, 'nodes', `${type}.html`), 'utf8');
  const script = html.match(/<script type="text\/javascript">([\s\S]*?)<\/script>/)[1];
  let def;
  vm.runInNewContext(script, { RED: { nodes: { registerType: (name, d) => (def = d) } }, $: () => ({}), window: {} });
  return def;
}

/** label() for a node with these settings, in English. */
function labelOf(type, settings) {
  const catalog = files.flatten(files.readCatalog(DEFAULT_LANG, type));
  const node = { name: '', ...settings, _: (key) => catalog.get(key) ?? key };
  return definition(type).label.call(node);
}

describe('default labels show the configured action', () => {
  const cases = [
    ['prusalink-job', { action: 'pause' }, 'pause'],
    ['prusalink-job', { action: 'resume' }, 'resume'],
    ['prusalink-job', { action: 'stop' }, 'stop'],
    ['prusalink-job', { action: 'thumbnail' }, 'job thumbnail'],
    ['prusalink-job', { action: 'snapshot' }, 'camera snapshot'],
    ['prusalink-job', { action: 'get' }, 'print job'],
    ['prusalink-job', { action: 'msg' }, 'print job'],
    ['prusalink-files', { mode: 'list' }, 'printer files'],
    ['prusalink-files', { mode: 'info' }, 'file info'],
    ['prusalink-files', { mode: 'thumbnail' }, 'file thumbnail'],
    ['prusalink-files', { mode: 'metadata' }, 'file metadata'],
    ['prusalink-rm', { mode: 'file' }, 'delete on printer'],
    ['prusalink-rm', { mode: 'folder' }, 'delete folder'],
    ['prusalink-rm', { mode: 'all-files' }, 'delete all files'],
  ];
  for (const [type, settings, expected] of cases) {
    it(`${type} ${JSON.stringify(settings)} → "${expected}"`, () => {
      assert.equal(labelOf(type, settings), expected);
    });
  }

  it('a name wins over the action', () => {
    assert.equal(labelOf('prusalink-job', { action: 'pause', name: 'Hold the print' }), 'Hold the print');
  });
});
