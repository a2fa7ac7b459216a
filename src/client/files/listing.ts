/**
 * Reading the printer's storages and files: storages, folder listings (recursive too), one file's entry in both path
 * forms (paths.ts), existence, and a file's bytes (its thumbnail and its download, found through its entry's refs).
 */
import type { Readable } from 'node:stream';
import type { ClientContext } from '../context';
import { ifNotFound } from '../errors';
import { fileFromLegacy, fileFromV1, legacyListingEntries, obj, storageFromV1, str, type Json } from '../normalize';
import type { FileEntry, Listing, PrinterProfile, StorageInfo } from '../types';
import {
  baseName,
  encodeRef,
  filesTarget,
  folderAliasesFromChildren,
  folderForms,
  fullPath,
  hasAliases,
  isShortName,
  parentOf,
  refFolderAliases,
  segmentsOf,
  usesV1Files,
  type FolderHints,
  type PathForms,
  type PrinterPath,
} from './paths';

// Stryker disable all: outside the mutation suite's scope (docs/testing.md); the simulator suites cover this part.
interface FolderContents {
  here: PathForms;
  entries: FileEntry[];
}

export async function listStorages(ctx: ClientContext, p: PrinterProfile): Promise<StorageInfo[]> {
  if (!usesV1Files(p)) return p.storages.map((s) => ({ ...s }));
  const { json } = await ctx.getJson('/api/v1/storage');
  const list = Array.isArray(json.storage_list) ? json.storage_list : [];
  return list.map(storageFromV1).filter((s): s is StorageInfo => s !== undefined);
}

export async function listFolder(ctx: ClientContext, p: PrinterProfile, path: string, recursive: boolean): Promise<Listing> {
  const pp = ctx.parse(p, path);
  if (!usesV1Files(p)) {
    const { here, entries } = await listLegacy(ctx, p, pp);
    return { ...here, entries, foldersListed: p.family !== 'mini-legacy' };
  }
  const { here, entries } = await listV1(ctx, p, pp, undefined, recursive);
  return { ...here, entries, foldersListed: true };
}

/** One folder's entries; `known` are the folder's forms when the caller has them (a child of a listed folder). */
async function listV1(ctx: ClientContext, p: PrinterProfile, pp: PrinterPath, known: PathForms | undefined, recursive: boolean): Promise<FolderContents> {
  const target = filesTarget('v1', pp);
  const { json } = await ctx.getJson(target);
  if (str(json.type) && json.type !== 'FOLDER') throw ctx.err('INVALID_PATH', `${fullPath(pp)} is a file, not a folder`, { method: 'GET', path: target });
  const children = Array.isArray(json.children) ? json.children : [];
  const here =
    known ?? (await folderPathForms(ctx, p, pp, { aliases: folderAliasesFromChildren(children, pp.storage), ownAlias: str(json.name), ownDisplay: str(json.display_name) }));
  const entries = children.map((c) => fileFromV1(c, here)).filter((e): e is FileEntry => e !== undefined);
  if (recursive) {
    // Sequential on purpose: the printer serves few connections and a walk must not starve other calls.
    for (const e of entries) {
      if (e.type !== 'FOLDER') continue;
      e.children = (await listV1(ctx, p, { storage: pp.storage, segments: segmentsOf(e.path) }, e, true)).entries;
    }
  }
  return { here, entries };
}

/** One folder through the legacy API (MINI 4.4.1 lists its root only, at /api/files). */
export async function listLegacy(ctx: ClientContext, p: PrinterProfile, pp: PrinterPath): Promise<FolderContents> {
  const target = pp.segments.length === 0 && p.family === 'mini-legacy' ? '/api/files' : filesTarget('legacy', pp);
  const { json } = await ctx.getJson(target);
  const files = legacyListingEntries(json, pp.storage);
  const here = await folderPathForms(ctx, p, pp, { aliases: folderAliasesFromChildren(files, pp.storage) });
  return { here, entries: files.map((f) => fileFromLegacy(f, here)).filter((e): e is FileEntry => e !== undefined) };
}

/** The caller's fileInfo(): the entry, with MINI 4.4.1's folders refused before any request. */
export async function describePath(ctx: ClientContext, p: PrinterProfile, path: string): Promise<FileEntry> {
  refuseMiniFolder(ctx, p, path, 'describe');
  return fileEntry(ctx, p, path);
}

