'use strict';
// The error code the help promises for a refusal is the one a Catch node gets (issue 13.8: the job and print help
// named PRINTER_BUSY, the nodes fail with NOT_READY). The situation is made on the simulator, the code read from the
// Catch node, and the help's sentence about that situation must name it; the other languages name the same <code>
// spans (test/i18n).
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./flow-helpers');

const help = (type) => fs.readFileSync(path.join(__dirname, '..', '..', 'nodes', 'locales', 'en-US', `${type}.html`), 'utf8');
/** The codes named in the help's sentence that contains `phrase` (up to its full stop). */
function codesInSentence(html, phrase) {
  const at = html.indexOf(phrase);
  assert.notEqual(at, -1, `the help still has the sentence "${phrase}"`);
  const start = Math.max(html.lastIndexOf('. ', at), html.lastIndexOf('<p>', at));
  const rest = html.slice(at).search(/[.;]\s|<\/p>/); // not the dots of msg.error.code
  const end = at + (rest === -1 ? html.length : rest);
  return [...html.slice(start, end).matchAll(/<code>([A-Z_]+)<\/code>/g)].map((m) => m[1]).filter((c) => c !== 'NO_JOB');
}

for (const family of h.FAMILIES) {
  describe(`the help's refusal codes on ${family}`, () => {
    let sim;
    beforeEach(async () => {
      sim = await h.startSimulator({ family, files: { 'box.gcode': 'G28\n' + 'G1 X1\n'.repeat(500) } });
      await h.startServer();
    });
    afterEach(async () => {
      await h.stopServer();
      await sim.stop();
    });

    it('job: resume while printing fails with the code the help names for "the wrong state"', async () => {
      const { flow, credentials } = h.flowWith(sim, [{ id: 'j1', type: 'prusalink-job', action: 'resume', wires: [[]] }]);
      await h.load(flow, credentials);
      sim.control.startPrint('box.gcode');
      const caught = h.nextMsg('caught');
      h.helper.getNode('j1').receive({});
      const err = await caught;
      h.expectCode(err, 'NOT_READY');
      assert.deepEqual(codesInSentence(help('prusalink-job'), 'in the wrong state'), ['NOT_READY']);
    });

    it('print: a printer that is printing fails with the code the help names', async () => {
      const { flow, credentials } = h.flowWith(sim, [{ id: 'pr', type: 'prusalink-print', path: 'box.gcode', wires: [[]] }]);
      await h.load(flow, credentials);
      sim.control.startPrint('box.gcode');
      const caught = h.nextMsg('caught');
      h.helper.getNode('pr').receive({});
      const err = await caught;
      h.expectCode(err, 'NOT_READY');
      assert.deepEqual(codesInSentence(help('prusalink-print'), 'A printer that is printing'), ['NOT_READY']);
    });
  });
}
