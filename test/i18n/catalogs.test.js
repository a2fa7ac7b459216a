// Every node's catalog and help exist in every language with the same keys, placeholders and help structure as
// en-US, and every key the code uses exists in en-US. Node-RED falls back to en-US for a missing key, so a missing
// translation shows up as English in a German editor: only a test like this one notices.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const files = require('./catalog-files');
const { usedKeys } = require('./used-keys');

const { ROOT, DEFAULT_LANG, TRANSLATIONS, TYPES, MODULE } = files;

function rel(p) {
  return path.relative(ROOT, p);
}

/** Elements whose count differs, e.g. `p: en-US 7, de 6` (a paragraph or section not translated yet). */
function tagDiff(en, tr, lang) {
  return [...new Set([...Object.keys(en), ...Object.keys(tr)])]
    .filter((t) => (en[t] || 0) !== (tr[t] || 0))
    .map((t) => `${t}: en-US ${en[t] || 0}, ${lang} ${tr[t] || 0}`);
}

describe('en-US catalogs', () => {
  for (const type of TYPES) {
    it(`${type}: json has only non-empty strings under the "${type}" root`, () => {
      const catalog = files.readCatalog(DEFAULT_LANG, type);
      assert.deepEqual(Object.keys(catalog), [type], 'the catalog has one root key, the node type');
      const bad = [...files.flatten(catalog)].filter(([, v]) => typeof v !== 'string' || v.trim() === '');
      assert.deepEqual(bad.map(([k]) => k), [], 'keys whose value is not a non-empty string');
    });
    it(`${type}: help is wrapped for ${type}`, () => {
      assert.deepEqual(files.helpNames(files.readHelp(DEFAULT_LANG, type)), [type]);
    });
  }
});

for (const lang of TRANSLATIONS) {
  describe(`${lang} catalogs match en-US`, () => {
    for (const type of TYPES) {
      it(`${type}.json: same keys, same placeholders, no empty text`, () => {
        const file = files.catalogPath(lang, type, 'json');
        assert.ok(fs.existsSync(file), `${rel(file)} is missing`);
        const en = files.flatten(files.readCatalog(DEFAULT_LANG, type));
        const tr = files.flatten(files.readCatalog(lang, type));
        // One comparison for all problems, so a failure lists every one of them by key.
        const problems = {
          missing: [...en.keys()].filter((k) => !tr.has(k)),
          extra: [...tr.keys()].filter((k) => !en.has(k)),
          placeholders: [...en.keys()]
            .filter((k) => tr.has(k) && files.placeholders(en.get(k)).join() !== files.placeholders(tr.get(k)).join())
            .map((k) => `${k}: en-US [${files.placeholders(en.get(k))}], ${lang} [${files.placeholders(tr.get(k))}]`),
          empty: [...tr].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k),
        };
        assert.deepEqual(problems, { missing: [], extra: [], placeholders: [], empty: [] }, `${rel(file)} differs from en-US`);
      });

      it(`${type}.html: same wrapper, <dt> names, <code> spans and elements`, () => {
        const file = files.catalogPath(lang, type, 'html');
        assert.ok(fs.existsSync(file), `${rel(file)} is missing`);
        const en = files.readHelp(DEFAULT_LANG, type);
        const tr = files.readHelp(lang, type);
        const problems = {
          helpNames: files.helpNames(tr),
          closed: /<\/script>$/.test(tr.trim()),
          dtMissing: files.missingFrom(files.dtNames(en), files.dtNames(tr)),
          dtExtra: files.missingFrom(files.dtNames(tr), files.dtNames(en)),
          codeMissing: files.missingFrom(files.codeSpans(en), files.codeSpans(tr)),
          codeExtra: files.missingFrom(files.codeSpans(tr), files.codeSpans(en)),
          tags: tagDiff(files.tagCounts(en), files.tagCounts(tr), lang),
        };
        const clean = { helpNames: [type], closed: true, dtMissing: [], dtExtra: [], codeMissing: [], codeExtra: [], tags: [] };
        assert.deepEqual(problems, clean, `${rel(file)}: needs one <script type="text/html" data-help-name="${type}">, and the <dt> names, <code> spans and elements of en-US`);
        assert.deepEqual(files.dtNames(tr), files.dtNames(en), `${rel(file)}: <dt> entries in the order of en-US`);
      });
    }
  });
}

