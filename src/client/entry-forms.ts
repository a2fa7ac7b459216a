/** File entries in both path forms (path-forms.ts): the folder spellings looked up on this printer. */
import type { ClientContext } from './context';
import { filesTarget, hasAliases, parentOf, usesV1Files } from './file-targets';
import { fileFromV1, obj, str, type Json } from './normalize';
import { baseName, fullPath, type PrinterPath } from './paths';
import { folderAliasesFromChildren, folderForms, isShortName, refFolderAliases, type FolderHints, type PathForms } from './path-forms';
import type { FileEntry, PrinterProfile } from './types';

/**
 * Both forms of a folder: the printer's alias path and the long-name path. Pi PrusaLink has no aliases: both are the
 * path as given. MINI 4.4.1 cannot list folders, so nothing is looked up there.
 */
export function folderPathForms(ctx: ClientContext, p: PrinterProfile, pp: PrinterPath, hints: FolderHints): Promise<PathForms> {
  // (The storage root needs no shortcut: folderForms of no segments is the root.)
  if (!hasAliases(p)) return Promise.resolve({ path: fullPath(pp), display_path: fullPath(pp) });
  const list = usesV1Files(p)
    ? async (aliases: string[]) => {
        const { json } = await ctx.getJson(filesTarget('v1', { storage: pp.storage, segments: aliases }));
        // Stryker disable next-line ArrayDeclaration: equivalent, a non-object child is passed over (docs/testing.md)
        return Array.isArray(json.children) ? (json.children as unknown[]) : [];
      }
    : undefined;
  return folderForms(pp.storage, pp.segments, hints, list);
}

/** A v1 file or folder answer for `pp` (GET, or Buddy's upload answer) as an entry in both path forms. */
export async function entryFromV1(ctx: ClientContext, p: PrinterProfile, pp: PrinterPath, json: Json): Promise<FileEntry | undefined> {
  // Stryker disable next-line ArrayDeclaration: equivalent, a non-object child tells no aliases (docs/testing.md)
  const children = Array.isArray(json.children) ? json.children : [];
  // Only the parent's aliases are read from what the children tell; the folder's own last one is dropped for clarity.
  // Stryker disable next-line MethodExpression: equivalent, an extra trailing alias is never read (docs/testing.md)
  const aliases = json.type === 'FOLDER' ? folderAliasesFromChildren(children, pp.storage)?.slice(0, -1) : refFolderAliases(str(obj(json.refs)?.download), pp.storage);
  const parent = await folderPathForms(ctx, p, parentOf(pp), { aliases });
  const typed = baseName(pp);
  // A folder answer may lack its long name; a segment that is not an 8.3 name is one.
  const display_name = str(json.display_name) ?? (hasAliases(p) && isShortName(typed) ? undefined : typed);
  return fileFromV1({ ...json, name: str(json.name) ?? typed, display_name }, parent);
}
