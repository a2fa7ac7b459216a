'use strict';
// Issue 9: the nodes' help must name the limits a MINI 4.4.1 user meets, each in the help of the node that meets it.
// Read from dist/, the files Node-RED serves to the editor.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const HELP = path.join(__dirname, '../../dist/nodes/locales/en-US');

/** The text of a node's "MINI on firmware 4.4.1" section, tags removed. */
function miniSection(type) {
  const html = fs.readFileSync(path.join(HELP, `${type}.html`), 'utf8');
  const m = html.match(/<h4>MINI on firmware 4\.4\.1<\/h4>([\s\S]*?)(?=<h3>|<h4>|<\/script>)/);
  assert.ok(m, `${type} help has a "MINI on firmware 4.4.1" section`);
  return m[1].replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
}

describe('help for MINI 4.4.1 users', () => {
  const cases = {
    'prusalink-status': [/filament change/, /ATTENTION/, /attention/, /left out|leaves .* out/, /printing/],
    'prusalink-files': [/foldersListed/, /false/, /8\.3/, /display_name/],
    'prusalink-upload': [/sub-folder/, /UNSUPPORTED/, /before any byte/, /upload to the root/, /warning/, /FILE_EXISTS/],
    'prusalink-print': [/main screen/, /NOT_READY/, /Can't start print now/, /8\.3/, /long name/],
    'prusalink-rm': [/8\.3/, /long name/, /folders/],
  };
  for (const [type, patterns] of Object.entries(cases)) {
    it(`${type} names its limits`, () => {
      const text = miniSection(type);
      for (const p of patterns) assert.match(text, p);
    });
  }
});
