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
  return m[1].replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
}

describe('help for MINI 4.4.1 users', () => {
  // The sentences a MINI 4.4.1 user needs, each in the help of the node that meets the limit. Exact sentences, so a
  // rewording that drops the limit (or a code) shows up here; reword both together.
  const cases = {
    'prusalink-status': [
      'During a filament change this firmware reports an idle printer with every temperature at 0 although the print is under way.',
      'The node recognises that pattern while a job is known and reports ATTENTION with reason: "filament change" (event attention, once), leaves the false temperatures out, and reports printing again once the printer sends real readings.',
      "It never shows FINISHED: the end of a print comes as finished or stopped from the job's progress.",
    ],
    'prusalink-files': [
      'It lists printable files of one folder only and no folders, so msg.foldersListed is false and a recursive list finds nothing more.',
      'A folder missing from the list may still exist on the USB stick: check msg.foldersListed before treating a list as complete.',
      'Files have 8.3 names (DEBOUN~1.GCO in name and path); the long name is in display_name.',
      'info on a folder, or on a file inside one, fails with UNSUPPORTED ("MINI 4.4.1 cannot list or delete folders") before any request.',
    ],
    'prusalink-upload': [
      'It cannot store into a sub-folder: the upload fails with UNSUPPORTED and a message saying so before any byte is sent, unless upload to the root is ticked, when the file goes to the root of the USB stick with a warning (node.warn and msg.payload.warning).',
      'It cannot replace a file either: an existing name fails with FILE_EXISTS even with replace ticked; delete the old file first with the rm node.',
    ],
    'prusalink-print': [
      'It starts a print only from its main screen.',
      'Otherwise the printer answers "Can\'t start print now" and the error is NOT_READY, with a message telling you to return the printer to its main screen (close any menu or dialog on its display) and send again.',
      'Its files have 8.3 names (DEBOUN~1.GCO); the node takes either the 8.3 name or the long name, and the job shows the long name in display_name.',
    ],
    'prusalink-rm': [
      'It lists no folders, so every file in a folder on the root deletes the files it can see and leaves folders alone.',
      'Files have 8.3 names (DEBOUN~1.GCO); a path may use the 8.3 name or the long name.',
      'It cannot delete folders: a folder and what it holds, and every file in a folder on a folder below the root, fail with UNSUPPORTED before any request.',
    ],
  };
  for (const [type, sentences] of Object.entries(cases)) {
    it(`${type} names its limits`, () => {
      const text = miniSection(type);
      const missing = sentences.filter((sentence) => !text.includes(sentence));
      assert.deepEqual(missing, [], `sentences missing from the MINI section of ${type}: ${text}`);
    });
  }
});
