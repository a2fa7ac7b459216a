/** Reading the printer's storages and files: storages, folder listings (recursive too), one file's entry, existence. */
import type { ClientContext } from './context';
import { entryFromV1, folderPathForms } from './entry-forms';
import { ifNotFound } from './errors';
import { filesTarget, parentOf, segmentsOf, usesV1Files } from './file-targets';
import { fileFromLegacy, fileFromV1, legacyListingEntries, storageFromV1, str } from './normalize';
import { baseName, fullPath, type PrinterPath } from './paths';
import { folderAliasesFromChildren, type PathForms } from './path-forms';
import type { FileEntry, Listing, PrinterProfile, StorageInfo } from './types';

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
