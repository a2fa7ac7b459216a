'use strict';
// The public surface as package.json's `exports` map defines it, imported the way a user does: by the package
// name (Node resolves a package's own name through its map, "self-reference"). What the map does not name is not
// public: `dist/` internals must not be reachable by a subpath.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const pkg = require('../../package.json');

const NAME = '@makerflows/node-red-prusalink';
const ROOT = path.resolve(__dirname, '../..');

describe('package exports map', () => {
  it('`.` is the client: the client, its error type and guard, and nothing of the sim, sync or metadata', () => {
    const entry = require(NAME);
    for (const name of ['PrusaLinkClient', 'PrusaLinkError', 'isPrusaLinkError']) assert.equal(typeof entry[name], 'function', name);
    for (const name of ['startSimulator', 'syncFolder', 'readMetadata', 'PrintQueue']) assert.equal(entry[name], undefined, `${name} on the client entry`);
  });

  it('`./sim` starts simulators and makes sample G-code; `./sync` and `./metadata` hold their functions', () => {
    const sim = require(`${NAME}/sim`);
    for (const name of ['startSimulator', 'startSimulators', 'makeSampleGcode', 'makeSampleBgcode']) assert.equal(typeof sim[name], 'function', name);
    const sync = require(`${NAME}/sync`);
    assert.equal(typeof sync.syncFolder, 'function');
    assert.equal(sync.MANIFEST_NAME, '.prusalink-sync.json');
    const metadata = require(`${NAME}/metadata`);
    for (const name of ['readMetadata', 'checkCompatibility']) assert.equal(typeof metadata[name], 'function', name);
  });

  it('`./queue` holds the print queue engine: PrintQueue, fileQueueStorage, QueueError', () => {
    const queue = require(`${NAME}/queue`);
    for (const name of ['PrintQueue', 'fileQueueStorage', 'QueueError', 'isQueueError']) assert.equal(typeof queue[name], 'function', name);
    assert.equal(queue.QUEUE_FILE, 'queue.json');
  });

  it('the subpaths give the same modules as the files they name (one PrusaLinkError class, not two)', () => {
    assert.equal(require(NAME).PrusaLinkError, require('../../dist/client/errors').PrusaLinkError);
    assert.equal(require(`${NAME}/sim`).startSimulator, require('../../dist/sim').startSimulator);
  });

  it('dist/ internals are not public: a deep import is refused with ERR_PACKAGE_PATH_NOT_EXPORTED', () => {
    for (const deep of ['dist/client/auth', 'dist/sim/model/sample-gcode', 'dist/index.js', 'client', 'nodes/prusalink-printer']) {
      assert.throws(() => require(`${NAME}/${deep}`), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }, deep);
    }
  });

  it('./package.json is exported (tools read the version through it)', () => {
    assert.equal(require(`${NAME}/package.json`).version, pkg.version);
  });

  it('every target of the map, JavaScript and types, exists after the build', () => {
    const targets = [];
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') targets.push([subpath, target]);
      else for (const [condition, file] of Object.entries(target)) targets.push([`${subpath} ${condition}`, file]);
    }
    assert.deepEqual(Object.keys(pkg.exports), ['.', './sim', './sync', './metadata', './queue', './package.json']);
    for (const [what, file] of targets) assert.ok(fs.existsSync(path.join(ROOT, file)), `${what}: ${file} missing`);
  });
});
