'use strict';
// Both spellings of a folder (src/client/files/paths.ts, files/listing.ts) from the facts document's bodies: Buddy refs
// and `name` carry FAT 8.3 aliases, `display_name` the long names (§4.6, §11 trap 9); Pi PrusaLink has real names
// only; MINI 4.4.1 cannot list folders. Listings are answered by fakes that record what was asked. No server.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const f = require('../../dist/client/files/paths');
const { folderPathForms, entryFromV1 } = require('../../dist/client/files/listing');

// §4.6 Buddy folder children (FILLED: SUBDIR's m_timestamp).
const FILE_CHILD = {
  name: 'FILE~1.GCO',
  display_name: 'Long name.gcode',
  ro: false,
  type: 'PRINT_FILE',
  m_timestamp: 1700000000,
  refs: { icon: '/thumb/s/usb/DIR/FILE~1.GCO', thumbnail: '/thumb/l/usb/DIR/FILE~1.GCO', download: '/usb/DIR/FILE~1.GCO' },
};
const SUBDIR_CHILD = { name: 'SUBDIR', display_name: 'Sub dir long', ro: false, type: 'FOLDER', m_timestamp: 1700000200 };
const ROOT_CHILDREN = [{ name: 'DIR', display_name: 'Dir long', ro: false, type: 'FOLDER', m_timestamp: 1700000300 }];

/** A folder reader over a fixed tree keyed by alias path; records each call. */
function lister(tree) {
  const calls = [];
  const list = async (aliases) => {
    calls.push(aliases.join('/'));
    return tree[aliases.join('/')] ?? [];
  };
  return { list, calls };
}

describe('path-forms: isShortName (FAT 8.3, any letter case)', () => {
  const table = [
    ['DIR', true],
    ['dir', true],
    ['FILE~1.GCO', true],
    ['PS~1', true],
    ['ABCDEFGH', true],
    ['ABCDEFGH.ABC', true],
    ["A'B!#$%&().{}", false],
    ["A'B!#$%&", true],
    ['()@^_`{}', true],
    ['A-B~C.X_Y', true],
    ['ABCDEFGHI', false],
    ['A.GCOD', false],
    ['A.B.C', false],
    ['A.', false],
    ['.GCO', false],
    ['', false],
    ['Long name.gcode', false],
    ['a+b', false],
    ['ÄB', false],
    ['A B', false],
    ['xDIR\n', false],
  ];
  for (const [name, want] of table) it(`${JSON.stringify(name)} → ${want}`, () => assert.equal(f.isShortName(name), want));
});

describe('path-forms: aliases from refs', () => {
  const table = [
    ['/usb/DIR/FILE~1.GCO', 'usb', ['DIR']],
    ['/usb/FILE~1.GCO', 'usb', []],
    ['/USB/A/B/F.GCO', 'usb', ['A', 'B']],
    ['/usb/DIR/FILE~1.GCO', 'USB', ['DIR']],
    ['usb//DIR//F.GCO', 'usb', ['DIR']],
    ['/usb', 'usb', undefined],
    ['/api/files/local/x.gcode/raw', 'local', undefined],
    [undefined, 'usb', undefined],
  ];
  for (const [ref, storage, want] of table) {
    it(`${JSON.stringify(ref)} in ${storage} → ${JSON.stringify(want)}`, () => assert.deepEqual(f.refFolderAliases(ref, storage), want));
  }
  it('folderAliasesFromChildren: the first child whose download ref tells', () => {
    assert.deepEqual(f.folderAliasesFromChildren([SUBDIR_CHILD, FILE_CHILD], 'usb'), ['DIR']);
    assert.deepEqual(f.folderAliasesFromChildren([SUBDIR_CHILD, 'junk', null], 'usb'), undefined);
    assert.deepEqual(f.folderAliasesFromChildren([{ refs: { download: '/other/X/F' } }, { refs: { download: '/usb/Y/F' } }], 'usb'), ['Y']);
    assert.deepEqual(f.folderAliasesFromChildren([], 'usb'), undefined);
  });
});

