// The package as users install it: `npm pack`, `npm install <tarball>` into a fresh Node-RED user dir, then a
// real Node-RED (3.1 on Node 18, 4.1 on Node 20, 5 on Node 22) loads it. Flows are deployed through the admin
// API against the printer simulator, and what they produce is read back over HTTP.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { LEGS, ensureCache, prerequisites } = require('./lib/env');
const { request, freePort } = require('./lib/net');
const { startNodeRed } = require('./lib/node-red');
const { stagePackage } = require('./lib/package');
const { recorder, probeEndpoint, resetProbe, waitForRecorded } = require('./lib/probe');
const { MODULE, ALL_TYPES, FLOW_TYPES, printerConfig, examples, localize, placeOnTab, watchTabs, ourLogProblems } = require('./lib/flows');

const skip = prerequisites([[!ensureCache(['nr3', 'nr5']), 'Node-RED 3.1/5 legs missing: node scripts/prepare-e2e.js']]);

const PASSWORD = 'e2e-Pa55word-not-in-flows';

/** Inject → prusalink-status → recorder "status", plus the probe endpoint. */
function statusFlow(sim) {
  return [
    { id: 'tabE2e', type: 'tab', label: 'e2e status' },
    printerConfig('printerE2e', sim),
    { id: 'injE2e', type: 'inject', z: 'tabE2e', name: '', props: [{ p: 'payload' }], payload: '', payloadType: 'date', repeat: '', once: false, topic: '', wires: [['stE2e']] },
    // interval 0: only on input, so the recorder sees exactly the injected msg
    { id: 'stE2e', type: 'prusalink-status', z: 'tabE2e', name: '', printer: 'printerE2e', interval: '0', output: 'poll', topic: '', wires: [['recE2e']] },
    recorder('recE2e', 'tabE2e', 'status'),
    ...probeEndpoint('tabE2e'),
  ];
}

