#!/usr/bin/env node
// Refreshes the README's screenshots in docs/images/ (tracked files): runs the editor and the farm dashboard e2e
// tests with UPDATE_DOCS_IMAGES=1, the only way a test run may change docs/images/. A plain test run writes its
// screenshots to test-artifacts/ only. Usage: npm run screenshots (needs chromium; see README, Development).
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const result = spawnSync(process.execPath, [path.join(__dirname, 'test.js'), 'test/e2e/editor-browser.test.js', 'test/e2e/dashboard-browser.test.js'], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, UPDATE_DOCS_IMAGES: '1' },
});
process.exit(result.status === null ? 1 : result.status);
