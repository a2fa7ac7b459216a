/**
 * Pi PrusaLink's file tree follows the disk through inotify, and its watcher races (observed on PrusaLink 0.8.1):
 * a folder created inside one it has not started watching yet is never listed: 404 through the API for good, its
 * files too, although they are on disk. The `piFolderRace` fault models it: a new folder is listed only that many ms
 * after it was made (the watcher's delay), and a folder made inside one not listed yet is lost from the listings.
 */
import type { SimRuntime } from '../runtime';
import type { FileStoreApi } from '../model/types';

interface WatcherState {
  /** Folder key → when it was created (ms). */
  made: Map<string, number>;
  /** Folder keys the watcher missed. */
  lost: Set<string>;
}

const states = new WeakMap<SimRuntime, WatcherState>();

function stateOf(rt: SimRuntime): WatcherState {
  let s = states.get(rt);
  if (!s) states.set(rt, (s = { made: new Map(), lost: new Set() }));
  return s;
}

const keyOf = (storage: string, segs: readonly string[]): string => [storage, ...segs].join('/');

/** The folder levels of `folderSegs` that do not exist yet: call before creating them, then `noteMade`. */
export function missingLevels(store: FileStoreApi, folderSegs: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let depth = 1; depth <= folderSegs.length; depth++) {
    const level = folderSegs.slice(0, depth);
    if (!store.resolve(level)) out.push(level);
  }
  return out;
}

/** Records folders just made; with the fault on, one made too soon inside a fresh parent is lost. */
export function noteMade(rt: SimRuntime, storage: string, levels: string[][]): void {
  const delay = rt.faults.piFolderRace;
  if (!delay) return;
  const s = stateOf(rt);
  const now = Date.now();
  for (const level of levels) {
    const parent = keyOf(storage, level.slice(0, -1));
    const parentMade = s.made.get(parent);
    if (s.lost.has(parent) || (parentMade !== undefined && now - parentMade < delay)) s.lost.add(keyOf(storage, level));
    s.made.set(keyOf(storage, level), now);
  }
}

/** True when the path lies in a folder the watcher missed, or has not picked up yet. */
export function isLost(rt: SimRuntime, storage: string, segs: readonly string[]): boolean {
  const s = states.get(rt);
  const delay = rt.faults.piFolderRace;
  if (!s || !delay) return false;
  const now = Date.now();
  for (let depth = 1; depth <= segs.length; depth++) {
    const key = keyOf(storage, segs.slice(0, depth));
    const made = s.made.get(key);
    if (s.lost.has(key) || (made !== undefined && now - made < delay)) return true;
  }
  return false;
}
