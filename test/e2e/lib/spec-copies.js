// Derived copies of Prusa's specs, made in memory before Prism reads them, each change for a reason that
// prusalink-api.md §10 (or shared/spec/SOURCES.md) gives. They widen only what Prism cannot express; they never
// relax a schema, so what Prism then validates is still Prusa's own definition.
'use strict';

/**
 * §10 "{storage}/{path}": the spec has one segment for `path`, printers take the storage root and nested paths,
 * and Prism matches one segment only, so such a request was "route not found" and never validated. This adds
 * the same operations under `<base>/{storage}` (the root) and `<base>/{storage}/{p1}/…/{pN}` for N = 2..depth,
 * so every request is matched and its request and answer validated against the spec's own operation.
 */
function addNestedPaths(spec, template, { root = true, depth = 4, rootParam = 'path' } = {}) {
  const item = spec.paths[template];
  if (!item) throw new Error(`spec has no ${template}`);
  const base = template.slice(0, template.lastIndexOf('/{'));
  const clone = (x) => JSON.parse(JSON.stringify(x));
  const withParams = (names) => {
    const copy = clone(item);
    const params = (copy.parameters || []).filter((p) => !(p.in === 'path' && p.name === rootParam));
    const pathParam = (item.parameters || []).find((p) => p.in === 'path' && p.name === rootParam);
    for (const name of names) params.push({ ...clone(pathParam), name, description: `segment of ${rootParam}` });
    copy.parameters = params;
    return copy;
  };
  if (root) spec.paths[base] = withParams([]);
  for (let n = 2; n <= depth; n++) {
    const names = Array.from({ length: n }, (_, i) => `${rootParam}${i + 1}`);
    spec.paths[`${base}/${names.map((x) => `{${x}}`).join('/')}`] = withParams(names);
  }
  return spec;
}

/**
 * §10 "security": the v1 spec declares Digest only, the firmware also takes X-Api-Key (Buddy's PrusaLink
 * password, the Pi's API key). Prism checks Digest by syntax only (SOURCES.md), so the tours use X-Api-Key.
 */
function addApiKeyScheme(spec) {
  spec.components.securitySchemes.apiKeyAuth = { type: 'apiKey', in: 'header', name: 'X-Api-Key' };
  spec.security = [{ digestAuth: [] }, { apiKeyAuth: [] }];
  return spec;
}

module.exports = { addNestedPaths, addApiKeyScheme };

/**
 * The spec's alternatives overlap: its schemas have no discriminator and no `additionalProperties: false`, so a
 * folder is also a FileInfo, a print file is also a FileInfo, and a job with a file is both JobSerialPrint and
 * JobFilePrint. `oneOf` ("exactly one") can then never hold for a valid body, and Prism says only "must match
 * exactly one schema in oneOf", which hides whether any alternative matched (§10, the note under the table:
 * Prism fails even the spec's own /api/v1/job example). As `anyOf`, a body passes when one alternative matches,
 * and when none does Prism reports each alternative's own problems, which are then judged one by one.
 */
function oneOfAsAnyOf(node) {
  if (Array.isArray(node)) node.forEach(oneOfAsAnyOf);
  else if (node && typeof node === 'object') {
    if (Array.isArray(node.oneOf) && !node.discriminator) {
      node.anyOf = node.oneOf;
      delete node.oneOf;
    }
    Object.values(node).forEach(oneOfAsAnyOf);
  }
  return node;
}

module.exports.oneOfAsAnyOf = oneOfAsAnyOf;
