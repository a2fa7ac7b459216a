/**
 * The two spellings of a folder on printers with FAT 8.3 aliases (Buddy, MINI 4.4.1): `path`, the URL form the
 * printer uses itself in refs and jobs (`/usb/PS~1/SUBDIR~1`), and `display_path`, the long names (`/usb/P s/Sub dir`).
 * A user may name a folder either way (or mix them), so every entry the client returns is rebuilt in both forms.
 *
 * What is known without asking the printer:
 * - a file child's `refs.download` holds its folder's whole alias path;
 * - a folder's own answer holds its own alias (`name`) and, on the simulator and current firmware, `display_name`;
 * - a segment that is a valid 8.3 name in any letter case has that name in upper case as its alias (FAT gives such
 *   a long name no other short name), but its long name is unknown (`dir` may be `Dir`; `ps~1` may be `P s`);
 * - any other segment is a long name (taken in the letter case the user wrote: FAT ignores case, so it names the
 *   same folder; the printer's own case shows only where an answer or a lookup tells it).
 * Whatever is still unknown is looked up in the parent folder's listing, walking down from the root: one request per
 * such level, and none where the listing itself tells.
 */
import { obj, str, type ParentPaths } from './normalize';

export type PathForms = ParentPaths;

const SHORT_CHAR = "[A-Z0-9!#$%&'()@^_`{}~-]";
const SHORT_NAME = new RegExp(`^${SHORT_CHAR}{1,8}(\\.${SHORT_CHAR}{1,3})?$`, 'i');

/** A valid 8.3 name, ignoring letter case. */
export function isShortName(segment: string): boolean {
  return SHORT_NAME.test(segment);
}

/** Raw children of the folder at these alias segments (a v1 folder GET). */
export type ListChildren = (aliasSegments: string[]) => Promise<unknown[]>;

export interface FolderHints {
  /** Alias segments of the whole folder, when a download ref told them. */
  aliases?: string[];
  /** The folder's own alias and long name, from its own answer. */
  ownAlias?: string;
  ownDisplay?: string;
}

/** `/usb/DIR/FILE~1.GCO` → `['DIR']` when the ref lies in `storage`. */
export function refFolderAliases(download: string | undefined, storage: string): string[] | undefined {
  const segs = (download ?? '').split('/').filter(Boolean);
  if (segs.length < 2 || segs[0].toLowerCase() !== storage.toLowerCase()) return undefined;
  return segs.slice(1, -1);
}

/** The folder alias path told by the first file child that carries a download ref. */
export function folderAliasesFromChildren(children: readonly unknown[], storage: string): string[] | undefined {
  for (const c of children) {
    const found = refFolderAliases(str(obj(obj(c)?.refs)?.download), storage);
    if (found) return found;
  }
  return undefined;
}

function formsOf(storage: string, aliases: readonly string[], longs: readonly string[]): PathForms {
  return { path: '/' + [storage, ...aliases].join('/'), display_path: '/' + [storage, ...longs].join('/') };
}

/**
 * Both forms of the folder `segments` (any mix of long names and aliases). `list` is how to read a folder; without
 * it (MINI 4.4.1 cannot list folders) what cannot be derived stays as the user wrote it.
 */
export async function folderForms(storage: string, segments: readonly string[], hints: FolderHints, list?: ListChildren): Promise<PathForms> {
  const last = segments.length - 1;
  const aliases: (string | undefined)[] = segments.map(
    (s, i) => hints.aliases?.[i] ?? (i === last ? hints.ownAlias : undefined) ?? (isShortName(s) ? s.toUpperCase() : undefined),
  );
  const longs: (string | undefined)[] = segments.map((s, i) => (i === last ? hints.ownDisplay : undefined) ?? (isShortName(s) ? undefined : s));
  for (let i = 0; i <= last; i++) {
    if (aliases[i] !== undefined && longs[i] !== undefined) continue;
    const child = list ? await findChild(list, aliases.slice(0, i) as string[], segments[i]) : undefined;
    aliases[i] ??= str(child?.name) ?? segments[i];
    longs[i] ??= str(child?.display_name) ?? str(child?.name) ?? segments[i];
  }
  return formsOf(storage, aliases as string[], longs as string[]);
}

/** The child named `segment` by its long name or its alias; FAT compares both without regard to case. */
async function findChild(list: ListChildren, parentAliases: string[], segment: string) {
  const wanted = segment.toLowerCase();
  for (const raw of await list(parentAliases)) {
    const c = obj(raw);
    if (str(c?.display_name)?.toLowerCase() === wanted || str(c?.name)?.toLowerCase() === wanted) return c;
  }
  return undefined;
}
