// The editor side in a real browser: headless Chromium (Debian's, driven by playwright-core) opens the editor
// of a real Node-RED with the packed package installed, on each supported Node-RED version. Every node type
// registers with its palette entry, dialog and help; the config dialog hides secrets and its "Test connection"
// button answers against the printer simulator; a flow built in the editor deploys and runs.
// Screenshots go to test-artifacts/; `npm run screenshots` refreshes docs/images/ (used by the README).
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { root, artifactsDir, LEGS, ensureCache, prerequisites } = require('./lib/env');
const { request, waitFor } = require('./lib/net');
const { startNodeRed } = require('./lib/node-red');
const { stagePackage } = require('./lib/package');
const { recorder, probeEndpoint, waitForRecorded } = require('./lib/probe');
const { MODULE, CONFIG_TYPE, FLOW_TYPES, ALL_TYPES, printerConfig } = require('./lib/flows');

const CHROMIUM = '/usr/bin/chromium';
let playwright = null;
try {
  playwright = require('playwright-core');
} catch {
  // reported by prerequisites below
}

const skip = prerequisites([
  [fs.existsSync(CHROMIUM), 'chromium not installed: apt-get install chromium'],
  [playwright, 'playwright-core not installed: npm ci'],
  [!ensureCache(['nr3', 'nr5']), 'Node-RED 3.1/5 legs missing: node scripts/prepare-e2e.js'],
]);

const PASSWORD = 'editor-e2e-Secret';
/** The printer's files, for the path fields' picker: a folder with a long name and a file at the top. */
const PICKER_FILES = {
  'top level file.gcode': 'G28\n',
  'A folder with a long name/Long bracket name.gcode': 'G28\n',
};
const DOC_IMAGES = { palette: 'editor-palette.png', config: 'editor-config-dialog.png' };

function launchArgs() {
  const args = ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'];
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  return args;
}

/** Problems the page reported: uncaught exceptions and console errors. */
function watchPage(page) {
  const problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  return problems;
}