describe('path-forms: folderForms', () => {
  it('long name + alias from a ref: no listing', async () => {
    const { list, calls } = lister({});
    assert.deepEqual(await f.folderForms('usb', ['Dir long'], { aliases: ['DIR'] }, list), { path: '/usb/DIR', display_path: '/usb/Dir long' });
    assert.deepEqual(calls, []);
  });
  it('the folder\'s own alias and long name (its own answer): no listing', async () => {
    const { list, calls } = lister({});
    assert.deepEqual(await f.folderForms('usb', ['whatever'], { ownAlias: 'DIR', ownDisplay: 'Dir long' }, list), { path: '/usb/DIR', display_path: '/usb/Dir long' });
    assert.deepEqual(calls, []);
  });
  it('own alias and long name apply to the last segment only', async () => {
    const { list, calls } = lister({ '': ROOT_CHILDREN });
    assert.deepEqual(await f.folderForms('usb', ['dir', 'x'], { ownAlias: 'SUBDIR', ownDisplay: 'Sub dir long' }, list), {
      path: '/usb/DIR/SUBDIR',
      display_path: '/usb/Dir long/Sub dir long',
    });
    assert.deepEqual(calls, ['']);
  });
  it('an 8.3 segment in lower case: alias upper-cased, long name looked up in the parent', async () => {
    const { list, calls } = lister({ '': ROOT_CHILDREN });
    assert.deepEqual(await f.folderForms('usb', ['dir'], {}, list), { path: '/usb/DIR', display_path: '/usb/Dir long' });
    assert.deepEqual(calls, ['']);
  });
  it('long names two levels deep: one listing per level, walking down by aliases; long names kept as written (FAT ignores case)', async () => {
    const { list, calls } = lister({ '': ROOT_CHILDREN, DIR: [FILE_CHILD, SUBDIR_CHILD] });
    assert.deepEqual(await f.folderForms('usb', ['DIR LONG', 'sub dir long'], {}, list), { path: '/usb/DIR/SUBDIR', display_path: '/usb/DIR LONG/sub dir long' });
    assert.deepEqual(calls, ['', 'DIR']);
  });
  it('a child found by its alias without a display_name: its name is both forms', async () => {
    const { list } = lister({ '': [{ name: 'DIR' }] });
    assert.deepEqual(await f.folderForms('usb', ['dir'], {}, list), { path: '/usb/DIR', display_path: '/usb/DIR' });
  });
  it('a folder not found: the segment as written in both forms', async () => {
    const { list } = lister({ '': ROOT_CHILDREN });
    assert.deepEqual(await f.folderForms('usb', ['Nope long'], {}, list), { path: '/usb/Nope long', display_path: '/usb/Nope long' });
  });
  it('junk children are passed over', async () => {
    const { list } = lister({ '': [null, 'x', { display_name: 7 }, ...ROOT_CHILDREN] });
    assert.deepEqual(await f.folderForms('usb', ['Dir Long'], {}, list), { path: '/usb/DIR', display_path: '/usb/Dir Long' });
  });
  it('without a way to list (MINI 4.4.1): what cannot be derived stays as written', async () => {
    assert.deepEqual(await f.folderForms('usb', ['dir', 'Long one'], {}), { path: '/usb/DIR/Long one', display_path: '/usb/dir/Long one' });
  });
  it('no segments: the storage root', async () => {
    assert.deepEqual(await f.folderForms('usb', [], {}), { path: '/usb', display_path: '/usb' });
  });
});

