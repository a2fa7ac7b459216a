'use strict';
// Where the queue node keeps its queue: which context store counts as persistent (Node-RED's settings.js shapes),
// and the context-store adapter's round trip through Node-RED's real localfilesystem store across a close and a new
// start of the context module (what a restart does), with the bytes of Buffer jobs in the file spool, not the context.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { persistentStoreOf, contextQueueStorage, CONTEXT_KEY } = require('../../dist/nodes/queue-storage.js');
const { fileQueueStorage } = require('@makerflows/node-red-prusalink/queue');
const { NR_MAIN } = require('../lib/node-red-runtime');

/** Node-RED's own context module (the one the runtime under test uses). */
function contextModule() {
  const nrDir = path.join(path.dirname(NR_MAIN), '..');
  const candidates = [path.join(nrDir, 'node_modules', '@node-red', 'runtime'), path.join(nrDir, '..', '@node-red', 'runtime')];
  const runtimeDir = candidates.find((d) => fs.existsSync(d));
  return require(path.join(runtimeDir, 'lib', 'nodes', 'context'));
}

describe('persistentStoreOf: which context store keeps the queue', () => {
  const cases = [
    ['no contextStorage (Node-RED default: memory)', undefined, undefined],
    ['only memory', { default: { module: 'memory' } }, undefined],
    ['localfilesystem as default', { default: { module: 'localfilesystem' } }, 'default'],
    ['memory default, a named file store', { default: { module: 'memory' }, file: { module: 'localfilesystem' } }, 'file'],
    ['default naming another store', { default: 'disk', mem: { module: 'memory' }, disk: { module: 'localfilesystem' } }, 'disk'],
    ['default naming the second of two file stores', { default: 'disk2', disk1: { module: 'localfilesystem' }, disk2: { module: 'localfilesystem' } }, 'disk2'],
    ['a single named store (it becomes the default)', { disk: { module: 'localfilesystem' } }, 'disk'],
    ['default naming a memory store', { default: 'mem', mem: { module: 'memory' } }, undefined],
  ];
  for (const [what, setting, expected] of cases) {
    it(`${what} → ${expected}`, () => assert.equal(persistentStoreOf(setting), expected));
  }
});

describe('context-store adapter', () => {
  it('saves to the localfilesystem store, and a new start of the context module loads the same queue', async () => {
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-queue-ctx-'));
    const context = contextModule();
    const settings = { userDir, contextStorage: { default: { module: 'memory' }, disk: { module: 'localfilesystem' } } };
    try {
      const spool = fileQueueStorage(path.join(userDir, 'spool-dir'));
      context.init(settings);
      await context.load();
      const node = { context: () => context.get('qnode1', 'flow1') };
      const storage = contextQueueStorage(node, 'disk', spool);
      assert.equal(await storage.load(), undefined, 'nothing saved yet');
      const state = {
        version: 1,
        paused: true,
        awaitingBedClear: true,
        jobs: [{ id: 'q-1', source: { kind: 'buffer', name: 'part.gcode' }, copies: 2, copiesDone: 1, addedAt: '2026-12-05T08:00:00.000Z', state: 'queued' }],
      };
      await storage.save(state);
      state.jobs[0].copiesDone = 2; // a later change to the engine's object must not reach the saved copy
      await storage.saveBytes('q-1', Buffer.from('G28\n'));
      await context.close(); // what a clean stop of Node-RED does: the store flushes to disk

      const onDisk = fs.readdirSync(path.join(userDir, 'context'), { recursive: true }).join(' ');
      assert.match(onDisk, /qnode1/, 'the store wrote the node context under <userDir>/context');

      context.init(settings);
      await context.load();
      const again = contextQueueStorage({ context: () => context.get('qnode1', 'flow1') }, 'disk', spool);
      const loaded = await again.load();
      assert.equal(loaded.jobs[0].copiesDone, 1);
      assert.deepEqual(loaded, { ...state, jobs: [{ ...state.jobs[0], copiesDone: 1 }] });
      assert.equal((await again.loadBytes('q-1')).toString(), 'G28\n');
      const ctxValue = await new Promise((resolve, reject) => context.get('qnode1', 'flow1').get(CONTEXT_KEY, 'disk', (e, v) => (e ? reject(e) : resolve(v))));
      assert.ok(!JSON.stringify(ctxValue).includes('G28'), 'the bytes are not in the context');
      await again.deleteBytes('q-1');
      await assert.rejects(again.loadBytes('q-1'));
      await context.close();
    } finally {
      fs.rmSync(userDir, { recursive: true, force: true });
    }
  });
});