describe('keys used in the code exist in en-US', () => {
  const uses = usedKeys();
  const catalogs = new Map(TYPES.map((t) => [`${MODULE}/${t}`, files.flatten(files.readCatalog(DEFAULT_LANG, t))]));

  it('finds every form of key use in a hand-made tree, exactly', () => {
    // Guards the extraction itself: a regex that stopped matching would make the next test pass vacuously.
    const fixture = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-i18n-'));
    try {
      const write = (rel, text) => {
        fs.mkdirSync(path.dirname(path.join(fixture, rel)), { recursive: true });
        fs.writeFileSync(path.join(fixture, rel), text);
      };
      write('src/nodes/i18n.ts', "export const PRINTER_NS = 'mod/prusalink-printer:prusalink-printer.';\n");
      write(
        'src/nodes/prusalink-status.ts',
        [
          "node.status({ text: RED._('prusalink-status.status.polling') });",
          "RED._('prusalink-status.state.' + key, { x: ')' });",
          "sharedText(RED, 'errors.noPrinter');",
          "RED._('other/ns:other.key');",
          'RED._(`prusalink-status.${dynamic}`);',
        ].join('\n'),
      );
      write('src/nodes/shared-helper.ts', "RED._('helper.key');\n");
      write(
        'nodes/prusalink-job.html',
        [
          '<label data-i18n="prusalink-job.label.action"></label>',
          '<input data-i18n="[placeholder]prusalink-job.placeholder.path;[title]prusalink-job.label.path">',
          "label: function () { return this._('prusalink-job.label.name'); },",
          "var ns = 'mod/prusalink-job:prusalink-job.picker.';",
          "RED._(ns + 'loading'); RED._('editor:common.label.name'); node._('prusalink-job.label.node');",
        ].join('\n'),
      );
      const JOB = `${MODULE}/prusalink-job`;
      assert.deepEqual(usedKeys(fixture), [
        { file: 'src/nodes/prusalink-status.ts', line: 1, prefix: false, ns: `${MODULE}/prusalink-status`, key: 'prusalink-status.status.polling' },
        { file: 'src/nodes/prusalink-status.ts', line: 2, prefix: true, ns: `${MODULE}/prusalink-status`, key: 'prusalink-status.state.' },
        { file: 'src/nodes/prusalink-status.ts', line: 4, prefix: false, ns: 'other/ns', key: 'other.key' },
        { file: 'src/nodes/prusalink-status.ts', line: 3, prefix: false, ns: 'mod/prusalink-printer', key: 'prusalink-printer.errors.noPrinter' },
        { file: 'src/nodes/shared-helper.ts', line: 1, prefix: false, ns: null, key: 'helper.key' },
        { file: 'nodes/prusalink-job.html', line: 1, prefix: false, ns: JOB, key: 'prusalink-job.label.action' },
        { file: 'nodes/prusalink-job.html', line: 2, prefix: false, ns: JOB, key: 'prusalink-job.placeholder.path' },
        { file: 'nodes/prusalink-job.html', line: 2, prefix: false, ns: JOB, key: 'prusalink-job.label.path' },
        { file: 'nodes/prusalink-job.html', line: 3, prefix: false, ns: JOB, key: 'prusalink-job.label.name' },
        { file: 'nodes/prusalink-job.html', line: 5, prefix: false, ns: 'mod/prusalink-job', key: 'prusalink-job.picker.loading' },
        { file: 'nodes/prusalink-job.html', line: 5, prefix: false, ns: 'editor', key: 'common.label.name' },
        { file: 'nodes/prusalink-job.html', line: 5, prefix: false, ns: JOB, key: 'prusalink-job.label.node' },
      ]);
    } finally {
      fs.rmSync(fixture, { recursive: true, force: true });
    }
  });

  it('finds key uses in every file of src/nodes, nodes/*.html and resources/*.js that has one', () => {
    // The files a plain text search names (a translation call or a data-i18n attribute with a quoted key) are
    // exactly the files the extraction found uses in: none is missed, none invented.
    const grepped = [];
    for (const [dir, call] of [
      ['src/nodes', /(?:RED\._|sharedText)\(\s*(?:RED,\s*)?['"`][\w@/:.-]+\./],
      ['nodes', /data-i18n="[^"]+"|\b(?:this|node|RED)\._\(/],
      ['resources', /\b(?:this|node|RED)\._\(/],
    ]) {
      for (const name of fs.readdirSync(path.join(files.ROOT, dir)).sort()) {
        const file = path.join(files.ROOT, dir, name);
        if (fs.statSync(file).isFile() && /\.(ts|html|js)$/.test(name) && call.test(fs.readFileSync(file, 'utf8'))) grepped.push(`${dir}/${name}`);
      }
    }
    assert.deepEqual([...new Set(uses.map((u) => u.file))].sort(), grepped.sort());
  });

  it('every used key (or key prefix) resolves in its namespace', () => {
    const failures = [];
    for (const u of uses) {
      const where = `${u.file}:${u.line}`;
      if (u.ns === 'node-red' || u.ns === 'editor') continue; // core catalogs
      if (u.ns === null) {
        failures.push(`${where}: "${u.key}" has no namespace in a shared helper`);
        continue;
      }
      const catalog = catalogs.get(u.ns);
      if (!catalog) {
        failures.push(`${where}: unknown namespace "${u.ns}" for "${u.key}"`);
      } else if (u.prefix) {
        if (![...catalog.keys()].some((k) => k.startsWith(u.key))) failures.push(`${where}: no keys under "${u.key}"`);
      } else if (typeof catalog.get(u.key) !== 'string') {
        failures.push(`${where}: "${u.key}" is not in ${u.ns.split('/').pop()}.json`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('every printer state the client reports has a state.<name> text', () => {
    // The status dots build 'state.' + state.toLowerCase(); the states come from the client's PrinterState union.
    const types = fs.readFileSync(path.join(ROOT, 'src', 'client', 'types.ts'), 'utf8');
    const union = /type PrinterState\s*=([^;]+);/.exec(types);
    assert.ok(union, 'PrinterState found in src/client/types.ts');
    const states = [...union[1].matchAll(/'([A-Z_]+)'/g)].map((m) => m[1].toLowerCase());
    const shared = catalogs.get(`${MODULE}/prusalink-printer`);
    assert.deepEqual(states.filter((s) => !shared.has(`prusalink-printer.state.${s}`)), []);
  });

  it('every reason of the red error ring has a reason.<name> text', () => {
    const errors = fs.readFileSync(path.join(ROOT, 'src', 'nodes', 'errors.ts'), 'utf8');
    const map = /const REASONS[^=]*=\s*\{([^}]*)\}/.exec(errors);
    assert.ok(map, 'REASONS found in src/nodes/errors.ts');
    const reasons = [...map[1].matchAll(/:\s*'([\w]+)'/g)].map((m) => m[1]).concat('error');
    const shared = catalogs.get(`${MODULE}/prusalink-printer`);
    assert.deepEqual(reasons.filter((r) => !shared.has(`prusalink-printer.reason.${r}`)), []);
  });
});
