/** The printer folder as flat maps from relative long-name paths to entries (Buddy: `display_name`, not the 8.3 alias). */
import type { Family, FileEntry, Listing } from '../client/types';
import { nameKey, printability } from './printable';

export interface RemoteItem {
  /** Relative to the synced folder, `/`-separated, long names. */
  rel: string;
  entry: FileEntry;
}

export interface RemoteTree {
  /** Keyed by nameKey(rel): printable files only; other files on the printer are never touched. */
  files: Map<string, RemoteItem>;
  folders: Map<string, RemoteItem>;
  /** Full path (alias form where there is one) of the synced folder itself. */
  rootPath: string;
}

export function flattenListing(family: Family, listing: Listing, rootPath: string): RemoteTree {
  const tree: RemoteTree = { files: new Map(), folders: new Map(), rootPath: (listing.path || rootPath).replace(/\/+$/, '') };
  const visit = (entries: FileEntry[], relDir: string) => {
    for (const entry of entries) {
      const name = entry.display_name || entry.name;
      const rel = relDir ? `${relDir}/${name}` : name;
      if (entry.type === 'FOLDER') {
        tree.folders.set(nameKey(family, rel), { rel, entry });
        if (entry.children) visit(entry.children, rel);
      } else if (printability(family, name) !== 'ignored') {
        tree.files.set(nameKey(family, rel), { rel, entry });
      }
    }
  };
  visit(listing.entries, '');
  return tree;
}

export function emptyTree(rootPath: string): RemoteTree {
  return { files: new Map(), folders: new Map(), rootPath };
}