async function saveScreenshot(locatorOrPage, leg, name, options = {}) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${leg.id}-${DOC_IMAGES[name]}`);
  await locatorOrPage.screenshot({ ...options, path: file });
  // docs/images/ is tracked: only `npm run screenshots` (UPDATE_DOCS_IMAGES=1) may refresh it, never a test run.
  const doc = path.join(root, 'docs', 'images', DOC_IMAGES[name]);
  if (leg.id === 'nr4' && process.env.UPDATE_DOCS_IMAGES) {
    fs.mkdirSync(path.dirname(doc), { recursive: true });
    fs.copyFileSync(file, doc);
  }
}

/** Clicks "Test connection" in the open config dialog; resolves with the endpoint's answer and the text shown. */
async function testConnection(page) {
  const answer = page.waitForResponse((r) => r.url().endsWith('/prusalink-printer/test') && r.request().method() === 'POST');
  await page.click('#prusalink-printer-test');
  const body = await (await answer).json();
  const result = page.locator('#prusalink-printer-test-result');
  await waitFor(async () => {
    const t = (await result.textContent()) || '';
    return t && !/…|\.\.\./.test(t);
  }, { what: 'the test result text' });
  return { body, text: (await result.textContent()) || '' };
}

/**
 * Opens the edit dialog of the deployed node `id`, clicks into its empty path field and waits for the picker's menu.
 * Resolves with the labels it offers ([] when no menu comes), then closes the dialog.
 */
async function pickerLabels(page, id) {
  await page.evaluate((id) => RED.editor.edit(RED.nodes.node(id)), id);
  await page.waitForSelector('#node-dialog-cancel', { state: 'visible' });
  try {
    // A click (not a bare focus) waits until the tray has slid in; a focus during the slide is lost with it.
    await page.click('#node-input-path');
    const items = page.locator('.red-ui-tray .ui-autocomplete li.ui-menu-item');
    // No menu in 10 s: nothing offered, which the caller's assertion reports against what it expected.
    await items.first().waitFor({ state: 'visible', timeout: 10000 }).catch(() => {});
    return (await items.allTextContents()).map((t) => t.trim());
  } finally {
    await page.click('#node-dialog-cancel');
    await page.waitForSelector('#node-dialog-cancel', { state: 'hidden' });
  }
}

/**
 * Runs in the page: window.e2eAddNodes(nodes) adds nodes to the open tab the way a drop from the palette
 * does, with the type's defaults filled in, and without the "Imported" notification (it covers the dialog
 * buttons on Node-RED 5; Node-RED 3.1 has no such option and ignores it).
 */
function defineAddNodes() {
  window.e2eAddNodes = (nodes) => {
    const z = RED.workspaces.active();
    const full = nodes.map((n) => {
      const def = RED.nodes.getType(n.type) || {};
      const defaults = {};
      for (const [k, d] of Object.entries(def.defaults || {})) defaults[k] = d.value;
      const wires = n.wires || Array.from({ length: def.outputs || 0 }, () => []);
      return { ...defaults, ...n, z, wires };
    });
    RED.view.importNodes(full, { notify: false });
  };
}

describe('the editor in headless Chromium', { skip }, () => {
  let pkg;
  let browser;

  before(async () => {
    pkg = stagePackage();
    browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: launchArgs() });
  });
  after(async () => {
    if (browser) await browser.close();
    if (pkg) pkg.cleanup();
  });

  for (const leg of [LEGS.nr3, LEGS.nr4, LEGS.nr5]) {
    describe(leg.label, () => {
      let sim;
      let nr;
      let context;
      let page;
      let problems;

      before(async () => {
        const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
        sim = await startSimulator({ family: 'buddy', password: PASSWORD, files: PICKER_FILES });
        nr = await startNodeRed({ leg, userDir: pkg.makeUserDir() });
        context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
        page = await context.newPage();
        problems = watchPage(page);
        await page.goto(nr.url);
        await page.waitForSelector('.red-ui-palette-node[data-palette-type="inject"]', { timeout: 60000 });
        await page.evaluate(defineAddNodes);
      });
      after(async () => {
        if (context) await context.close();
        if (nr) await nr.stop();
        if (sim) await sim.stop();
      });

      it('every type registers, with its template, help and (flow nodes) a palette entry under PrusaLink', async () => {
        const found = await page.evaluate(
          ({ types, module }) =>
            types.map((t) => {
              const def = RED.nodes.getType(t);
              const entry = $(`.red-ui-palette-node[data-palette-type="${t}"]`);
              return {
                type: t,
                registered: Boolean(def),
                category: def && def.category,
                inputs: def && def.inputs,
                outputs: def && def.outputs,
                credentials: def && def.credentials ? Object.fromEntries(Object.entries(def.credentials).map(([k, v]) => [k, v.type])) : null,
                template: $(`script[data-template-name="${t}"]`).length,
                help: (RED.nodes.getNodeHelp(t) || '').trim().length,
                paletteEntries: entry.length,
                paletteCategory: entry.closest('.red-ui-palette-category').data('category') || null,
                catalogue: RED._(`${module}/prusalink-printer:prusalink-printer.label.test`),
              };
            }),
          { types: ALL_TYPES, module: MODULE },
        );
        for (const f of found) {
          assert.ok(f.registered, `${f.type} not registered in the editor`);
          assert.equal(f.template, 1, `${f.type}: no edit template`);
          assert.ok(f.help > 0, `${f.type}: no help text`);
          if (f.type === CONFIG_TYPE) {
            assert.equal(f.category, 'config');
            assert.deepEqual(f.credentials, { apiKey: 'password', user: 'text', password: 'password' });
          } else {
            assert.equal(f.category, 'PrusaLink', f.type);
            assert.equal(f.paletteEntries, 1, `${f.type}: no palette entry`);
            assert.equal(f.paletteCategory, 'PrusaLink', `${f.type}: palette entry outside PrusaLink`);
            assert.equal(f.inputs, 1, `${f.type}: inputs`);
            // Each flow node has one output: its help text lists one (no <ol class="node-ports">, conventions doc);
            // the queue has two (the queue, its events), and its help lists both in an <ol class="node-ports">.
            assert.equal(f.outputs, f.type === 'prusalink-queue' ? 2 : 1, `${f.type}: outputs`);
          }
          assert.notEqual(f.catalogue, 'prusalink-printer.label.test', 'the printer catalogue is not loaded');
        }
        // The palette filtered to the package, as a user sees it after typing in the palette's search box.
        const search = page.locator('#red-ui-palette-search input');
        await search.pressSequentially('prusalink');
        await page.locator('.red-ui-palette-node[data-palette-type="inject"]').waitFor({ state: 'hidden' });
        const clip = await page.evaluate(() => {
          const a = $('#red-ui-palette-search')[0].getBoundingClientRect();
          const b = $('.red-ui-palette-node[data-palette-type="prusalink-status"]').closest('.red-ui-palette-category')[0].getBoundingClientRect();
          const x = Math.min(a.left, b.left);
          return { x, y: a.top, width: Math.max(a.right, b.right) - x, height: b.bottom - a.top + 8 };
        });
        await saveScreenshot(page, leg, 'palette', { clip });
        // Clearing the filter brings the other nodes back; Node-RED 5 may leave their categories folded, so only
        // their presence is awaited, not their visibility.
        await search.fill('');
        await page.locator('.red-ui-palette-node[data-palette-type="inject"]').waitFor({ state: 'attached' });
      });

      it("each flow node's edit dialog opens with its form", async () => {
        for (const t of FLOW_TYPES) {
          const id = `dlg${t.replace(/\W/g, '')}`;
          await page.evaluate(
            ({ id, t }) => {
              window.e2eAddNodes([{ id, type: t, x: 200, y: 100 }]);
              RED.editor.edit(RED.nodes.node(id));
            },
            { id, t },
          );
          await page.waitForSelector('#node-dialog-cancel', { state: 'visible' });
          const inputs = await page.locator('.red-ui-tray [id^="node-input-"]').count();
          assert.ok(inputs > 0, `${t}: dialog has no node-input fields`);
          await page.click('#node-dialog-cancel');
          await page.waitForSelector('#node-dialog-cancel', { state: 'hidden' });
          await page.evaluate((id) => {
            RED.nodes.remove(id);
            RED.view.redraw(true);
          }, id);
        }
      });

      it('the config dialog hides secrets, tests the connection, and a flow built in the editor deploys and runs', async () => {
        await page.evaluate(() => {
          window.e2eAddNodes([
            { id: 'edInj', type: 'inject', x: 120, y: 200, wires: [['edSt']] },
            { id: 'edSt', type: 'prusalink-status', x: 320, y: 200, name: 'from the editor', interval: '0', output: 'poll', wires: [[]] },
          ]);
          RED.editor.edit(RED.nodes.node('edSt'));
        });
        // The button that adds a config node: "+" since Node-RED 4, the pencil before.
        const addConfig = page.locator('#node-input-btn-printer-add, #node-input-lookup-printer').first();
        await addConfig.waitFor({ state: 'visible' });
        await addConfig.click();
        await page.waitForSelector('#node-config-input-host', { state: 'visible' });
        assert.equal(await page.getAttribute('#node-config-input-password', 'type'), 'password');
        assert.equal(await page.getAttribute('#node-config-input-apiKey', 'type'), 'password');

        await page.fill('#node-config-input-name', 'Simulated MK4');
        await page.fill('#node-config-input-host', sim.host);
        await page.fill('#node-config-input-port', String(sim.port));
        await page.selectOption('#node-config-input-auth', 'digest');
        await page.fill('#node-config-input-user', 'maker');

        await page.fill('#node-config-input-password', 'wrong-password');
        const bad = await testConnection(page);
        assert.equal(bad.body.ok, false);
        assert.equal(bad.body.code, 'AUTH_FAILED');
        // A short reason the dialog words itself, never the printer's own text.
        assert.equal(bad.body.reason, 'unauthorized');
        assert.equal(bad.body.message, undefined);
        assert.match(bad.text, /AUTH_FAILED/);
        assert.ok(!bad.text.includes('wrong-password'), 'the result shows the password');

        await page.fill('#node-config-input-password', PASSWORD);
        const good = await testConnection(page);
        assert.equal(good.body.ok, true, JSON.stringify(good.body));
        assert.equal(good.body.family, 'buddy');
        assert.match(good.text, /buddy/);
        assert.ok(!good.text.includes(PASSWORD), 'the result shows the password');
        await saveScreenshot(page.locator('.red-ui-tray').last(), leg, 'config');

        await page.click('#node-config-dialog-ok');
        await page.waitForSelector('#node-config-input-host', { state: 'detached' });
        await page.click('#node-dialog-ok');
        await page.waitForSelector('#node-dialog-ok', { state: 'detached' });

        // The recorder and the probe endpoint are test plumbing, added through the same editor API.
        await page.evaluate(
          ({ extra }) => {
            window.e2eAddNodes(extra.map((n) => ({ ...n, x: 520, y: 200 })));
            const st = RED.nodes.node('edSt');
            RED.nodes.addLink({ source: st, sourcePort: 0, target: RED.nodes.node('edRec') });
            RED.nodes.dirty(true);
            RED.view.redraw(true);
          },
          { extra: [recorder('edRec', 'x', 'editor'), ...probeEndpoint('x', 'edProbe')] },
        );
        const started = nr.log().split('\n').length;
        await page.click('#red-ui-header-button-deploy');
        await waitFor(() => nr.log().split('\n').slice(started).some((l) => /Started flows/.test(l)), { what: 'the deploy' });

        const { flows } = await nr.flows();
        const st = flows.find((n) => n.id === 'edSt');
        const cfg = flows.find((n) => n.type === CONFIG_TYPE && n.id === st.printer);
        assert.ok(cfg, 'the status node does not reference a deployed printer config');
        assert.equal(cfg.host, sim.host);
        assert.equal(String(cfg.port), String(sim.port));
        const creds = (await request(`${nr.url}/credentials/${CONFIG_TYPE}/${cfg.id}`)).json();
        assert.equal(creds.has_password, true);
        assert.equal(creds.password, undefined);

        await nr.inject('edInj');
        const [msg] = await waitForRecorded(nr, 'editor');
        assert.equal(msg.payload.state, sim.control.state);
        assert.deepEqual(problems, [], 'the browser reported errors');
      });

      // Last in the leg: it redeploys and disables a node set.
      it("the print node's path picker lists the printer's files, also with the files node set disabled", async () => {
        const flow = [
          { id: 'tabPick', type: 'tab', label: 'picker' },
          printerConfig('pickPrinter', sim),
          { id: 'pickPrint', type: 'prusalink-print', z: 'tabPick', name: '', printer: 'pickPrinter', path: '', x: 200, y: 100, wires: [[]] },
        ];
        await nr.deploy(flow);
        // Buddy's storage root, long names shown (folders with a slash to go on typing into), as the endpoint lists it.
        const OFFERED = ['/usb/A folder with a long name/', '/usb/top level file.gcode'];
        await page.reload();
        await page.waitForSelector('.red-ui-palette-node[data-palette-type="prusalink-print"]', { timeout: 60000 });
        assert.deepEqual(await pickerLabels(page, 'pickPrint'), OFFERED, 'with every node set enabled');

        const off = await request(`${nr.url}/nodes/${MODULE}/prusalink-files`, { method: 'PUT', body: { enabled: false } });
        assert.equal(off.status, 200, off.text);
        await page.reload();
        await page.waitForSelector('.red-ui-palette-node[data-palette-type="prusalink-print"]', { timeout: 60000 });
        assert.equal(await page.evaluate(() => Boolean(RED.nodes.getType('prusalink-files'))), false, 'the files node set is still loaded');
        assert.deepEqual(await pickerLabels(page, 'pickPrint'), OFFERED, 'with the files node set disabled');
        assert.deepEqual(problems, [], 'the browser reported errors');
      });
    });
  }

  describe('in German (Node-RED 4.1, a browser set to de-DE)', () => {
    let nr;
    let context;
    let page;
    let problems;
    const de = JSON.parse(fs.readFileSync(path.join(root, 'nodes', 'locales', 'de', 'prusalink-status.json'), 'utf8'))['prusalink-status'].label;
    const deHelp = fs.readFileSync(path.join(root, 'nodes', 'locales', 'de', 'prusalink-status.html'), 'utf8');
    /** Some words of the German help's first paragraph, before any markup. */
    const deLead = /<p>([\s\S]*?)<\/p>/.exec(deHelp)[1].split('<')[0].trim();

    before(async () => {
      nr = await startNodeRed({ leg: LEGS.nr4, userDir: pkg.makeUserDir() });
      context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'de-DE' });
      page = await context.newPage();
      problems = watchPage(page);
      await page.goto(nr.url);
      await page.waitForSelector('.red-ui-palette-node[data-palette-type="inject"]', { timeout: 60000 });
      await page.evaluate(defineAddNodes);
    });
    after(async () => {
      if (context) await context.close();
      if (nr) await nr.stop();
    });

    it("the status node's palette label, dialog labels and help are German", async () => {
      assert.equal((await page.locator('.red-ui-palette-node[data-palette-type="prusalink-status"] .red-ui-palette-label').textContent()).trim(), de.paletteLabel);
      await page.evaluate(() => {
        window.e2eAddNodes([{ id: 'deSt', type: 'prusalink-status', x: 200, y: 100 }]);
        RED.editor.edit(RED.nodes.node('deSt'));
      });
      await page.waitForSelector('#node-dialog-cancel', { state: 'visible' });
      const label = (sel) => page.locator(sel).first().textContent();
      assert.equal((await label('label[for="node-input-interval"] span')).trim(), de.interval);
      assert.equal((await label('#node-input-output option[value="change"]')).trim(), de.outputChange);
      assert.equal(await page.locator('#node-input-topic').getAttribute('placeholder'), de.topicPlaceholder);
      const help = await page.evaluate(() => RED.nodes.getNodeHelp('prusalink-status'));
      assert.ok(deLead.length > 10 && help.includes(deLead), `the help is the German one: ${help.slice(0, 200)}`);
      await page.click('#node-dialog-cancel');
      assert.deepEqual(problems, [], 'the browser reported errors');
    });
  });
});

