'use strict';
// The status node's help says, in every language, what the states cannot tell apart by firmware (issue 20, item 3):
// a 6.4+ preheat is PRINTING, a 6.5.5+ power-loss recovery is PAUSED like a pause asked for; and that the output
// names the model. Read from the catalogs in nodes/locales, no server.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const LANGS = ['en-US', 'de', 'fr', 'cs'];

for (const lang of LANGS) {
  describe(`status help (${lang})`, () => {
    const html = fs.readFileSync(path.join(__dirname, '../../nodes/locales', lang, 'prusalink-status.html'), 'utf8');
    const paragraphs = [...html.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1].replace(/\s+/g, ' '));

    it('one paragraph names the 6.4 preheat as PRINTING and the 6.5.5 power-loss recovery as PAUSED', () => {
      const hit = paragraphs.filter((p) => /\b6\.4\b/.test(p) && /\b6\.5\.5\b/.test(p) && p.includes('<code>PAUSED</code>') && p.includes('<code>PRINTING</code>'));
      assert.equal(hit.length, 1, `paragraphs: ${paragraphs.length}`);
      assert.ok(hit[0].includes('<code>paused</code>') && hit[0].includes('<code>ATTENTION</code>'), hit[0]);
    });

    it('the payload names the model (<code>model</code>, with MK4S and Core One as examples)', () => {
      const payload = /<dt>payload <span class="property-type">object<\/span><\/dt>\s*<dd>([\s\S]*?)<\/dd>/.exec(html)[1];
      for (const code of ['<code>model</code>', '<code>MK4S</code>', '<code>Core One</code>']) assert.ok(payload.includes(code), code);
    });
  });
}
