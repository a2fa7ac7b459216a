// What a browser gets from a real Node-RED for its language: the editor asks for the node catalogs with
// `nodes/messages?lng=<navigator.language>` and for the help with `Accept-Language: <navigator.language>`.
// A regional tag (cs-CZ, de-DE, fr-CA) falls back to our base-language folder, even for `cs`, which Node-RED's
// own editor does not ship. For a language we do not have the catalog comes back empty and the editor uses the
// en-US one, which it always loads as its fallback language.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { LEGS } = require('../e2e/lib/env');
const { request } = require('../e2e/lib/net');
const { startNodeRed } = require('../e2e/lib/node-red');
const files = require('./catalog-files');

const NS = `${files.MODULE}/prusalink-status`;
// A browser language, and the folder whose texts it must get.
const CASES = [
  ['cs-CZ', 'cs'],
  ['cs', 'cs'],
  ['de-DE', 'de'],
  ['fr-CA', 'fr'],
  ['en-US', 'en-US'],
  ['ja', null],
];

// Expectations come from the built package, which is what Node-RED serves.
const DIST_LOCALES = path.join(files.ROOT, 'dist', 'nodes', 'locales');

function expected(folder) {
  const catalog = JSON.parse(fs.readFileSync(path.join(DIST_LOCALES, folder, 'prusalink-status.json'), 'utf8'));
  return catalog['prusalink-status'].label.outputChange;
}

/** The first paragraph of a help file: prose that only that language's help contains. */
function helpLead(folder) {
  const html = fs.readFileSync(path.join(DIST_LOCALES, folder, 'prusalink-status.html'), 'utf8');
  return /<p>([\s\S]*?)<\/p>/.exec(html)[1].split('<')[0].trim();
}

describe('a real Node-RED serves our catalogs and help by browser language', () => {
  let nr;
  let userDir;

  before(async () => {
    assert.ok(fs.existsSync(path.join(DIST_LOCALES, 'cs')), 'dist/ is built with the locales');
    // The package is linked into the user dir as an installed module; its own dependencies resolve from the repository.
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-i18n-'));
    fs.mkdirSync(path.join(userDir, 'node_modules', '@makerflows'), { recursive: true });
    fs.symlinkSync(files.ROOT, path.join(userDir, 'node_modules', files.MODULE), 'dir');
    fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true }));
    nr = await startNodeRed({ leg: LEGS.nr4, userDir });
  });

  after(async () => {
    if (nr) await nr.stop();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('the languages differ in the texts checked, so a fallback cannot pass for a translation', () => {
    const folders = ['cs', 'de', 'fr', 'en-US'];
    assert.equal(new Set(folders.map(expected)).size, folders.length);
    assert.equal(new Set(folders.map(helpLead)).size, folders.length);
  });

  for (const [lng, folder] of CASES) {
    it(`${lng}: editor labels from ${folder || 'the en-US fallback'}`, async () => {
      const res = await request(`${nr.url}/nodes/messages?lng=${lng}`, { headers: { Accept: 'application/json' } });
      assert.equal(res.status, 200);
      const catalog = res.json()[NS];
      assert.ok(catalog, `no catalog for ${NS}; namespaces: ${Object.keys(res.json()).join(', ')}`);
      if (folder) assert.equal(catalog['prusalink-status'].label.outputChange, expected(folder));
      else assert.deepEqual(catalog, {});
    });

    it(`${lng}: help from ${folder || 'en-US'}`, async () => {
      const res = await request(`${nr.url}/nodes`, { headers: { Accept: 'text/html', 'Accept-Language': lng } });
      assert.equal(res.status, 200);
      assert.match(res.text, /data-help-name="prusalink-status"/);
      const want = folder || files.DEFAULT_LANG;
      assert.ok(res.text.includes(helpLead(want)), `the ${want} help of prusalink-status is served for ${lng}`);
    });
  }
});
