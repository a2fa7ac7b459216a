// The farm dashboard example (examples/Farm dashboard (Dashboard 2.0).json) in a real browser: headless Chromium
// (Debian's, driven by playwright-core) opens /dashboard of a real Node-RED 4.1 that has the packed package and
// @flowfuse/node-red-dashboard installed, with the example deployed against three simulated printers, one of each
// family (Buddy MK4, MINI 4.4 legacy, Raspberry Pi). What the issue asks of it: no console errors, each printer's
// state, a progress that advances during a print, a Pause that asks first and then pauses the printer, an attention
// state shown as attention, a stopped printer shown offline and back once it answers again.
// Screenshots go to test-artifacts/; `npm run screenshots` refreshes docs/images/dashboard-*.png (used by the README).
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { root, artifactsDir, LEGS, prerequisites } = require('./lib/env');
const { waitFor } = require('./lib/net');
const { startNodeRed } = require('./lib/node-red');
const { stagePackage } = require('./lib/package');
const { printerConfig, placeOnTab } = require('./lib/flows');

const CHROMIUM = '/usr/bin/chromium';
const DASHBOARD = '@flowfuse/node-red-dashboard';
const EXAMPLE = 'Farm dashboard (Dashboard 2.0).json';
let playwright = null;
let dashboardDir = null;
try {
  playwright = require('playwright-core');
  dashboardDir = path.dirname(require.resolve(`${DASHBOARD}/package.json`, { paths: [root] }));
} catch {
  // reported by prerequisites below
}

const skip = prerequisites([
  [fs.existsSync(CHROMIUM), 'chromium not installed: apt-get install chromium'],
  [playwright, 'playwright-core not installed: npm ci'],
  [dashboardDir, `${DASHBOARD} not installed: npm ci`],
]);

/** The example's printer config nodes by id, and the simulator family each one is named for. */
const PRINTERS = [
  { id: 'fd-printer-mk4', name: 'MK4', family: 'buddy', auth: 'digest' },
  { id: 'fd-printer-mini', name: 'MINI', family: 'mini-legacy', auth: 'apikey' },
  { id: 'fd-printer-pi', name: 'Pi MK3S', family: 'pi', auth: 'digest' },
];
const DOC_IMAGES = ['dashboard-farm.png', 'dashboard-confirm.png'];
/** Fast enough that a 30-minute sample print moves a few percent between the status node's 2 s polls. */
const SPEED = 30;

function launchArgs() {
  const args = ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'];
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  return args;
}

async function saveScreenshot(page, name) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, name);
  await page.screenshot({ path: file, fullPage: true });
  // docs/images/ is tracked: only `npm run screenshots` (UPDATE_DOCS_IMAGES=1) may refresh it, never a test run.
  if (process.env.UPDATE_DOCS_IMAGES) fs.copyFileSync(file, path.join(root, 'docs', 'images', name));
}

