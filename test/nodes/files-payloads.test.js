'use strict';
// What the files node's entries carry is what its help promises (issue 13.8): Buddy folder listings have no size
// (facts document §4.6: "Children: folders and printable files only ... NO size"), the other families have it.
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./flow-helpers');

const CONTENT = 'G28\nG1 X5\n'; // 10 bytes

for (const family of h.FAMILIES) {
  describe(`files node entries on ${family}`, () => {
    let sim;
    beforeEach(async () => {
      sim = await h.startSimulator({ family, files: { 'part.gcode': CONTENT } });
      await h.startServer();
    });
    afterEach(async () => {
      await h.stopServer();
      await sim.stop();
    });

    async function run(mode, path) {
      const { flow, credentials } = h.flowWith(sim, [
        { id: 'fi', type: 'prusalink-files', mode, path, recursive: false, wires: [['out']] },
        { id: 'out', type: 'helper', z: 'f1' },
      ]);
      await h.load(flow, credentials);
      const got = h.nextMsg('out');
      h.helper.getNode('fi').receive({});
      const msg = await got;
      await h.helper.unload();
      return msg.payload;
    }

    it(family === 'buddy' ? 'a listed file has no size; info on it has the exact size' : 'a listed file and info on it have the exact size', async () => {
      const [entry] = await run('list', '');
      assert.equal(entry.display_name, 'part.gcode');
      if (family === 'buddy') assert.equal('size' in entry, false, JSON.stringify(entry));
      else assert.equal(entry.size, Buffer.byteLength(CONTENT));
      const info = await run('info', 'part.gcode');
      assert.equal(info.size, Buffer.byteLength(CONTENT));
    });
  });
}

describe('the files help says so', () => {
  it('en-US: Buddy list entries have no size, info gives it', () => {
    const html = fs.readFileSync(path.join(__dirname, '..', '..', 'nodes', 'locales', 'en-US', 'prusalink-files.html'), 'utf8');
    assert.match(html, /A Buddy printer \([^)]*\) sends no <code>size<\/code> in a folder listing, so its list entries have none: <em>describe one file<\/em> gives it\./);
  });
});
