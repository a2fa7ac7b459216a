'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { FileStore } = require('../../dist/sim/model/store');
const { StoreError } = require('../../dist/sim/model/types');

function readAll(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function storeError(kind) {
  return (err) => err instanceof StoreError && err.kind === kind;
}

/** The behaviour both storage modes share. */
function commonBehaviour(makeStore) {
  it('puts, resolves by long name and by alias (case-insensitive), reads back', async () => {
    const store = makeStore();
    const content = Buffer.from('G28\nG1 X10\n');
    const entry = store.put(['My Prints', 'Debounce Housing.gcode'], content);
    assert.equal(entry.alias, 'DEBOUN~1.GCO');
    assert.deepEqual(entry.segments, ['My Prints', 'Debounce Housing.gcode']);
    assert.deepEqual(entry.aliasSegments, ['MYPRIN~1', 'DEBOUN~1.GCO']);
    assert.equal(entry.size, content.length);
    assert.equal(entry.partial, false);
    assert.ok(Math.abs(entry.mtime - Date.now() / 1000) < 5, 'mtime in epoch seconds');
    for (const segs of [
      ['My Prints', 'Debounce Housing.gcode'],
      ['MYPRIN~1', 'DEBOUN~1.GCO'],
      ['myprin~1', 'deboun~1.gco'],
      ['My Prints', 'DEBOUN~1.GCO'],
    ]) {
      const found = store.resolve(segs);
      assert.ok(found, segs.join('/'));
      assert.deepEqual(found.segments, ['My Prints', 'Debounce Housing.gcode']);
    }
    assert.deepEqual(store.read(['MYPRIN~1', 'DEBOUN~1.GCO']), content);
    assert.deepEqual(await readAll(store.readStream(['My Prints', 'Debounce Housing.gcode'])), content);
    assert.equal(store.resolve(['My Prints', 'missing.gcode']), undefined);
    assert.equal(store.resolve(['My Prints', 'Debounce Housing.gcode', 'below-a-file']), undefined);
    assert.equal(store.resolve(['..']), undefined);
    assert.equal(store.resolve([]).kind, 'folder');
  });

  it('lists folders first, then files, each sorted; walks depth first', () => {
    const store = makeStore();
    store.put(['b.gcode'], Buffer.from('b'));
    store.put(['a.gcode'], Buffer.from('a'));
    store.mkdir(['zeta'], { recursive: false });
    store.put(['alpha', 'inner.gcode'], Buffer.from('i'));
    assert.deepEqual(
      store.list([]).map((e) => [e.kind, e.name]),
      [
        ['folder', 'alpha'],
        ['folder', 'zeta'],
        ['file', 'a.gcode'],
        ['file', 'b.gcode'],
      ],
    );
    assert.deepEqual(
      store.walk().map((e) => e.segments.join('/')),
      ['alpha', 'alpha/inner.gcode', 'zeta', 'a.gcode', 'b.gcode'],
    );
    assert.equal(store.list(['alpha'])[0].size, 1);
    assert.equal(store.list([]).find((e) => e.name === 'alpha').size, 0);
    assert.throws(() => store.list(['nope']), storeError('not-found'));
    assert.throws(() => store.list(['a.gcode']), storeError('not-folder'));
    assert.equal(store.usedBytes(), 3);
  });

  it('writes an upload chunk by chunk: partial until finish', () => {
    const store = makeStore();
    const writer = store.beginWrite(['deep', 'er', 'upload.gcode'], 10, { overwrite: false });
    assert.equal(writer.entry.partial, true);
    assert.equal(store.resolve(['deep', 'er']).kind, 'folder', 'missing parents are created');
    writer.write(Buffer.from('01234'));
    assert.equal(store.resolve(['deep', 'er', 'upload.gcode']).partial, true);
    assert.equal(store.resolve(['deep', 'er', 'upload.gcode']).size, 5);
    writer.write(Buffer.from('56789'));
    writer.finish();
    const done = store.resolve(['deep', 'er', 'upload.gcode']);
    assert.equal(done.partial, false);
    assert.equal(done.size, 10);
    assert.equal(store.read(['deep', 'er', 'upload.gcode']).toString(), '0123456789');
    assert.equal(store.usedBytes(), 10);
  });

  it('keeps an upload whose body is longer or shorter than announced', () => {
    const store = makeStore();
    const longer = store.beginWrite(['longer.gcode'], 2, { overwrite: false });
    longer.write(Buffer.from('abc'));
    longer.write(Buffer.from('defgh'));
    longer.finish();
    assert.equal(store.read(['longer.gcode']).toString(), 'abcdefgh');
    const shorter = store.beginWrite(['shorter.gcode'], 100, { overwrite: false });
    shorter.write(Buffer.from('xy'));
    shorter.finish();
    assert.equal(store.read(['shorter.gcode']).toString(), 'xy');
  });

  it('removes an aborted upload', () => {
    const store = makeStore();
    const writer = store.beginWrite(['gone.gcode'], 4, { overwrite: false });
    writer.write(Buffer.from('ab'));
    writer.abort();
    assert.equal(store.resolve(['gone.gcode']), undefined);
    assert.equal(store.usedBytes(), 0);
    assert.throws(() => writer.write(Buffer.from('x')), /finished or aborted/);
  });

  it('refuses to overwrite without the flag, replaces with it', () => {
    const store = makeStore();
    store.put(['x.gcode'], Buffer.from('old'));
    assert.throws(() => store.beginWrite(['x.gcode'], 3, { overwrite: false }), storeError('exists'));
    assert.throws(() => store.put(['x.gcode'], Buffer.from('new')), storeError('exists'));
    const writer = store.beginWrite(['x.gcode'], 3, { overwrite: true });
    writer.write(Buffer.from('new'));
    writer.finish();
    assert.equal(store.read(['x.gcode']).toString(), 'new');
    assert.equal(store.usedBytes(), 3);
    store.mkdir(['dir'], { recursive: false });
    assert.throws(() => store.put(['dir'], Buffer.from('x'), { overwrite: true }), storeError('is-folder'));
    assert.throws(() => store.put(['x.gcode', 'y.gcode'], Buffer.from('x')), storeError('parent-is-file'));
  });

  it('mkdir: exists, recursive, missing parent', () => {
    const store = makeStore();
    store.mkdir(['a'], { recursive: false });
    assert.throws(() => store.mkdir(['a'], { recursive: false }), storeError('exists'));
    assert.equal(store.mkdir(['a'], { recursive: true }).name, 'a');
    assert.throws(() => store.mkdir(['b', 'c'], { recursive: false }), storeError('not-found'));
    assert.deepEqual(store.mkdir(['b', 'c'], { recursive: true }).segments, ['b', 'c']);
  });

  it('remove: files, empty folders, non-empty only recursively', () => {
    const store = makeStore();
    store.put(['full', 'f.gcode'], Buffer.from('12345'));
    store.mkdir(['empty'], { recursive: false });
    assert.throws(() => store.remove(['full'], { recursive: false }), storeError('not-empty'));
    store.remove(['empty'], { recursive: false });
    assert.equal(store.resolve(['empty']), undefined);
    assert.throws(() => store.remove(['nothing'], { recursive: false }), storeError('not-found'));
    store.remove(['full'], { recursive: true });
    assert.equal(store.resolve(['full']), undefined);
    assert.equal(store.usedBytes(), 0);
  });

  it('gives a re-upload after a delete the first free alias', () => {
    const store = makeStore();
    store.put(['benchmark one.gcode'], Buffer.from('1'));
    store.put(['benchmark two.gcode'], Buffer.from('2'));
    store.remove(['BENCHM~1.GCO'], { recursive: false });
    store.put(['benchmark three.gcode'], Buffer.from('3'));
    const again = store.put(['benchmark one.gcode'], Buffer.from('1'));
    assert.equal(store.resolve(['benchmark three.gcode']).alias, 'BENCHM~1.GCO');
    assert.equal(again.alias, 'BENCHM~3.GCO');
  });
}

describe('FileStore in memory', () => {
  commonBehaviour(() => new FileStore({ aliases: true }));

  it('without aliases, alias equals the name and names are case-sensitive', () => {
    const store = new FileStore({ aliases: false });
    const a = store.put(['Long Name.gcode'], Buffer.from('a'));
    store.put(['long name.gcode'], Buffer.from('b'));
    assert.equal(a.alias, 'Long Name.gcode');
    assert.deepEqual(a.aliasSegments, ['Long Name.gcode']);
    assert.equal(store.list([]).length, 2);
    assert.equal(store.resolve(['LONGNA~1.GCO']), undefined);
  });

  it('with aliases, long names are case-insensitive like FAT', () => {
    const store = new FileStore({ aliases: true });
    store.put(['Part.gcode'], Buffer.from('a'));
    assert.throws(() => store.put(['PART.GCODE'], Buffer.from('b')), storeError('exists'));
    assert.equal(store.resolve(['part.gcode']).name, 'Part.gcode');
  });

  it('a read-only store refuses every write', () => {
    const store = new FileStore({ aliases: false, readOnly: true });
    assert.throws(() => store.put(['a.gcode'], Buffer.from('a')), storeError('read-only'));
    assert.throws(() => store.beginWrite(['a.gcode'], 1, { overwrite: false }), storeError('read-only'));
    assert.throws(() => store.mkdir(['d'], { recursive: true }), storeError('read-only'));
    assert.throws(() => store.remove(['d'], { recursive: true }), storeError('read-only'));
    assert.equal(store.resolve([]).readOnly, true);
  });

  it('discardUploads keeps only the size', () => {
    const store = new FileStore({ aliases: true, discardUploads: true });
    const writer = store.beginWrite(['big.gcode'], 3000, { overwrite: false });
    for (let i = 0; i < 3; i++) writer.write(Buffer.alloc(1000, 0x41));
    writer.finish();
    assert.equal(store.resolve(['big.gcode']).size, 3000);
    assert.equal(store.read(['big.gcode']).length, 0);
    assert.equal(store.usedBytes(), 3000);
  });
});

describe('FileStore in a folder', () => {
  let tmp;
  let count = 0;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-store-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const fresh = () => new FileStore({ aliases: true, dir: path.join(tmp, `s${++count}`) });

  commonBehaviour(fresh);

  it('writes real files and seeds a new store from an existing folder', () => {
    const dir = path.join(tmp, 'seeded');
    const first = new FileStore({ aliases: true, dir });
    first.put(['Some Folder', 'Long File Name.gcode'], Buffer.from('content'), { mtime: 1700000000 });
    const writer = first.beginWrite(['up.gcode'], 6, { overwrite: false });
    writer.write(Buffer.from('abc'));
    assert.equal(fs.readFileSync(path.join(dir, 'up.gcode'), 'utf8'), 'abc', 'chunks go straight to the file');
    writer.write(Buffer.from('def'));
    writer.finish();
    assert.equal(fs.readFileSync(path.join(dir, 'Some Folder', 'Long File Name.gcode'), 'utf8'), 'content');

    const second = new FileStore({ aliases: true, dir });
    const seeded = second.resolve(['SOMEFO~1', 'LONGFI~1.GCO']);
    assert.equal(seeded.name, 'Long File Name.gcode');
    assert.equal(seeded.size, 7);
    assert.equal(seeded.mtime, 1700000000);
    assert.equal(second.read(['up.gcode']).toString(), 'abcdef');
    assert.equal(second.usedBytes(), 13);
    second.remove(['Some Folder'], { recursive: true });
    assert.equal(fs.existsSync(path.join(dir, 'Some Folder')), false);
  });

  it('an aborted upload leaves no file on disk', () => {
    const dir = path.join(tmp, 'aborted');
    const store = new FileStore({ aliases: false, dir });
    const writer = store.beginWrite(['half.gcode'], 10, { overwrite: false });
    writer.write(Buffer.from('12345'));
    writer.abort();
    assert.equal(fs.existsSync(path.join(dir, 'half.gcode')), false);
    assert.equal(store.resolve(['half.gcode']), undefined);
    assert.throws(() => store.remove([], { recursive: true }), storeError('read-only'));
  });
});
