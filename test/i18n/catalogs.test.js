// Every node's catalog and help exist in every language with the same keys, placeholders and help structure as
// en-US, and every key the code uses exists in en-US. Node-RED falls back to en-US for a missing key, so a missing
// translation shows up as English in a German editor: only a test like this one notices.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
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

  it('finds key uses in src/nodes and nodes/*.html', () => {
    // Guards the extraction itself: a regex that stopped matching would make the next test pass vacuously.
    const inSrc = uses.filter((u) => u.file.startsWith('src')).length;
    const inEditor = uses.filter((u) => u.file.startsWith('nodes')).length;
    assert.ok(inSrc >= 20 && inEditor >= 50, `found ${inSrc} uses in src/nodes, ${inEditor} in nodes/*.html`);
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
