/** Resolving URL segments (long names or 8.3 aliases) against a store, and what the printer is doing with a file. */
import type { FileStoreApi, StoredEntry } from '../model/types';
import type { SimRuntime } from '../runtime';

/**
 * Maps URL segments to long-name segments: existing parts (given as long names or aliases) become their long names,
 * missing parts are kept as written. `parentIsFile` is true when a file stands where a folder is needed.
 */
export function toLongSegments(store: FileStoreApi, segments: string[]): { segments: string[]; parentIsFile: boolean } {
  const out: string[] = [];
  let missing = false;
  for (let i = 0; i < segments.length; i++) {
    if (missing) {
      out.push(segments[i]);
      continue;
    }
    const e = store.resolve([...out, segments[i]]);
    if (!e) {
      missing = true;
      out.push(segments[i]);
      continue;
    }
    if (e.kind === 'file' && i < segments.length - 1) return { segments: out.concat(segments.slice(i)), parentIsFile: true };
    out.push(e.name);
  }
  return { segments: out, parentIsFile: false };
}

export function sameEntry(a: StoredEntry, b: StoredEntry): boolean {
  return a.segments.length === b.segments.length && a.segments.every((s, i) => s === b.segments[i]);
}

/** The file belongs to a print that is running, paused or waiting for the user. */
export function isBeingPrinted(rt: SimRuntime, entry: StoredEntry, storeOfEntry: FileStoreApi): boolean {
  const job = rt.model.job;
  if (!job || rt.model.jobEnded || storeOfEntry !== rt.primary) return false;
  return entry.kind === 'file' && sameEntry(job.file, entry);
}

/** Numeric entity tag (Buddy style) from what a listing or file shows. */
export function etagOf(store: FileStoreApi, entry: StoredEntry): string {
  let h = 2166136261;
  const feed = (s: string) => {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  };
  feed(`${entry.name}|${entry.size}|${entry.mtime}|${entry.partial}`);
  if (entry.kind === 'folder') for (const c of store.list(entry.segments)) feed(`${c.name}|${c.size}|${c.mtime}`);
  return `"${h}"`;
}
