'use strict';
// The sync plan (src/sync/plan.ts) as table-like cases: what is uploaded, deleted, kept, skipped, learnt and forgotten.
// Local files are written to a temporary folder (never the checkout); a file whose content must NOT be read points at
// a path that does not exist, so reading it would fail the test. Expected hashes are computed here with node:crypto.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { planFiles, foldersToCreate, foldersToDelete } = require('../../dist/sync/plan');

let dir;
const sha = (s) => crypto.createHash('sha256').update(s).digest('hex');
const NOT_READ = '/nonexistent/never-read.gcode';
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-unit-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A local file with content (written to the temp folder) or, with content null, one that must not be read. */
function local(rel, content, { size, mtimeMs = 1_700_000_000_000 } = {}) {
  let abs = NOT_READ;
  if (content !== null) {
    abs = path.join(dir, rel.replace(/\//g, '__'));
    fs.writeFileSync(abs, content);
  }
  return { rel, abs, size: size ?? (content === null ? 10 : Buffer.byteLength(content)), mtimeMs };
}
function remoteFile(rel, { size, m_timestamp } = {}) {
  const name = rel.split('/').pop();
  const entry = { type: 'PRINT_FILE', name, display_name: name, path: `/usb/sync/${rel}`, display_path: `/usb/sync/${rel}` };
  if (size !== undefined) entry.size = size;
  if (m_timestamp !== undefined) entry.m_timestamp = m_timestamp;
  return { rel, entry };
}
function tree(files = [], folders = [], family = 'buddy') {
  const key = (rel) => (family === 'pi' ? rel : rel.toLowerCase());
  return { files: new Map(files.map((f) => [key(f.rel), f])), folders: new Map(folders.map((f) => [key(f.rel), f])), rootPath: '/usb/sync' };
}
function input(over) {
  return { family: 'buddy', local: [], remote: tree(), records: {}, deleteExtras: false, folders: true, hinted: new Set(), ...over };
}
const EMPTY = { uploads: [], deletes: [], unchanged: [], kept: [], skipped: [], learned: {}, forget: [] };

describe('sync plan: what each local file needs', () => {
  it('a new printable file is uploaded with its hash; other files are ignored', async () => {
    const a = local('a.gcode', 'G28\n');
    const plan = await planFiles(input({ local: [a, local('notes.txt', null), local('model.stl', null)] }));
    assert.deepEqual(plan, { ...EMPTY, uploads: [{ file: a, reason: 'new', sha256: sha('G28\n') }] });
  });

  it('MINI 4.4 (no folders): files in subfolders are skipped once per top folder, root files still planned', async () => {
    const root = local('r.gcode', 'R');
    const plan = await planFiles(input({ family: 'mini-legacy', folders: false, local: [local('sub/a.gcode', null), local('sub/deep/b.gcode', null), local('other/c.gcode', null), root] }));
    const reason = 'this printer (MINI firmware 4.4) keeps files in its root only; files in subfolders are not synced';
    assert.deepEqual(plan.skipped, [
      { path: 'sub/', code: 'FOLDERS_UNSUPPORTED', reason },
      { path: 'other/', code: 'FOLDERS_UNSUPPORTED', reason },
    ]);
    assert.deepEqual(plan.uploads, [{ file: root, reason: 'new', sha256: sha('R') }]);
  });

  it('binary G-code on Pi PrusaLink is skipped as UNSUPPORTED_FILE; on Buddy it is uploaded', async () => {
    const pi = await planFiles(input({ family: 'pi', local: [local('x.bgcode', null)] }));
    assert.deepEqual(pi, { ...EMPTY, skipped: [{ path: 'x.bgcode', code: 'UNSUPPORTED_FILE', reason: 'this printer does not print binary G-code (.bgcode)' }] });
    const b = local('y.bgcode', 'BG');
    assert.deepEqual((await planFiles(input({ local: [b] }))).uploads, [{ file: b, reason: 'new', sha256: sha('BG') }]);
  });

  it('two local names equal but for letter case: the second is a NAME_CONFLICT on FAT printers, both go to the Pi', async () => {
    const A = local('A.gcode', 'A');
    const a = local('a.gcode', 'a');
    const buddy = await planFiles(input({ local: [A, a] }));
    assert.deepEqual(buddy.skipped, [{ path: 'a.gcode', code: 'NAME_CONFLICT', reason: 'another local file has the same name apart from letter case' }]);
    assert.deepEqual(buddy.uploads.map((u) => u.file.rel), ['A.gcode']);
    const pi = await planFiles(input({ family: 'pi', local: [A, a] }));
    assert.deepEqual(pi.uploads.map((u) => u.file.rel), ['A.gcode', 'a.gcode']);
    assert.deepEqual(pi.skipped, []);
  });

  it('printer files with no local counterpart: deleted with deleteExtras, else kept; a local file matches by FAT name', async () => {
    const extra = remoteFile('old.gcode', { size: 1 });
    const matched = remoteFile('KEEP.GCODE', { size: 1 });
    const keepLocal = local('keep.gcode', 'K');
    const withDelete = await planFiles(input({ local: [keepLocal], remote: tree([extra, matched]), deleteExtras: true }));
    assert.deepEqual(withDelete.deletes, [{ rel: 'old.gcode', item: extra }]);
    assert.deepEqual(withDelete.kept, []);
    const without = await planFiles(input({ local: [keepLocal], remote: tree([extra, matched]) }));
    assert.deepEqual(without.deletes, []);
    assert.deepEqual(without.kept, ['old.gcode']);
  });

  it('records of files gone from both sides are forgotten; records of files still on one side are not', async () => {
    const rec = { size: 1, mtime: 1, sha256: 'x' };
    const plan = await planFiles(
      input({ local: [local('here.gcode', 'H')], remote: tree([remoteFile('There.gcode')]), records: { 'gone.gcode': rec, 'HERE.gcode': rec, 'there.gcode': rec } }),
    );
    assert.deepEqual(plan.forget, ['gone.gcode']);
  });
});

describe('sync plan: a file with a manifest record', () => {
  const base = { size: 10, mtime: 1_700_000_000_000, sha256: sha('0123456789'), remoteSize: 10, remoteMtime: 1_700_000_001 };

  it('same size and time, not hinted: unchanged without reading the file; nothing new learnt', async () => {
    const f = local('a.gcode', null, { size: 10 });
    const plan = await planFiles(input({ local: [f], remote: tree([remoteFile('a.gcode', { size: 10, m_timestamp: 1_700_000_001 })]), records: { 'a.gcode': base } }));
    assert.deepEqual(plan, { ...EMPTY, unchanged: ['a.gcode'] });
  });

  it('the printer\'s size or time seen for the first time is learnt', async () => {
    const f = local('a.gcode', null, { size: 10 });
    const rec = { size: 10, mtime: 1_700_000_000_000, sha256: base.sha256 };
    const plan = await planFiles(input({ local: [f], remote: tree([remoteFile('a.gcode', { size: 12, m_timestamp: 1_700_000_005 })]), records: { 'a.gcode': rec } }));
    assert.deepEqual(plan.unchanged, ['a.gcode']);
    assert.deepEqual(plan.learned, { 'a.gcode': { ...rec, remoteSize: 12, remoteMtime: 1_700_000_005 } });
  });

  it('a printer that lists neither size nor time: unchanged, nothing learnt', async () => {
    const f = local('a.gcode', null, { size: 10 });
    const rec = { size: 10, mtime: 1_700_000_000_000, sha256: base.sha256 };
    const plan = await planFiles(input({ local: [f], remote: tree([remoteFile('a.gcode')]), records: { 'a.gcode': rec } }));
    assert.deepEqual(plan, { ...EMPTY, unchanged: ['a.gcode'] });
  });

  for (const [what, remote] of [
    ['size', { size: 11, m_timestamp: 1_700_000_001 }],
    ['time', { size: 10, m_timestamp: 1_700_000_002 }],
  ]) {
    it(`replaced on the printer (its ${what} differs from the record): uploaded as changed-on-printer`, async () => {
      const f = local('a.gcode', '0123456789');
      const item = remoteFile('a.gcode', remote);
      const plan = await planFiles(input({ local: [f], remote: tree([item]), records: { 'a.gcode': base } }));
      assert.deepEqual(plan, { ...EMPTY, uploads: [{ file: f, existing: item, reason: 'changed-on-printer', sha256: sha('0123456789') }] });
    });
  }

  it('a record without the printer\'s size and time cannot tell a replacement', async () => {
    const f = local('a.gcode', null, { size: 10 });
    const rec = { size: 10, mtime: 1_700_000_000_000, sha256: base.sha256 };
    const plan = await planFiles(input({ local: [f], remote: tree([remoteFile('a.gcode', { size: 99, m_timestamp: 5 })]), records: { 'a.gcode': { ...rec } } }));
    assert.deepEqual(plan.uploads, []);
    const noRemote = await planFiles(input({ local: [f], remote: tree([remoteFile('a.gcode')]), records: { 'a.gcode': base } }));
    assert.deepEqual(noRemote.uploads, []);
  });

  it('hinted: read even with the same size and time; same content → unchanged, other content → changed', async () => {
    const same = local('a.gcode', '0123456789');
    const item = remoteFile('a.gcode', { size: 10, m_timestamp: 1_700_000_001 });
    const p1 = await planFiles(input({ local: [same], remote: tree([item]), records: { 'a.gcode': base }, hinted: new Set(['a.gcode']) }));
    assert.deepEqual(p1, { ...EMPTY, unchanged: ['a.gcode'] });
    const other = local('a.gcode', 'abcdefghij');
    const p2 = await planFiles(input({ local: [other], remote: tree([item]), records: { 'a.gcode': base }, hinted: new Set(['a.gcode']) }));
    assert.deepEqual(p2, { ...EMPTY, uploads: [{ file: other, existing: item, reason: 'changed', sha256: sha('abcdefghij') }] });
  });

  it('touched but identical (new time, same content): unchanged, the new local time learnt', async () => {
    const f = local('a.gcode', '0123456789', { mtimeMs: 1_700_000_999_000 });
    const plan = await planFiles(input({ local: [f], remote: tree([remoteFile('a.gcode', { size: 10, m_timestamp: 1_700_000_001 })]), records: { 'a.gcode': base } }));
    assert.deepEqual(plan, { ...EMPTY, unchanged: ['a.gcode'], learned: { 'a.gcode': { ...base, mtime: 1_700_000_999_000 } } });
  });

  it('the same size but a new local time: read; different content → changed', async () => {
    const f = local('a.gcode', 'abcdefghij', { mtimeMs: 1_700_000_999_000 });
    const item = remoteFile('a.gcode', { size: 10, m_timestamp: 1_700_000_001 });
    const plan = await planFiles(input({ local: [f], remote: tree([item]), records: { 'a.gcode': base } }));
    assert.deepEqual(plan.uploads, [{ file: f, existing: item, reason: 'changed', sha256: sha('abcdefghij') }]);
  });

  it('touched but identical on a printer that lists neither size nor time: the learnt record gets no printer fields', async () => {
    const f = local('a.gcode', '0123456789', { mtimeMs: 1_700_000_999_000 });
    const rec = { size: 10, mtime: 1_700_000_000_000, sha256: base.sha256 };
    const plan = await planFiles(input({ local: [f], remote: tree([remoteFile('a.gcode')]), records: { 'a.gcode': rec } }));
    assert.deepEqual(plan.learned, { 'a.gcode': { size: 10, mtime: 1_700_000_999_000, sha256: base.sha256 } });
    const sizeOnly = await planFiles(input({ local: [f], remote: tree([remoteFile('a.gcode', { size: 10 })]), records: { 'a.gcode': rec } }));
    assert.deepEqual(sizeOnly.learned, { 'a.gcode': { size: 10, mtime: 1_700_000_999_000, sha256: base.sha256, remoteSize: 10 } });
  });

  it('a different size locally: read; different content → changed', async () => {
    const f = local('a.gcode', '01234567890');
    const item = remoteFile('a.gcode', { size: 10, m_timestamp: 1_700_000_001 });
    const plan = await planFiles(input({ local: [f], remote: tree([item]), records: { 'a.gcode': base } }));
    assert.deepEqual(plan.uploads, [{ file: f, existing: item, reason: 'changed', sha256: sha('01234567890') }]);
  });
});

describe('sync plan: a file on the printer without a record', () => {
  const mtimeMs = 1_700_000_000_000;
  const cases = [
    ['same size, printer time after the local time (Pi lists both)', { size: 3, m_timestamp: 1_700_000_001 }, 'unchanged'],
    ['same size, printer time exactly 2 s before (FAT slack)', { size: 3, m_timestamp: 1_699_999_998 }, 'unchanged'],
    ['same size, printer time 3 s before', { size: 3, m_timestamp: 1_699_999_997 }, 'changed'],
    ['same size, no printer time (Buddy listings)', { size: 3 }, 'changed'],
    ['other size', { size: 4, m_timestamp: 1_700_000_001 }, 'changed'],
  ];
  for (const [title, remote, want] of cases) {
    it(`${title} → ${want}`, async () => {
      const f = local('n.gcode', 'abc', { mtimeMs });
      const item = remoteFile('n.gcode', remote);
      const plan = await planFiles(input({ local: [f], remote: tree([item]) }));
      if (want === 'unchanged') {
        assert.deepEqual(plan, {
          ...EMPTY,
          unchanged: ['n.gcode'],
          learned: { 'n.gcode': { size: 3, mtime: mtimeMs, sha256: sha('abc'), remoteSize: 3, remoteMtime: remote.m_timestamp } },
        });
      } else {
        assert.deepEqual(plan, { ...EMPTY, uploads: [{ file: f, existing: item, reason: 'changed', sha256: sha('abc') }] });
      }
    });
  }
  it('the slack is 2 s: a time 1 ms further back is changed', async () => {
    const f = local('n.gcode', 'abc', { mtimeMs: 1_700_000_000_001 });
    const plan = await planFiles(input({ local: [f], remote: tree([remoteFile('n.gcode', { size: 3, m_timestamp: 1_699_999_998 })]) }));
    assert.equal(plan.uploads.length, 1);
  });
});

describe('sync plan: folders', () => {
  const up = (rel) => ({ file: { rel, abs: NOT_READ, size: 1, mtimeMs: 1 }, reason: 'new', sha256: 'x' });
  const folder = (rel, children = []) => ({ rel, entry: { type: 'FOLDER', name: rel.split('/').pop(), display_name: rel.split('/').pop(), path: `/usb/sync/${rel}`, display_path: `/usb/sync/${rel}`, children } });

  it('foldersToCreate: missing parents, shallow first then by name; existing ones (FAT case) left out', () => {
    const plan = { ...EMPTY, uploads: [up('b/y/z.gcode'), up('a/x.gcode'), up('B/c.gcode'), up('top.gcode'), up('E/f.gcode')] };
    assert.deepEqual(foldersToCreate(plan, tree([], [folder('e')]), 'buddy', false), ['B', 'a', 'b', 'b/y']);
  });
  it('foldersToCreate: the synced folder itself ("") first when it is missing, even for a root file', () => {
    assert.deepEqual(foldersToCreate({ ...EMPTY, uploads: [up('top.gcode')] }, tree(), 'buddy', true), ['']);
    assert.deepEqual(foldersToCreate({ ...EMPTY, uploads: [up('a/x.gcode')] }, tree(), 'buddy', true), ['', 'a']);
    assert.deepEqual(foldersToCreate({ ...EMPTY, uploads: [up('top.gcode')] }, tree(), 'buddy', false), []);
    assert.deepEqual(foldersToCreate(EMPTY, tree(), 'buddy', true), []);
  });
  it('foldersToCreate on the Pi: names with case, "A" is not "a"', () => {
    assert.deepEqual(foldersToCreate({ ...EMPTY, uploads: [up('A/x.gcode')] }, tree([], [folder('a')], 'pi'), 'pi', false), ['A']);
  });

  it('foldersToCreate: ordered by depth in segments (not characters), then by name, whatever the upload order', () => {
    const plan = { ...EMPTY, uploads: [up('a/x.gcode'), up('c/x.gcode'), up('bbbb/x.gcode'), up('d/e/x.gcode')] };
    assert.deepEqual(foldersToCreate(plan, tree(), 'buddy', false), ['a', 'bbbb', 'c', 'd', 'd/e']);
  });

  function remoteWith(family) {
    const oldFile = { type: 'PRINT_FILE', name: 'x.gcode', display_name: 'x.gcode', path: '/usb/sync/old/x.gcode' };
    const keptFile = { type: 'PRINT_FILE', name: 'k.gcode', display_name: 'k.gcode', path: '/usb/sync/busy/k.gcode' };
    const subEntry = { type: 'FOLDER', name: 'SUB', display_name: 'Sub', path: '/usb/sync/old/SUB' };
    const folders = [
      folder('old', [oldFile, subEntry]),
      folder('old/Sub', []),
      folder('busy', [keptFile]),
      folder('mine', []),
      folder('nest', [{ type: 'FOLDER', name: 'in', path: '/usb/sync/nest/in' }]),
      folder('nest/in', [keptFile]),
      folder('lost', [{ type: 'FOLDER', name: 'ghost', display_name: '', path: '/usb/sync/lost/ghost' }]),
    ];
    return { remote: tree([], folders, family), oldFile };
  }

  it('foldersToDelete: only folders whose every entry goes and that have no local counterpart; deepest first', () => {
    const { remote, oldFile } = remoteWith('buddy');
    const plan = { ...EMPTY, deletes: [{ rel: 'old/x.gcode', item: { rel: 'old/x.gcode', entry: oldFile } }] };
    const localFiles = [{ rel: 'MINE/a.gcode' }, { rel: 'busy/readme.txt' }];
    const doomed = foldersToDelete(plan, remote, 'buddy', localFiles);
    assert.deepEqual(doomed.map((d) => d.rel), ['old/Sub', 'old']);
  });
  it('foldersToDelete: a folder kept by a local counterpart keeps its parents', () => {
    const { remote, oldFile } = remoteWith('buddy');
    const plan = { ...EMPTY, deletes: [{ rel: 'old/x.gcode', item: { rel: 'old/x.gcode', entry: oldFile } }] };
    const doomed = foldersToDelete(plan, remote, 'buddy', [{ rel: 'old/Sub/n.gcode' }]);
    assert.deepEqual(doomed.map((d) => d.rel), ['mine']);
  });
  it('foldersToDelete: a file that stays keeps its folder; a local folder path is matched by FAT name', () => {
    const { remote } = remoteWith('buddy');
    const doomed = foldersToDelete(EMPTY, remote, 'buddy', [{ rel: 'OLD/SUB/n.gcode' }]);
    assert.deepEqual(doomed.map((d) => d.rel), ['mine']);
  });
  it('foldersToDelete: a folder holding only non-printable local files has no local counterpart', () => {
    const remote = tree([], [folder('docs')]);
    assert.deepEqual(foldersToDelete(EMPTY, remote, 'buddy', [{ rel: 'docs/readme.txt' }]).map((d) => d.rel), ['docs']);
  });
  it('foldersToDelete: a local FILE named like a printer folder does not keep that folder', () => {
    const remote = tree([], [folder('stuff.gcode')]);
    assert.deepEqual(foldersToDelete(EMPTY, remote, 'buddy', [{ rel: 'stuff.gcode' }]).map((d) => d.rel), ['stuff.gcode']);
  });
  it('foldersToDelete: a subfolder with an empty display_name is found by its name; a folder without a children list is empty', () => {
    const remote = tree([], [folder('lost', [{ type: 'FOLDER', name: 'ghost', display_name: '' }]), { rel: 'lost/ghost', entry: { type: 'FOLDER', name: 'ghost', path: '/usb/sync/lost/ghost' } }]);
    assert.deepEqual(foldersToDelete(EMPTY, remote, 'buddy', []).map((d) => d.rel), ['lost/ghost', 'lost']);
  });
  it('foldersToDelete: three levels, a file staying at the bottom keeps every level', () => {
    const stays = { type: 'PRINT_FILE', name: 's.gcode', path: '/usb/sync/top/a/b/s.gcode' };
    const remote = tree([], [folder('top', [{ type: 'FOLDER', name: 'a', display_name: 'a' }]), folder('top/a', [{ type: 'FOLDER', name: 'b', display_name: 'b' }]), folder('top/a/b', [stays])]);
    assert.deepEqual(foldersToDelete(EMPTY, remote, 'buddy', []).map((d) => d.rel), []);
  });
  it('foldersToDelete: a subfolder missing from the listing keeps its parent', () => {
    const remote = tree([], [folder('p', [{ type: 'FOLDER', name: 'unlisted', display_name: 'unlisted' }])]);
    assert.deepEqual(foldersToDelete(EMPTY, remote, 'buddy', []).map((d) => d.rel), []);
  });
  it('foldersToDelete: same depth ordered by name whatever the listing order', () => {
    const remote = tree([], [folder('a'), folder('c'), folder('b'), folder('d')]);
    assert.deepEqual(foldersToDelete(EMPTY, remote, 'buddy', []).map((d) => d.rel), ['a', 'b', 'c', 'd']);
  });
  it('foldersToDelete: sorted by depth, then by name', () => {
    const remote = tree([], [folder('b'), folder('a'), folder('a/z'), folder('a/y')]);
    remote.folders.get('a').entry.children = [
      { type: 'FOLDER', name: 'z', display_name: 'z' },
      { type: 'FOLDER', name: 'y', display_name: 'y' },
    ];
    assert.deepEqual(foldersToDelete(EMPTY, remote, 'buddy', []).map((d) => d.rel), ['a/y', 'a/z', 'a', 'b']);
  });
});
