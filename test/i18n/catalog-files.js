// Reads the message catalogs and help files under nodes/locales/ and reduces them to what must match across
// languages: the key tree, the __placeholders__ per key, and the help's wrapper, <dt> property names and <code> spans.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const LOCALES = path.join(ROOT, 'nodes', 'locales');
const DEFAULT_LANG = 'en-US';
const TRANSLATIONS = ['de', 'fr', 'cs'];
const PACKAGE = require(path.join(ROOT, 'package.json'));
// The node types are the node sets package.json registers: each one has its own catalog (i18n namespace).
const TYPES = Object.keys(PACKAGE['node-red'].nodes);
const MODULE = PACKAGE.name;

function catalogPath(lang, type, ext) {
  return path.join(LOCALES, lang, `${type}.${ext}`);
}

/** The parsed catalog, or throws with the file name so a syntax error points at its file. */
function readCatalog(lang, type) {
  const file = catalogPath(lang, type, 'json');
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path.relative(ROOT, file)}: ${err.message}`);
  }
}

/** Dotted key -> leaf value. Leaves that are not strings are kept as they are, so a test can name them. */
function flatten(tree, prefix = '', out = new Map()) {
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, out);
    else out.set(key, v);
  }
  return out;
}

/** The interpolation names Node-RED's i18next setup fills (prefix and suffix `__`), sorted and unique. */
function placeholders(text) {
  return [...new Set(String(text).match(/__[A-Za-z0-9_]+?__/g) || [])].sort();
}

function readHelp(lang, type) {
  return fs.readFileSync(catalogPath(lang, type, 'html'), 'utf8');
}

/** The opening <script> tags naming help, e.g. ['prusalink-status']. */
function helpNames(html) {
  return [...html.matchAll(/<script\s+type="text\/html"\s+data-help-name="([^"]+)"\s*>/g)].map((m) => m[1]);
}

/** Property names of the <dt> entries (`path`, `any msg`...), in document order; the type <span> is left out. */
function dtNames(html) {
  return [...html.matchAll(/<dt\b[^>]*>([\s\S]*?)<\/dt>/g)].map((m) =>
    m[1].replace(/<span[\s\S]*?<\/span>/g, '').replace(/\s+/g, ' ').trim(),
  );
}

/** The <code> spans, sorted: translated prose must keep every one of them as it is. */
function codeSpans(html) {
  return [...html.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => m[1].replace(/\s+/g, ' ')).sort();
}

/** How often each element opens (`p` -> 7): the help's structure, whatever the language of its prose. */
function tagCounts(html) {
  const counts = {};
  for (const m of html.matchAll(/<([a-z][a-z0-9]*)\b/g)) counts[m[1]] = (counts[m[1]] || 0) + 1;
  return counts;
}

/** Items of `a` not in `b`, counting repeats (a multiset difference), for readable failure messages. */
function missingFrom(a, b) {
  const left = [...b];
  const out = [];
  for (const item of a) {
    const i = left.indexOf(item);
    if (i === -1) out.push(item);
    else left.splice(i, 1);
  }
  return out;
}

module.exports = {
  ROOT,
  LOCALES,
  DEFAULT_LANG,
  TRANSLATIONS,
  TYPES,
  MODULE,
  catalogPath,
  readCatalog,
  flatten,
  placeholders,
  readHelp,
  helpNames,
  dtNames,
  codeSpans,
  tagCounts,
  missingFrom,
};
