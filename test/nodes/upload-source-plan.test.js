'use strict';
// Unit tests of the upload node's source plan and of the base-folder confinement, with the error words as the
// en-US catalog renders them (no Node-RED, no printer).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { planUpload, sourceSetting } = require('../../dist/nodes/upload-target');
const { confineToBase } = require('../../dist/nodes/local-file');

const catalog = JSON.parse(fs.readFileSync(path.join(__dirname, '../../nodes/locales/en-US/prusalink-upload.json'), 'utf8'))['prusalink-upload'];
/** The en-US error text for a plan problem or a refusal, placeholders filled as Node-RED's i18next does. */
const words = (key, params = {}) => catalog.errors[key].replace(/__(\w+)__/g, (_, k) => String(params[k]));
const catalogs = ['en-US', 'de', 'fr', 'cs'].map((lang) => JSON.parse(fs.readFileSync(path.join(__dirname, `../../nodes/locales/${lang}/prusalink-upload.json`), 'utf8'))['prusalink-upload']);

describe('planUpload: where the bytes come from', () => {
  const buf = Buffer.from('G28\n');

  it('the source setting: as set; blank takes a local file typed in the node as "file", else "payload"', () => {
    assert.equal(sourceSetting({ source: 'file' }), 'file');
    assert.equal(sourceSetting({ source: 'payload', filename: '/x.gcode' }), 'payload');
    assert.equal(sourceSetting({ filename: '/x.gcode' }), 'file');
    assert.equal(sourceSetting({ filename: '  ' }), 'payload');
    assert.equal(sourceSetting({}), 'payload');
  });

  it('payload: a Buffer, named by msg.filename\'s base name, in msg.folder', () => {
    assert.deepEqual(planUpload({}, { payload: buf, filename: '/any/where/part.gcode', folder: 'jobs/' }), {
      source: { buffer: buf },
      path: 'jobs/part.gcode',
      ignored: [],
    });
  });

  for (const [payload, kind] of [
    ['G28', 'string'],
    [{ a: 1 }, 'object'],
    [[1], 'array'],
    [12, 'number'],
    [true, 'boolean'],
    [null, 'null'],
    [Symbol('s'), 'other'],
  ]) {
    it(`payload: ${kind} is refused with words that name it, msg.filename not read`, () => {
      const plan = planUpload({}, { payload, filename: '/etc/passwd' });
      assert.deepEqual(plan, { problem: 'notBuffer', kind });
      for (const c of catalogs) assert.equal(typeof c.types[kind], 'string', `every language names ${kind}`);
    });
  }

  it('the words for a string payload, as the issue asks for them', () => {
    assert.equal(
      words('notBuffer', { type: catalog.types.string }),
      'msg.payload is a string; the upload node needs a Buffer: set the mqtt/file node to output a Buffer',
    );
  });

  it('payload: none at all → noPayload, even with msg.filename and msg.target', () => {
    assert.deepEqual(planUpload({}, { filename: '/home/nr/.node-red/flows_cred.json', target: 'x.gcode' }), { problem: 'noPayload' });
    assert.match(words('noPayload'), /^Nothing to upload: the node uploads msg\.payload, and the msg has none/);
  });

  it('payload: an empty Buffer → empty; no name → target', () => {
    assert.deepEqual(planUpload({}, { payload: Buffer.alloc(0), filename: 'x.gcode' }), { problem: 'empty' });
    assert.deepEqual(planUpload({}, { payload: buf }), { problem: 'target' });
  });

  it('file: the node\'s own file, msg.filename and a Buffer payload ignored (and said so)', () => {
    assert.deepEqual(planUpload({ source: 'file', filename: '/srv/g/part.gcode' }, { payload: buf, filename: '/etc/passwd' }), {
      source: { file: '/srv/g/part.gcode' },
      path: 'part.gcode',
      ignored: ['payload', 'filename'],
    });
    assert.deepEqual(planUpload({ filename: '/srv/g/part.gcode', target: 't.gcode' }, { payload: 'x' }), {
      source: { file: '/srv/g/part.gcode' },
      path: 't.gcode',
      ignored: [],
    });
  });

  it('the node\'s target and folder win over the msg\'s; a different msg value is named as ignored, an equal or blank one is not', () => {
    assert.deepEqual(planUpload({ target: 'node.gcode', folder: 'jobs' }, { payload: buf, target: 'msg.gcode', folder: 'other' }), {
      source: { buffer: buf },
      path: 'jobs/node.gcode',
      ignored: ['target', 'folder'],
    });
    assert.deepEqual(planUpload({ target: 'node.gcode', folder: 'jobs' }, { payload: buf, target: ' node.gcode ', folder: '' }), {
      source: { buffer: buf },
      path: 'jobs/node.gcode',
      ignored: [],
    });
    assert.deepEqual(planUpload({ target: '', folder: '' }, { payload: buf, target: 'msg.gcode', folder: 'other' }), {
      source: { buffer: buf },
      path: 'other/msg.gcode',
      ignored: [],
    });
  });

  it('file: msg.filename only with a base folder, and then to be confined to it', () => {
    assert.deepEqual(planUpload({ source: 'file' }, { filename: '/etc/passwd' }), { problem: 'msgFileRefused' });
    assert.deepEqual(planUpload({ source: 'file' }, {}), { problem: 'noLocalFile' });
    assert.deepEqual(planUpload({ source: 'file', baseFolder: '/srv/g' }, { filename: 'a/part.gcode' }), {
      source: { msgFile: 'a/part.gcode', base: '/srv/g' },
      path: 'part.gcode',
      ignored: [],
    });
  });
});

