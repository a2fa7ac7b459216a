#!/usr/bin/env node
// The build step Stryker runs in its sandbox (stryker.config.json `buildCommand`): compiles the mutated src/ to dist/
// for the unit tests. Stryker marks mutated files `// @ts-nocheck`, yet a mutant may still change a type that another
// file sees; tsc emits JavaScript anyway, so a type error is not a failed build here. A missing output is.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = process.cwd();
const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
// No declarations: nothing in the sandbox reads them, and they cost a third of the compile.
spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json'), '--declaration', 'false'], { stdio: 'ignore', cwd: root });
const probe = path.join(root, 'dist', 'client', 'normalize.js');
if (!fs.existsSync(probe)) {
  console.error(`mutate-build: tsc emitted no ${path.relative(root, probe)}`);
  process.exit(1);
}