describe('the packed package in a real Node-RED', { skip }, () => {
  let pkg;
  let mqttPort;

  before(async () => {
    pkg = stagePackage();
    // Examples that use MQTT get a broker port where nothing listens: deploying must not fail for that.
    mqttPort = await freePort();
  });
  after(() => {
    if (pkg) pkg.cleanup();
  });

  it('the tarball ships the compiled nodes, their editor files and the examples, and no sources or tests', () => {
    for (const t of ALL_TYPES) {
      assert.ok(pkg.files.includes(`dist/nodes/${t}.html`), `dist/nodes/${t}.html missing from the tarball`);
    }
    // Every editor script a node's HTML loads from the module's resources/ (the editor never finishes loading the
    // module when one is missing: it waits for the script's load event).
    for (const t of ALL_TYPES) {
      const html = fs.readFileSync(path.join(pkg.installedDir, 'dist', 'nodes', `${t}.html`), 'utf8');
      for (const [, file] of html.matchAll(/<script[^>]*\ssrc="resources\/@makerflows\/node-red-prusalink\/([^"]+)"/g)) {
        assert.ok(pkg.files.includes(`resources/${file}`), `${t}.html loads resources/${file}, missing from the tarball`);
      }
    }
    assert.ok(pkg.files.includes('resources/prusalink-file-picker.js'), 'the file picker is not in the tarball');
    assert.deepEqual(
      pkg.files.filter((f) => f.startsWith('examples/')).sort(),
      examples().map((e) => `examples/${e.name}.json`),
      'the tarball ships every example flow of examples/, and nothing else there',
    );
    const stray = pkg.files.filter((f) => /^(src|test|bench|scripts|\.cache|\.ci|node_modules)\//.test(f));
    assert.deepEqual(stray, []);
  });

  it("the installed package's map: the client at the package name talks to the simulator at /sim; dist/ is not public", async () => {
    const installed = (id) => path.relative(pkg.installedDir, pkg.requireInstalled.resolve(id));
    assert.equal(installed(MODULE), path.join('dist', 'index.js'));
    assert.equal(installed(`${MODULE}/sim`), path.join('dist', 'sim', 'index.js'));
    assert.equal(installed(`${MODULE}/sync`), path.join('dist', 'sync', 'index.js'));
    assert.equal(installed(`${MODULE}/metadata`), path.join('dist', 'metadata', 'index.js'));
    assert.throws(() => pkg.requireInstalled(`${MODULE}/dist/client/auth.js`), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
    const { PrusaLinkClient } = pkg.requireInstalled(MODULE);
    const { startSimulator, makeSampleGcode } = pkg.requireInstalled(`${MODULE}/sim`);
    const printer = await startSimulator({ family: 'buddy', password: PASSWORD });
    const client = new PrusaLinkClient({ host: printer.url, password: PASSWORD });
    try {
      await client.upload({ buffer: makeSampleGcode({ name: 'packed' }) }, 'packed.gcode');
      const listing = await client.list('/usb');
      assert.deepEqual(listing.entries.map((e) => e.display_name), ['packed.gcode']);
    } finally {
      client.close();
      await printer.stop();
    }
  });

  for (const leg of [LEGS.nr3, LEGS.nr4, LEGS.nr5]) {
    describe(leg.label, () => {
      let nr;
      let sim;
      before(async () => {
        // A printer of its own per Node-RED: examples may start prints that would leave the next one busy.
        const { startSimulator } = pkg.requireInstalled(`${MODULE}/sim`);
        sim = await startSimulator({ family: 'buddy', password: PASSWORD });
        nr = await startNodeRed({ leg, userDir: pkg.makeUserDir() });
      });
      after(async () => {
        if (nr) await nr.stop();
        if (sim) await sim.stop();
      });

      it('GET /nodes lists every prusalink type, enabled and without error', async () => {
        const sets = (await nr.nodes()).filter((s) => s.module === MODULE);
        assert.ok(sets.length > 0, `module not loaded:\n${nr.log()}`);
        for (const s of sets) {
          assert.equal(s.err, undefined, `${s.id}: ${s.err}`);
          assert.equal(s.enabled, true, `${s.id} disabled`);
        }
        // Exactly our types, each once: none missing, none registered twice.
        assert.deepEqual(sets.flatMap((s) => s.types).sort(), [...ALL_TYPES].sort());
      });

      it('a deployed status flow reads the simulated printer, and no secret reaches flows.json', async () => {
        sim.control.clearRequests();
        await nr.deploy(statusFlow(sim));
        await nr.inject('injE2e');
        const [msg] = await waitForRecorded(nr, 'status');
        assert.equal(msg.payload.state, sim.control.state);
        assert.equal(typeof msg.payload.printer.temp_nozzle, 'number');
        assert.ok(sim.control.requests().some((r) => r.auth === 'digest' && r.authOk), 'no authenticated request reached the printer');

        const { flows } = await nr.flows();
        const cfg = flows.find((n) => n.id === 'printerE2e');
        assert.equal(cfg.credentials, undefined, 'GET /flows must not return credentials');
        const creds = (await request(`${nr.url}/credentials/prusalink-printer/printerE2e`)).json();
        assert.equal(creds.has_password, true);
        assert.equal(creds.password, undefined);
        for (const f of fs.readdirSync(nr.userDir).filter((n) => /^flows.*\.json$/.test(n))) {
          const text = fs.readFileSync(path.join(nr.userDir, f), 'utf8');
          assert.ok(!text.includes(PASSWORD), `${f} holds the password in clear`);
        }
        assert.deepEqual(ourLogProblems(nr.log()), []);
      });

      it('lists every example, and each one (but the Dashboard 2.0 one) deploys and runs without an error from our nodes', async () => {
        const base = `${nr.url}/library/examples/flows/${MODULE}`;
        const listed = (await request(base)).json().map((e) => e.fn);
        const shipped = examples().map((e) => e.name);
        assert.ok(shipped.length > 0, 'examples/ is empty');
        assert.deepEqual([...listed].sort(), [...shipped].sort());
        for (const name of listed) {
          const res = await request(`${base}/${encodeURIComponent(name)}`);
          assert.equal(res.status, 200, `example ${name}: ${res.status}`);
          // A Dashboard 2.0 example needs @flowfuse/node-red-dashboard, which a bare install does not have (Node-RED
          // would wait for its types): dashboard-browser.test.js deploys it from the packed package, with Dashboard.
          if (res.json().some((n) => /^ui-/.test(n.type))) continue;
          const flows = watchTabs(placeOnTab(localize(res.json(), { sim, mqttPort }), 'tabExample', name));
          const all = [...flows, { id: 'tabProbe', type: 'tab', label: 'probe' }, ...probeEndpoint('tabProbe')];
          const logBefore = nr.log().length;
          await nr.deploy(all);
          const { flows: back } = await nr.flows();
          for (const n of flows) assert.ok(back.some((b) => b.id === n.id), `${name}: node ${n.id} (${n.type}) not deployed`);
          // Let injects that fire on deploy and the first polls run, then look at every status and error.
          await new Promise((r) => setTimeout(r, 2000));
          const probe = await resetProbe(nr);
          const errors = Object.entries(probe)
            .filter(([k]) => k.startsWith('catch:'))
            .flatMap(([, msgs]) => msgs)
            .filter((m) => m.error && m.error.source && /^prusalink-/.test(m.error.source.type || ''));
          assert.deepEqual(errors.map((m) => m.error.message), [], `${name}: our nodes reported errors`);
          const red = Object.entries(probe)
            .filter(([k]) => k.startsWith('status:'))
            .flatMap(([, msgs]) => msgs)
            .filter((m) => m.status && m.status.fill === 'red' && FLOW_TYPES.includes(m.status.source && m.status.source.type));
          assert.deepEqual(red.map((m) => `${m.status.source.type}: ${m.status.text}`), [], `${name}: red status`);
          assert.deepEqual(ourLogProblems(nr.log().slice(logBefore)), [], `${name}: errors in the log`);
        }
      });
    });
  }
});