describe('entry-forms: folderPathForms and entryFromV1 with a fake printer', () => {
  const buddy = { family: 'buddy', capabilities: { uploadByPut: true } };
  const mini = { family: 'mini-legacy', capabilities: { uploadByPut: false } };
  const pi = { family: 'pi', capabilities: { uploadByPut: true } };
  function ctxWith(bodies) {
    const asked = [];
    return {
      asked,
      async getJson(target) {
        asked.push(target);
        return { status: 200, json: bodies[target] ?? {} };
      },
    };
  }

  it('Pi and the root: the path as given, nothing asked', async () => {
    const ctx = ctxWith({});
    assert.deepEqual(await folderPathForms(ctx, pi, { storage: 'local', segments: ['a b'] }, {}), { path: '/local/a b', display_path: '/local/a b' });
    assert.deepEqual(await folderPathForms(ctx, buddy, { storage: 'usb', segments: [] }, {}), { path: '/usb', display_path: '/usb' });
    assert.deepEqual(ctx.asked, []);
  });
  it('Buddy: lists through GET /api/v1/files/usb/<aliases>, each segment encoded', async () => {
    const ctx = ctxWith({ '/api/v1/files/usb': { children: [{ name: 'PS~1', display_name: 'P s' }] }, '/api/v1/files/usb/PS~1': { children: [{ name: 'SUBDIR~1', display_name: 'Sub dir' }] } });
    assert.deepEqual(await folderPathForms(ctx, buddy, { storage: 'usb', segments: ['P s', 'Sub dir'] }, {}), { path: '/usb/PS~1/SUBDIR~1', display_path: '/usb/P s/Sub dir' });
    assert.deepEqual(ctx.asked, ['/api/v1/files/usb', '/api/v1/files/usb/PS~1']);
  });
  it('Buddy: a listing without children finds nothing', async () => {
    const ctx = ctxWith({ '/api/v1/files/usb': { children: 'none' } });
    assert.deepEqual(await folderPathForms(ctx, buddy, { storage: 'usb', segments: ['P s'] }, {}), { path: '/usb/P s', display_path: '/usb/P s' });
  });
  it('MINI 4.4.1: nothing asked, 8.3 names upper-cased', async () => {
    const ctx = ctxWith({});
    assert.deepEqual(await folderPathForms(ctx, mini, { storage: 'usb', segments: ['dir'] }, {}), { path: '/usb/DIR', display_path: '/usb/dir' });
    assert.deepEqual(ctx.asked, []);
  });

  it('Buddy file GET (§4.6 file shape) by long names: folder alias from its download ref, nothing asked', async () => {
    const ctx = ctxWith({});
    const json = { ...FILE_CHILD, size: 123456 };
    assert.deepEqual(await entryFromV1(ctx, buddy, { storage: 'usb', segments: ['Dir long', 'Long name.gcode'] }, json), {
      type: 'PRINT_FILE',
      name: 'FILE~1.GCO',
      display_name: 'Long name.gcode',
      path: '/usb/DIR/FILE~1.GCO',
      display_path: '/usb/Dir long/Long name.gcode',
      size: 123456,
      m_timestamp: 1700000000,
      read_only: false,
      refs: FILE_CHILD.refs,
    });
    assert.deepEqual(ctx.asked, []);
  });
  it('Buddy folder GET: the parent\'s aliases from a child ref, its long name looked up once', async () => {
    const ctx = ctxWith({ '/api/v1/files/usb': { children: ROOT_CHILDREN } });
    const json = { type: 'FOLDER', ro: false, name: 'SUBDIR', m_timestamp: 1700000200, children: [{ ...FILE_CHILD, refs: { download: '/usb/DIR/SUBDIR/FILE~1.GCO' } }] };
    assert.deepEqual(await entryFromV1(ctx, buddy, { storage: 'usb', segments: ['dir', 'subdir'] }, json), {
      type: 'FOLDER',
      name: 'SUBDIR',
      display_name: 'SUBDIR',
      path: '/usb/DIR/SUBDIR',
      display_path: '/usb/Dir long/SUBDIR',
      m_timestamp: 1700000200,
      read_only: false,
    });
    assert.deepEqual(ctx.asked, ['/api/v1/files/usb']);
  });
  it('Buddy folder GET by long names: every parent alias from a child ref, so nothing is asked', async () => {
    const ctx = ctxWith({});
    const json = { type: 'FOLDER', ro: false, name: 'X', display_name: 'X long', children: [{ ...FILE_CHILD, refs: { download: '/usb/DIR/SUB/X/FILE~1.GCO' } }] };
    const e = await entryFromV1(ctx, buddy, { storage: 'usb', segments: ['Dir long', 'Sub long', 'X long'] }, json);
    assert.equal(e.path, '/usb/DIR/SUB/X');
    assert.equal(e.display_path, '/usb/Dir long/Sub long/X long');
    assert.deepEqual(ctx.asked, []);
  });
  it('Buddy folder GET without file children (nothing tells the aliases): the parent is looked up', async () => {
    const ctx = ctxWith({ '/api/v1/files/usb': { children: ROOT_CHILDREN } });
    const e = await entryFromV1(ctx, buddy, { storage: 'usb', segments: ['Dir long', 'EMPTY'] }, { type: 'FOLDER', name: 'EMPTY' });
    assert.equal(e.path, '/usb/DIR/EMPTY');
    assert.deepEqual(ctx.asked, ['/api/v1/files/usb']);
  });
  it('the printer\'s display_name wins over the name as typed', async () => {
    const e = await entryFromV1(ctxWith({}), buddy, { storage: 'usb', segments: ['long NAME.gcode'] }, { ...FILE_CHILD, refs: { download: '/usb/FILE~1.GCO' } });
    assert.equal(e.display_name, 'Long name.gcode');
  });
  it('Buddy answer with an alias but no display_name: a typed long name is the display name', async () => {
    const e = await entryFromV1(ctxWith({}), buddy, { storage: 'usb', segments: ['Long name.gcode'] }, { type: 'PRINT_FILE', name: 'LONGNA~1.GCO' });
    assert.equal(e.name, 'LONGNA~1.GCO');
    assert.equal(e.display_name, 'Long name.gcode');
  });
  it('a folder answer that is not FOLDER-typed does not read aliases from its children', async () => {
    const ctx = ctxWith({ '/api/v1/files/usb': { children: ROOT_CHILDREN } });
    const json = { type: 'PRINT_FILE', name: 'A.GCO', children: [{ refs: { download: '/usb/OTHER/X/A.GCO' } }] };
    const e = await entryFromV1(ctx, buddy, { storage: 'usb', segments: ['dir', 'A.GCO'] }, json);
    assert.equal(e.path, '/usb/DIR/A.GCO');
    assert.equal(e.display_path, '/usb/Dir long/A.GCO');
  });
  it('Pi upload answer (empty body): the typed name in both forms', async () => {
    const ctx = ctxWith({});
    assert.deepEqual(await entryFromV1(ctx, pi, { storage: 'local', segments: ['d', 'x.gcode'] }, {}), {
      type: 'FILE',
      name: 'x.gcode',
      display_name: 'x.gcode',
      path: '/local/d/x.gcode',
      display_path: '/local/d/x.gcode',
    });
  });
  it('Buddy answer without names: a long typed name is the display name; a typed 8.3 name is not taken as one', async () => {
    const ctx = ctxWith({});
    assert.equal((await entryFromV1(ctx, buddy, { storage: 'usb', segments: ['Long name.gcode'] }, { type: 'PRINT_FILE' })).display_name, 'Long name.gcode');
    const short = await entryFromV1(ctx, buddy, { storage: 'usb', segments: ['a.gco'] }, { type: 'PRINT_FILE', name: 'A.GCO' });
    assert.equal(short.display_name, 'A.GCO');
    const piShort = await entryFromV1(ctx, pi, { storage: 'local', segments: ['a.gco'] }, { type: 'PRINT_FILE', name: 'a.gco' });
    assert.equal(piShort.display_name, 'a.gco');
  });
});
