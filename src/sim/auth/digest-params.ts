/** Parses the parameters of an `Authorization: Digest ...` header, quoted or not. */
export function parseDigestHeader(header: string | undefined): Record<string, string> | undefined {
  if (!header) return undefined;
  const m = /^\s*Digest\s+(.*)$/is.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[1])) !== null) {
    if (p[0].length === 0) break;
    params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  }
  return params;
}
