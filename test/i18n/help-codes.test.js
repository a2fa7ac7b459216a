// Every error code, skip code or state the help names (a <code>NAME</code> span in upper case) is one the code really
// uses: the job and print help once promised PRINTER_BUSY where the node fails with NOT_READY (issue 13.8). A name
// counts as used when src/client, src/nodes, src/sync or src/queue spell it as a string literal; the error codes a Catch node
// can see must moreover be in the client's ErrorCode type or the queue's QueueErrorCode, or be made by the nodes or the sync themselves.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const files = require('./catalog-files');

const { ROOT, DEFAULT_LANG, TRANSLATIONS, TYPES } = files;
/** Printer models as PrusaSlicer writes them (the upload help's compatibility check): names, not codes. */
const PRINTER_MODELS = new Set(['MK4', 'MK4IS', 'MINI', 'COREONE']);
const SRC_DIRS = ['client', 'nodes', 'sync', 'metadata', 'queue'].map((d) => path.join(ROOT, 'src', d));

function sourceText() {
  // Recursive: the client keeps its transport, files and upload modules in folders of their own.
  return SRC_DIRS.flatMap((dir) => fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.ts')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))).join('\n');
}

/** The string literals of `export type <name> = 'A' | 'B' ...;` in a source file. */
function unionMembers(file, name) {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const m = text.match(new RegExp(`export type ${name} =([^;]+);`));
  assert.ok(m, `${file} declares ${name}`);
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
}

/** Upper-case names in <code> spans of a help file: `NOT_READY`, `OFFLINE`, `MK4`. */
function namesInHelp(html) {
  return [...new Set([...html.matchAll(/<code>([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)<\/code>/g)].map((m) => m[1]))];
}

const HELP_FILES = [
  ...TYPES.map((t) => path.join(ROOT, 'nodes', `${t}.html`)),
  ...[DEFAULT_LANG, ...TRANSLATIONS].flatMap((lang) => TYPES.map((t) => files.catalogPath(lang, t, 'html'))),
].filter((f) => fs.existsSync(f));

describe('codes named in the help', () => {
  const src = sourceText();
  const literals = new Set([...src.matchAll(/'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]));
  const errorCodes = new Set([
    ...unionMembers('src/client/types.ts', 'ErrorCode'),
    ...[...src.matchAll(/codedError\('([A-Z_]+)'/g)].map((m) => m[1]),
    ...unionMembers('src/sync/types.ts', 'SkipCode'),
    ...unionMembers('src/queue/types.ts', 'QueueErrorCode'),
    'LOCAL_IO',
  ]);

  it('finds the names (the extraction works)', () => {
    const en = fs.readFileSync(files.catalogPath(DEFAULT_LANG, 'prusalink-job', 'html'), 'utf8');
    assert.deepEqual(namesInHelp(en).filter((n) => errorCodes.has(n)).sort(), ['NOT_READY', 'NO_JOB', 'NOT_FOUND', 'UNSUPPORTED'].sort());
  });

  for (const file of HELP_FILES) {
    it(`${path.relative(ROOT, file)} names only codes and states the code uses`, () => {
      const unknown = namesInHelp(fs.readFileSync(file, 'utf8')).filter((n) => !literals.has(n) && !PRINTER_MODELS.has(n));
      assert.deepEqual(unknown, [], 'names no source file spells as a string literal');
    });
  }

  it('README: every code-like name (WORD_WORD) is an error or skip code', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    // Environment variables are not codes: the farm name's (read by the example flows), those the example flows read
    // with JSONata's $env (the farm instance's broker and id), and any the code reads.
    const examplesText = fs.readdirSync(path.join(ROOT, 'examples')).map((f) => fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8')).join('\n');
    const readByExamples = [...examplesText.matchAll(/\$env\(\\"([A-Z][A-Z0-9_]+)\\"\)/g)].map((m) => m[1]);
    const ENV_VARS = new Set(['PRUSALINK_FARM', ...readByExamples, ...envVarsRead()]);
    const named = [...new Set([...readme.matchAll(/`([A-Z][A-Z0-9]*_[A-Z0-9_]+)`/g)].map((m) => m[1]))];
    assert.deepEqual(named.filter((n) => !errorCodes.has(n) && !ENV_VARS.has(n)), []);
  });

  it('every name that looks like an error code (WORD_WORD) is an error or skip code', () => {
    const states = new Set(unionMembers('src/client/types.ts', 'PrinterState'));
    const bad = [];
    for (const file of HELP_FILES) {
      for (const n of namesInHelp(fs.readFileSync(file, 'utf8'))) {
        if (n.includes('_') && !errorCodes.has(n) && !states.has(n) && n !== 'PRINT_FILE') bad.push(`${path.relative(ROOT, file)}: ${n}`);
      }
    }
    assert.deepEqual(bad, []);
  });
});

/** Every NAME read as process.env.NAME by the project's scripts and tests (src/ reads none that the README names). */
function envVarsRead() {
  const names = new Set();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(js|ts)$/.test(entry.name)) for (const m of fs.readFileSync(p, 'utf8').matchAll(/process\.env\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1]);
    }
  };
  for (const dir of ['src', 'scripts', 'test', 'bench']) walk(path.join(ROOT, dir));
  return names;
}