describe('confineToBase', () => {
  let tmp;
  let base;
  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-confine-')));
    base = path.join(tmp, 'base');
    fs.mkdirSync(path.join(base, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(base, 'sub', 'in.gcode'), 'G28\n');
    fs.writeFileSync(path.join(tmp, 'secret.json'), '{}');
    fs.symlinkSync(path.join(tmp, 'secret.json'), path.join(base, 'escape.gcode'));
    fs.symlinkSync(path.join(base, 'sub', 'in.gcode'), path.join(base, 'alias.gcode'));
    fs.symlinkSync(base, path.join(tmp, 'base-link'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a file inside, relative or absolute, is its real path', async () => {
    assert.deepEqual(await confineToBase(base, 'sub/in.gcode'), { file: path.join(base, 'sub', 'in.gcode') });
    assert.deepEqual(await confineToBase(base, path.join(base, 'sub', 'in.gcode')), { file: path.join(base, 'sub', 'in.gcode') });
  });

  it('a link inside that points inside is allowed; a base folder given through a link works', async () => {
    assert.deepEqual(await confineToBase(base, 'alias.gcode'), { file: path.join(base, 'sub', 'in.gcode') });
    const viaLink = path.join(tmp, 'base-link');
    assert.deepEqual(await confineToBase(viaLink, path.join(viaLink, 'sub', 'in.gcode')), { file: path.join(base, 'sub', 'in.gcode') });
  });

  it('".." is refused, even when it would stay inside', async () => {
    assert.deepEqual(await confineToBase(base, '../secret.json'), { refused: 'dotdot' });
    assert.deepEqual(await confineToBase(base, 'sub/../sub/in.gcode'), { refused: 'dotdot' });
    assert.equal(
      words('dotdot', { file: '../secret.json', base }),
      `msg.filename "../secret.json" contains "..": name a file inside the base folder ${base}`,
    );
  });

  it('an absolute path outside, the folder itself, and a link pointing outside are refused', async () => {
    assert.deepEqual(await confineToBase(base, path.join(tmp, 'secret.json')), { refused: 'outside' });
    assert.deepEqual(await confineToBase(base, base), { refused: 'outside' });
    assert.deepEqual(await confineToBase(base, 'escape.gcode'), { refused: 'outside' });
    assert.equal(
      words('outside', { file: 'escape.gcode', base }),
      `msg.filename "escape.gcode" is outside the base folder ${base} (a symbolic link counts where it points): only files inside it are uploaded`,
    );
  });

  it('a missing file or base folder is a refusal with the reason', async () => {
    const missing = await confineToBase(base, 'nope.gcode');
    assert.equal(missing.refused, 'unreadable');
    assert.match(missing.reason, /ENOENT/);
    const noBase = await confineToBase(path.join(tmp, 'gone'), 'x.gcode');
    assert.equal(noBase.refused, 'baseUnreadable');
    assert.match(noBase.reason, /ENOENT/);
  });
});
