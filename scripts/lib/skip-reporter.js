// A node:test reporter that writes one JSON line per skipped test or suite: { file, name, reason }.
// scripts/test.js runs it beside the spec reporter and lists the skips at the end of the run (a skip hides a
// test that could fail, so it must be seen; under CI=true any skip fails the run).
'use strict';

module.exports = async function* skipReporter(source) {
  // Names of the enclosing suites, per file, by nesting level (test:start comes in declaration order).
  const ancestry = new Map();
  for await (const event of source) {
    const data = event.data || {};
    if (event.type === 'test:start') {
      const stack = ancestry.get(data.file) || [];
      stack.length = data.nesting;
      stack[data.nesting] = data.name;
      ancestry.set(data.file, stack);
    } else if ((event.type === 'test:pass' || event.type === 'test:fail') && data.skip !== undefined && data.skip !== false) {
      const parents = (ancestry.get(data.file) || []).slice(0, data.nesting);
      const reason = typeof data.skip === 'string' && data.skip ? data.skip : '(no reason given)';
      yield JSON.stringify({ file: data.file || null, name: [...parents, data.name].join(' › '), reason }) + '\n';
    }
  }
};
