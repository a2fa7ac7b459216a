'use strict';
// Tables printed as Markdown, aligned for the terminal, so that a run can be pasted into RESULTS.md unchanged.

const fs = require('node:fs');

function printTable(title, columns, rows) {
  const cells = rows.map((r) => columns.map((_, i) => String(r[i] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const out = [`\n### ${title}\n`, line(columns), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)];
  console.log(out.join('\n'));
}

/**
 * Budget lines: printed as a table and, under run-all, appended to the summary file it reads at the end.
 * @param {string} bench
 * @param {{ budget: string, measured: string, met: boolean }[]} checks
 */
function reportBudgets(bench, checks) {
  printTable(`${bench}: budgets`, ['budget', 'measured', 'verdict'], checks.map((c) => [c.budget, c.measured, verdict(c.met)]));
  const file = process.env.BENCH_SUMMARY_FILE;
  if (file) for (const c of checks) fs.appendFileSync(file, JSON.stringify({ bench, ...c }) + '\n');
}

function verdict(met) {
  return met ? 'met' : '**NOT MET**';
}

const mb = (bytes) => (bytes / 1e6).toFixed(1);
const fixed = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

module.exports = { printTable, reportBudgets, verdict, mb, fixed };
