// Finds the i18n keys the code uses: RED._() and sharedText() in src/nodes/*.ts, data-i18n, this._() and
// node._() in the editor files nodes/*.html, and RED._() in the editor scripts resources/*.js. A key built at run time ('state.' + x) is reported as a prefix, so a
// test can at least check that the object it points into exists.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, TYPES, MODULE } = require('./catalog-files');


/** Text of the call's arguments: from after `(` at `open` to its matching `)`, skipping strings. */
function callArgs(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"' || c === '`') {
      i = text.indexOf(c, i + 1);
      if (i === -1) break;
    } else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) return text.slice(open + 1, i);
    }
  }
  return text.slice(open + 1);
}

/** Arguments split at top-level commas. */
function splitArgs(args) {
  const out = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (c === "'" || c === '"' || c === '`') {
      i = args.indexOf(c, i + 1);
      if (i === -1) break;
    } else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(args.slice(start, i));
      start = i + 1;
    }
  }
  out.push(args.slice(start));
  return out;
}

/** Key-like string literals of one argument: `{text, prefix}`, prefix when the literal ends with a dot. */
function keyLiterals(arg) {
  const out = [];
  for (const m of arg.matchAll(/(['"`])((?:(?!\1).)*)\1/g)) {
    const text = m[2];
    if (text.includes('${')) continue;
    if (/^[\w@/.-]+:?[\w.-]*$/.test(text) && text.includes('.')) out.push({ text, prefix: text.endsWith('.') });
  }
  return out;
}

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

/** Every call of `name(` in `text`, with the literals of argument number `argIndex`. */
function callsOf(text, name, argIndex) {
  const found = [];
  const re = new RegExp(`(?<![\\w$])${name.replace(/[.$]/g, '\\$&')}\\(`, 'g');
  for (const m of text.matchAll(re)) {
    const open = m.index + m[0].length - 1;
    const arg = splitArgs(callArgs(text, open))[argIndex] || '';
    for (const lit of keyLiterals(arg)) found.push({ ...lit, line: lineOf(text, m.index) });
  }
  return found;
}

/** `{ns, key}` of `raw` in the namespace `defaultNs` unless the key names its own (`ns:key`). */
function resolve(raw, defaultNs) {
  const colon = raw.indexOf(':');
  if (colon === -1) return { ns: defaultNs, key: raw };
  return { ns: raw.slice(0, colon), key: raw.slice(colon + 1) };
}

/** The namespace and key prefix sharedText() puts in front of its key, read from src/nodes/i18n.ts. */
function sharedPrefix(root = ROOT) {
  const text = fs.readFileSync(path.join(root, 'src', 'nodes', 'i18n.ts'), 'utf8');
  const m = /PRINTER_NS\s*=\s*'([^']+)'/.exec(text);
  if (!m) throw new Error('src/nodes/i18n.ts: PRINTER_NS not found');
  return m[1];
}

/**
 * Every key use: `{file, line, ns, key, prefix}`. `ns` is null when a shared helper (not a node type's own file)
 * calls RED._ without a namespace: the key would then resolve in whichever node called the helper.
 */
function usedKeys(root = ROOT) {
  // `root` is the package (a test gives a hand-made tree to check the extraction itself).
  const SRC = path.join(root, 'src', 'nodes');
  const EDITOR = path.join(root, 'nodes');
  const uses = [];
  const shared = sharedPrefix(root);
  for (const name of fs.readdirSync(SRC).filter((f) => f.endsWith('.ts')).sort()) {
    const file = path.join('src', 'nodes', name);
    const text = fs.readFileSync(path.join(SRC, name), 'utf8');
    const type = name.replace(/\.ts$/, '');
    const ownNs = TYPES.includes(type) ? `${MODULE}/${type}` : null;
    for (const lit of callsOf(text, 'RED._', 0)) {
      uses.push({ file, line: lit.line, prefix: lit.prefix, ...resolve(lit.text, ownNs) });
    }
    for (const lit of callsOf(text, 'sharedText', 1)) {
      uses.push({ file, line: lit.line, prefix: lit.prefix, ...resolve(shared + lit.text, null) });
    }
  }
  for (const name of fs.readdirSync(EDITOR).filter((f) => f.endsWith('.html')).sort()) {
    const file = path.join('nodes', name);
    const text = fs.readFileSync(path.join(EDITOR, name), 'utf8');
    const ownNs = `${MODULE}/${name.replace(/\.html$/, '')}`;
    for (const m of text.matchAll(/data-i18n="([^"]*)"/g)) {
      // data-i18n holds `key` or `[attr]key`, several separated by `;`.
      for (const part of m[1].split(';')) {
        const raw = part.replace(/^\s*\[[^\]]*\]/, '').trim();
        if (raw) uses.push({ file, line: lineOf(text, m.index), prefix: false, ...resolve(raw, ownNs) });
      }
    }
    uses.push(...scriptUses(text, file, ownNs));
  }
  // Editor scripts served from resources/ (the file picker): no node type of their own, so only namespaced keys
  // resolve; a bare this._/node._ key there gets ns null and is reported.
  const RESOURCES = path.join(root, 'resources');
  const scripts = fs.existsSync(RESOURCES) ? fs.readdirSync(RESOURCES).filter((f) => f.endsWith('.js')).sort() : [];
  for (const name of scripts) {
    uses.push(...scriptUses(fs.readFileSync(path.join(RESOURCES, name), 'utf8'), path.join('resources', name), null));
  }
  return uses;
}

/** Translation calls in editor JavaScript; `ownNs` is the namespace of this._ / node._ (null outside a node). */
function scriptUses(text, file, ownNs) {
  const uses = [];
  // A namespaced key prefix kept in a variable (`var ns = '<module>/<type>:<type>.picker.'`), used as
  // RED._(ns + 'loading'): the variable's value joined with the literal is the key.
  const prefixes = new Map();
  for (const m of text.matchAll(/(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*'([^']*:[^']*\.)'/g)) prefixes.set(m[1], m[2]);
  // this._ / node._ in a definition resolve in the node's namespace; RED._ resolves in the editor's own
  // catalog, so only namespaced RED._ keys can be ours.
  for (const m of text.matchAll(/(?<![\w$])([A-Za-z_$][\w$]*)\._\(/g)) {
    const open = m.index + m[0].length - 1;
    const arg = splitArgs(callArgs(text, open))[0] || '';
    const defaultNs = m[1] === 'RED' ? 'editor' : ownNs;
    const joined = /^\s*([A-Za-z_$][\w$]*)\s*\+\s*'([\w.]+)'\s*$/.exec(arg);
    if (joined && prefixes.has(joined[1])) {
      uses.push({ file, line: lineOf(text, m.index), prefix: false, ...resolve(prefixes.get(joined[1]) + joined[2], defaultNs) });
      continue;
    }
    for (const lit of keyLiterals(arg)) {
      uses.push({ file, line: lineOf(text, m.index), prefix: lit.prefix, ...resolve(lit.text, defaultNs) });
    }
  }
  return uses;
}

module.exports = { usedKeys, sharedPrefix };
