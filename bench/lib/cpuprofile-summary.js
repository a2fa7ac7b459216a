'use strict';
// Summarizes a V8 .cpuprofile (node --cpu-prof): self time by function and by file (or package), top N each.
// Usage: node bench/lib/cpuprofile-summary.js <file.cpuprofile> [top=25]

const fs = require('node:fs');

/** Where a frame comes from: a package under node_modules, our dist/ file, node: internals, or V8's own entries. */
function origin(url) {
  if (!url) return '(native / V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url.replace(/^file:\/\//, '');
}

function summarize(profile, top) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const deltas = profile.timeDeltas;
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byOrigin = new Map();
  for (const [id, us] of selfUs) {
    const { callFrame: f } = byId.get(id);
    const name = `${f.functionName || '(anonymous)'} ${origin(f.url)}:${f.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const o = f.url ? origin(f.url) : f.functionName;
    byOrigin.set(o, (byOrigin.get(o) ?? 0) + us);
  }
  const rows = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
  return [`total sampled: ${(total / 1e6).toFixed(2)} s`, '', 'self time by file / package:', ...rows(byOrigin), '', 'self time by function:', ...rows(byFunction)].join('\n');
}

if (require.main === module) {
  const [file, top = '25'] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/lib/cpuprofile-summary.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(summarize(JSON.parse(fs.readFileSync(file, 'utf8')), Number(top)));
}

module.exports = { summarize };
