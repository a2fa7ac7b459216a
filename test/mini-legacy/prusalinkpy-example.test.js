'use strict';
// Issue 9, the seed's own example as a flow: examples/PrusaLinkPy example... does with our nodes what PrusaLinkPy's
// README does in Python (get_printer, rm, put_gcode, get_files, post_print_gcode). The shipped flow is loaded as it
// is, only its printer config node pointed at a simulator, and run on MINI 4.4.1 and on a current Buddy.
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../nodes/flow-helpers');

const EXAMPLE = path.join(__dirname, '../../examples/PrusaLinkPy example - read, clean, upload, list, print.json');
const CORE = path.dirname(require.resolve('@node-red/nodes/package.json'));
const CORE_NODES = ['common/20-inject.js', 'common/21-debug.js', 'common/90-comment.js', 'function/10-function.js', 'function/15-change.js'].map((f) =>
  require(path.join(CORE, 'core', f)),
);
const UPLOADED = 'PrusaLinkPy example.gcode';
const SEED = { 'old part.gcode': 'G28\n', 'Older part with a long name.gcode': 'G28\n', 'keep/inside.gcode': 'G28\n' };

/** The example as the editor imports it: on a tab, its printer config node aimed at `sim`, with credentials. */
function exampleFor(sim) {
  const nodes = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
  const { node: simCfg, credentials } = h.printerConfig(sim, { id: 'prusalink-demo-printer-cfg' });
  const flow = [{ id: 'tabExample', type: 'tab', label: 'example' }];
  for (const n of nodes) {
    if (n.type === 'prusalink-printer') flow.push({ ...n, host: simCfg.host, port: simCfg.port, auth: simCfg.auth });
    else flow.push({ ...n, z: 'tabExample' });
  }
  return { flow, credentials };
}

function collectAt(id) {
  const list = [];
  h.helper.getNode(id).on('input', (msg) => list.push(msg));
  return list;
}

for (const family of ['mini-legacy', 'buddy']) {
  describe(`PrusaLinkPy README example flow on ${family}`, () => {
    let sim;
    beforeEach(async () => {
      sim = await h.startSimulator({ family, files: SEED });
      await h.startServer();
    });
    afterEach(async () => {
      await h.stopServer();
      await sim.stop();
    });

    it('reads the bed temperature, empties the root, uploads, lists and prints the uploaded file', async () => {
      const { flow, credentials } = exampleFor(sim);
      await new Promise((resolve, reject) =>
        h.helper.load([...CORE_NODES, ...Object.values(h.NODES)], flow, credentials, (e) => (e ? reject(e) : resolve())),
      );
      for (const n of flow.filter((x) => x.type !== 'tab')) assert.ok(h.helper.getNode(n.id), `node ${n.id} (${n.type}) deployed`);
      const bed = collectAt('ex8bd');
      const deleted = collectAt('ex8rd');
      const listed = collectAt('ex8fd');
      const printing = collectAt('ex8pd');
      const errors = collectAt('ex8e');

      h.helper.getNode('ex8i').receive({});
      await h.waitFor(() => printing.length > 0 || errors.length > 0, 15000, 'the flow to print or fail');
      assert.deepEqual(errors.map((m) => `${m.error.source && m.error.source.name}: ${m.error.message}`), []);

      // get_printer(): the bed temperature, a real reading.
      assert.equal(bed.length, 1);
      assert.equal(typeof bed[0].bedTemperature, 'number');
      assert.ok(bed[0].bedTemperature > 0 && bed[0].bedTemperature < 150, String(bed[0].bedTemperature));

      // rm(): both files of the root went, the folder and what it holds stayed.
      assert.equal(deleted.length, 1);
      assert.equal(deleted[0].payload.deleted.length, 2, JSON.stringify(deleted[0].payload));

      // get_files(): the root holds the uploaded file, under its long name for people.
      assert.equal(listed.length, 1);
      const files = listed[0].payload.filter((e) => e.type !== 'FOLDER');
      assert.deepEqual(files.map((e) => e.display_name), [UPLOADED]);
      assert.equal(listed[0].foldersListed, family !== 'mini-legacy');
      // Both families keep an 8.3 alias beside the long name; the flow prints by the alias.
      assert.match(files[0].name, /^[A-Z0-9_]{1,6}~\d\.GCO$/);

      // post_print_gcode(): the printer prints that very file.
      assert.equal(printing.length, 1);
      assert.equal(printing[0].payload.started, true);
      assert.equal(printing[0].payload.path, files[0].path);
      assert.equal(sim.control.state, 'PRINTING');
      const start = sim.control.requests().find((r) => r.method === 'POST' && r.status === 204 && /\/files\/usb\//.test(r.path));
      assert.ok(start, 'a print was started');
      assert.equal(start.path.split('/').pop(), files[0].name);
      assert.deepEqual(sim.control.listFiles().sort(), ['keep/', 'keep/inside.gcode', UPLOADED].sort());
    });
  });
}
