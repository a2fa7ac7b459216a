/** Printer paths for the sync: the synced folder's full path, and targets below it built from known folders. */
import { PrusaLinkError } from '../client/errors';
import { fullPath, parseUserPath } from '../client/files/paths';
import type { Family, PrinterProfile } from '../client/types';
import { nameKey } from './printable';
import type { RemoteTree } from './remote-tree';

export interface RemoteRoot {
  /** `/usb/prints`. */
  full: string;
  storage: string;
  segments: string[];
}

export function resolveRoot(profile: PrinterProfile, remoteFolder: string | undefined): RemoteRoot {
  const p = parseUserPath(remoteFolder ?? '', profile.storages.map((s) => s.name), profile.defaultStorage);
  const storage = profile.storages.find((s) => s.name === p.storage);
  if (storage?.read_only) throw new PrusaLinkError('FORBIDDEN', `the printer storage "${p.storage}" is read-only; choose a folder on a writable storage`);
  if (!profile.capabilities.folders && p.segments.length > 0)
    throw new PrusaLinkError('UNSUPPORTED', 'this printer (MINI firmware 4.4) has no folders: sync to its root folder (leave the printer folder empty)');
  return { full: fullPath(p), storage: p.storage, segments: p.segments };
}

/**
 * Full printer path of a folder below the synced one. Existing folders are addressed by the path the printer listed
 * (8.3 aliases on Buddy: shorter, which matters against Buddy's 103-byte upload path limit); new ones by long name.
 */
export function remoteFolderPath(family: Family, tree: RemoteTree, relDir: string): string {
  if (relDir === '') return tree.rootPath;
  const known = tree.folders.get(nameKey(family, relDir));
  if (known) return known.entry.path;
  const slash = relDir.lastIndexOf('/');
  const parent = slash < 0 ? '' : relDir.slice(0, slash);
  return `${remoteFolderPath(family, tree, parent)}/${relDir.slice(slash + 1)}`;
}

/** Upload target: the parent folder's printer path plus the LONG file name (an alias as target would lose it). */
export function uploadTarget(family: Family, tree: RemoteTree, rel: string): string {
  const slash = rel.lastIndexOf('/');
  return `${remoteFolderPath(family, tree, slash < 0 ? '' : rel.slice(0, slash))}/${rel.slice(slash + 1)}`;
}

/** Folders from the storage root down to the synced folder, for creating a missing one level by level. */
export function rootChain(root: RemoteRoot): string[] {
  return root.segments.map((_, i) => '/' + [root.storage, ...root.segments.slice(0, i + 1)].join('/'));
}