/** The entry of one file or folder; the legacy API has no such request, so it is found in its folder's listing. */
export async function fileEntry(ctx: ClientContext, p: PrinterProfile, path: string): Promise<FileEntry> {
  const pp = ctx.parse(p, path);
  if (!usesV1Files(p)) {
    const name = baseName(pp);
    const { entries } = await listLegacy(ctx, p, parentOf(pp));
    const lower = name.toLowerCase();
    const hit = entries.find((e) => e.name.toLowerCase() === lower || e.display_name === name);
    if (!hit) throw ctx.err('NOT_FOUND', `no such file: ${fullPath(pp)}`, { method: 'GET', path: filesTarget('legacy', pp), status: 404 });
    return hit;
  }
  const target = filesTarget('v1', pp);
  const { json } = await ctx.getJson(target);
  if (pp.segments.length === 0) {
    return { type: 'FOLDER', name: pp.storage, display_name: pp.storage, path: fullPath(pp), display_path: fullPath(pp), read_only: json.ro === true || json.read_only === true };
  }
  const entry = await entryFromV1(ctx, p, pp, json);
  if (!entry) throw ctx.err('PROTOCOL', 'the printer sent a file description of an unexpected shape', { method: 'GET', path: target });
  return entry;
}

export async function fileExists(ctx: ClientContext, p: PrinterProfile, path: string): Promise<boolean> {
  if (!usesV1Files(p)) return ifNotFound(fileEntry(ctx, p, path).then(() => true), false);
  const pp = ctx.parse(p, path);
  // Pi PrusaLink answers a HEAD 404 as HTTP/1.0 with the error text after the headers: Node's parser takes the text
  // for a broken next answer (HPE_CLOSED_CONNECTION). A GET has the same cost there (it builds the same answer).
  const method = p.family === 'pi' ? 'GET' : 'HEAD';
  const res = await ctx.request({ method, target: filesTarget('v1', pp), accept: [404] });
  return res.status !== 404;
}

// Stryker restore all
// ---- entries in both path forms ------------------------------------------------------------------------------

/** File entries in both path forms (paths.ts): the folder spellings looked up on this printer. */
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

// Stryker disable all: outside the mutation suite's scope (docs/testing.md); the simulator suites cover this part.
// ---- a file's bytes -----------------------------------------------------------------------------------------

export async function fetchThumbnail(ctx: ClientContext, p: PrinterProfile, path: string, size: 'small' | 'large'): Promise<Buffer> {
  const entry = await fileEntry(ctx, p, path);
  const refs = entry.refs ?? {};
  const ref = size === 'small' ? (refs.icon ?? refs.thumbnail) : (refs.thumbnail ?? refs.icon);
  if (!ref) throw ctx.err('NOT_FOUND', `the printer offers no thumbnail for ${entry.path}`);
  const res = await ctx.request({ method: 'GET', target: encodeRef(ref), accept: [410] });
  if (res.status === 410) throw ctx.err('NOT_FOUND', `the printer has no thumbnail for ${entry.path} (HTTP 410)`, { status: 410, path: ref });
  return res.body;
}

export async function openDownload(ctx: ClientContext, p: PrinterProfile, path: string): Promise<Readable> {
  const entry = await fileEntry(ctx, p, path);
  const ref = entry.refs?.download;
  if (!ref) throw ctx.err('NOT_FOUND', `the printer offers no download for ${entry.path} (is it still being uploaded?)`);
  // The slot stays taken until the caller has read (or destroyed) the stream.
  return new Promise<Readable>((resolve, reject) => {
    ctx.scheduler
      .run(false, async () => {
        const { stream } = await ctx.transport.send({ method: 'GET', target: encodeRef(ref), responseType: 'stream' });
        resolve(stream);
        await new Promise<void>((done) => stream.once('close', () => done()));
      })
      .catch(reject);
  });
}

// ---- MINI 4.4.1 folders --------------------------------------------------------------------------------------

/**
 * MINI firmware 4.4.1 lists only the files in the root of its USB stick and has no folder API (docs §4.6, issue 13.8).
 * Asked about a folder it answers "no such file", asked to delete one "Could not delete": both untrue. A path that
 * names a folder, or a file inside one, is refused here before any request, with the reason.
 */
const MINI_FOLDERS = 'MINI 4.4.1 cannot list or delete folders';

/** True when `path` can only be a folder or lie inside one: below the root, a trailing `/`, or no file extension. */
function namesFolder(path: string, segments: readonly string[]): boolean {
  const last = segments[segments.length - 1];
  return segments.length > 1 || /\/\s*$/.test(path) || (last !== undefined && !last.includes('.'));
}

/** Throws UNSUPPORTED on a MINI 4.4.1 for a folder path (or any delete with its content). */
export function refuseMiniFolder(ctx: ClientContext, p: PrinterProfile, path: string, action: 'describe' | 'delete', recursive = false): void {
  if (p.family !== 'mini-legacy') return;
  const { segments } = ctx.parse(p, path);
  if (segments.length === 0) return; // the root: the callers have their own answer for it
  if (!recursive && !namesFolder(path, segments)) return;
  throw ctx.err(
    'UNSUPPORTED',
    `${MINI_FOLDERS}: "${path}" names a folder or a file inside one; only files in the root of the USB stick can be ${action === 'delete' ? 'deleted' : 'described'}`,
  );
}