describe('the farm dashboard example in headless Chromium', { skip }, () => {
  let sim; // the simulator module, from the packed package
  const sims = {};
  let pkg;
  let nr;
  let browser;
  let page;
  const problems = [];

  async function startSim(family, port = 0) {
    const { makeSampleGcode } = sim;
    return sim.startSimulator({
      family,
      port,
      speed: SPEED,
      files: { 'Sample part.gcode': makeSampleGcode({ name: 'Sample part', printSeconds: 1800 }) },
    });
  }

  const card = (name) => page.locator(`.printer-card[data-printer="${name}"]`);
  /** An attribute of the first match, or null at once when nothing matches (a plain getAttribute waits for it). */
  const attribute = async (locator, name) => ((await locator.count()) ? locator.first().getAttribute(name) : null);
  const shownState = (name) => attribute(card(name).locator('.printer-state'), 'data-state');
  const overview = (key) => page.locator(`[data-count="${key}"] .farm-count`).textContent();
  async function waitForShown(name, state) {
    await waitFor(async () => (await shownState(name)) === state, { timeoutMs: 20000, what: `${name}'s card to show ${state}` });
  }

  before(async () => {
    pkg = stagePackage();
    sim = pkg.requireInstalled('@makerflows/node-red-prusalink/sim');
    for (const p of PRINTERS) sims[p.name] = await startSim(p.family);
    const userDir = pkg.makeUserDir();
    // Dashboard 2.0 as the palette manager would put it: a package in the user dir's node_modules.
    const link = path.join(userDir, 'node_modules', ...DASHBOARD.split('/'));
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(dashboardDir, link, 'dir');
    nr = await startNodeRed({ leg: LEGS.nr4, userDir });
    // The example as shipped in the package, each printer config pointed at its own simulator.
    const example = JSON.parse(fs.readFileSync(path.join(pkg.installedDir, 'examples', EXAMPLE), 'utf8'));
    const flows = example.map((n) => {
      const printer = PRINTERS.find((p) => p.id === n.id);
      return printer ? { ...n, ...printerConfig(n.id, sims[printer.name], { name: n.name, auth: printer.auth }) } : n;
    });
    await nr.deploy(placeOnTab(flows, 'fd-tab', 'Farm dashboard'));
    browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: launchArgs() });
    page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console.error: ${m.text().split('\n')[0]}`);
    });
    await page.goto(`${nr.url}/dashboard`);
  });

  after(async () => {
    if (browser) await browser.close();
    if (nr) await nr.stop();
    await Promise.all(Object.values(sims).map((s) => s.stop()));
    if (pkg) pkg.cleanup();
  });

  it("shows each printer's card with the state its printer reports", async () => {
    for (const p of PRINTERS) {
      await waitFor(async () => (await shownState(p.name)) === sims[p.name].control.state, {
        timeoutMs: 30000,
        what: `${p.name}'s card to show ${sims[p.name].control.state}`,
      });
    }
    assert.equal(await overview('idle'), String(PRINTERS.length));
  });

  it('shows a progress that advances during a print, with the thumbnail the printer has', async () => {
    sims.MK4.control.startPrint('Sample part.gcode');
    sims.MINI.control.startPrint('Sample part.gcode');
    await waitForShown('MK4', 'PRINTING');
    const progress = async () => Number(await attribute(card('MK4').locator('.printer-progress'), 'data-progress'));
    const first = await progress();
    await waitFor(async () => (await progress()) > first, { timeoutMs: 15000, what: `MK4's progress to pass ${first}` });
    // Buddy names a thumbnail for the job; MINI 4.4.1 has none (facts: legacy /api/job has no refs).
    await waitFor(async () => /^data:image\/png;base64,/.test((await attribute(card('MK4').locator('img'), 'src')) || ''), {
      timeoutMs: 15000,
      what: "MK4's thumbnail",
    });
    await waitForShown('MINI', 'PRINTING');
    assert.equal(await card('MINI').locator('img').count(), 0);
    assert.match(await card('MINI').textContent(), /no thumbnail/);
  });

  it('asks before pausing: Cancel sends nothing, the confirmation pauses the simulated printer', async () => {
    const pauseRequests = () => sims.MK4.control.requests().filter((r) => /pause/i.test(r.path)).length;
    await card('MK4').getByRole('button', { name: 'Pause' }).click();
    const dialog = page.locator('.v-overlay--active .v-card');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.textContent(), /Pause the print on MK4\?/);
    await saveScreenshot(page, 'dashboard-confirm.png');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForTimeout(1000);
    assert.equal(sims.MK4.control.state, 'PRINTING');
    assert.equal(pauseRequests(), 0);

    await card('MK4').getByRole('button', { name: 'Pause' }).click();
    await page.locator('.v-overlay--active .confirm-yes').click();
    await waitFor(() => sims.MK4.control.state === 'PAUSED', { timeoutMs: 15000, what: 'the MK4 simulator to pause' });
    await waitForShown('MK4', 'PAUSED');
  });

  it('shows an attention state as attention', async () => {
    sims['Pi MK3S'].control.setState('ATTENTION');
    await waitForShown('Pi MK3S', 'ATTENTION');
    const chip = card('Pi MK3S').locator('.printer-state');
    // The attention colour of the card template (#ef6c00), not the idle green or the printing blue.
    assert.equal(await chip.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(239, 108, 0)');
    await waitFor(async () => (await overview('attention')) === '1', { what: 'the overview to count 1 needing attention' });
    await saveScreenshot(page, 'dashboard-farm.png');
  });

  it('shows a stopped printer as offline, and back when it answers again on its address', async () => {
    const { port } = sims.MINI;
    await sims.MINI.stop();
    await waitForShown('MINI', 'OFFLINE');
    await waitFor(async () => (await overview('offline')) === '1', { what: 'the overview to count 1 offline' });
    sims.MINI = await startSim('mini-legacy', port);
    await waitForShown('MINI', sims.MINI.control.state);
    assert.equal(await overview('offline'), '0');
  });

  it('uploads a picked file to the chosen printer and prints it; Delete asks, then removes a file', async () => {
    const file = path.join(artifactsDir, 'Dashboard upload.gcode');
    fs.mkdirSync(artifactsDir, { recursive: true });
    fs.writeFileSync(file, sim.makeSampleGcode({ name: 'Dashboard upload', printSeconds: 600 }));
    await page.locator('.nrdb-ui-dropdown .v-field').click();
    await page.getByRole('option', { name: 'MINI' }).click();
    await page.locator('.nrdb-ui-switch input').check();
    await page.locator('.nrdb-ui-file-input input[type=file]').setInputFiles(file);
    await page.locator('.nrdb-ui-file-input').getByRole('button', { name: 'Upload' }).click();
    // MINI 4.4 keeps 8.3 names: the upload's long name is not what its listing shows, its content is.
    const uploaded = () => sims.MINI.control.listFiles().find((f) => sims.MINI.control.readFile(f)?.equals(fs.readFileSync(file)));
    await waitFor(uploaded, { timeoutMs: 15000, what: 'the file on the MINI simulator' });
    await waitFor(() => sims.MINI.control.state === 'PRINTING', { timeoutMs: 15000, what: 'the MINI simulator to print the upload' });

    const before = sims['Pi MK3S'].control.listFiles();
    assert.ok(before.includes('Sample part.gcode'), before.join(', '));
    const row = page.locator('[data-files="Pi MK3S"] tr', { hasText: 'Sample part' });
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.locator('.v-overlay--active .confirm-yes').click();
    await waitFor(() => !sims['Pi MK3S'].control.listFiles().includes('Sample part.gcode'), { timeoutMs: 15000, what: 'the Pi simulator to lose the file' });
  });

  it('reported no console error and no page error', () => {
    assert.deepEqual(problems, []);
  });
});
