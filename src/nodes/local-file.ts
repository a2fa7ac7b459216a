/**
 * A local path that came in a msg, confined to the base folder the node names: `..` is refused outright, and the
 * path is resolved through its symlinks (realpath) so that a link inside the folder cannot point outside it.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';

export type Confined = { file: string } | { refused: 'dotdot' | 'outside' | 'baseUnreadable' | 'unreadable'; reason?: string };

function inside(base: string, candidate: string): boolean {
  const rel = nodePath.relative(base, candidate);
  return rel !== '' && !rel.startsWith('..') && !nodePath.isAbsolute(rel);
}

/** The real path of `requested` (relative to `base`, or absolute) when it is a path inside `base`. */
export async function confineToBase(base: string, requested: string): Promise<Confined> {
  if (requested.split(/[\\/]/).includes('..')) return { refused: 'dotdot' };
  let realBase: string;
  try {
    realBase = await fs.promises.realpath(nodePath.resolve(base));
  } catch (e) {
    return { refused: 'baseUnreadable', reason: (e as Error).message };
  }
  // The lexical check first, so that nothing outside the folder is even looked at.
  const candidate = nodePath.resolve(realBase, requested);
  if (!inside(realBase, candidate) && !inside(nodePath.resolve(base), candidate)) return { refused: 'outside' };
  let real: string;
  try {
    real = await fs.promises.realpath(candidate);
  } catch (e) {
    return { refused: 'unreadable', reason: (e as Error).message };
  }
  if (!inside(realBase, real)) return { refused: 'outside' };
  return { file: real };
}
