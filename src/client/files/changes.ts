/** Changing what is on the printer's storage: creating folders (Pi's racing file watcher included) and deleting. */
import type { ClientContext } from '../context';
import { obj, str } from '../normalize';
import type { PrinterProfile } from '../types';
import { listFolder, refuseMiniFolder } from './listing';
import { checkPiNames, filesTarget, fullPath, usesV1Files, type PrinterPath } from './paths';

export async function createFolder(ctx: ClientContext, p: PrinterProfile, path: string): Promise<void> {
  if (!p.capabilities.folders || !usesV1Files(p))
    throw ctx.err('UNSUPPORTED', 'this printer cannot create folders through PrusaLink (MINI firmware 4.4 has no folder API)');
  const pp = ctx.parse(p, path);
  if (pp.segments.length === 0) throw ctx.err('INVALID_PATH', 'a folder name is required');
  if (p.family === 'pi') {
    ctx.labelled(() => checkPiNames(pp, path));
    await createPiFolders(ctx, pp);
    return;
  }
  await putFolder(ctx, pp);
}

function putFolder(ctx: ClientContext, pp: PrinterPath): Promise<unknown> {
  return ctx.request({ method: 'PUT', target: filesTarget('v1', pp), headers: { 'Create-Folder': '?1', 'Content-Length': '0' } });
}

/** How long a new folder may take to appear in Pi PrusaLink's file tree (observed: well under a second). */
const PI_FOLDER_LISTED_WITHIN_MS = 5000;
const PI_FOLDER_POLL_MS = 50;

/**
 * Pi PrusaLink's file tree follows the disk through inotify, and its watcher races: a folder made inside one it has
 * not picked up yet is never listed (404 through the API for good, although it is on disk). So each missing level is
 * created alone and waited for until it is listed before the next one goes inside it. An upload into a missing
 * folder (the printer would `mkdir -p` it) comes here first too (`readyPiFolder`).
 */
async function createPiFolders(ctx: ClientContext, pp: PrinterPath): Promise<void> {
  for (let depth = 1; depth <= pp.segments.length; depth++) {
    const level: PrinterPath = { storage: pp.storage, segments: pp.segments.slice(0, depth) };
    if (await isListed(ctx, level)) continue;
    await putFolder(ctx, level);
    await waitListed(ctx, level);
  }
}

/** Makes sure an upload's folder is listed on a Pi before the upload goes into it; one request when it is. */
export async function readyPiFolder(ctx: ClientContext, folder: PrinterPath): Promise<void> {
  if (folder.segments.length === 0 || (await isListed(ctx, folder))) return;
  await createPiFolders(ctx, folder);
}

async function isListed(ctx: ClientContext, pp: PrinterPath): Promise<boolean> {
  const res = await ctx.request({ method: 'GET', target: filesTarget('v1', pp), accept: [404] });
  return res.status !== 404;
}

async function waitListed(ctx: ClientContext, pp: PrinterPath): Promise<void> {
  const end = Date.now() + PI_FOLDER_LISTED_WITHIN_MS;
  while (!(await isListed(ctx, pp))) {
    if (Date.now() > end)
      throw ctx.err('SERVER_ERROR', `the printer created the folder ${fullPath(pp)} but did not list it within ${PI_FOLDER_LISTED_WITHIN_MS} ms`);
    await new Promise((r) => setTimeout(r, PI_FOLDER_POLL_MS));
  }
}

/** The caller's delete(): MINI 4.4.1's folders refused before any request, then the file or folder deleted. */
export async function deletePath(ctx: ClientContext, p: PrinterProfile, path: string, recursive: boolean): Promise<void> {
  refuseMiniFolder(ctx, p, path, 'delete', recursive);
  const pp = ctx.parse(p, path);
  if (pp.segments.length === 0) throw ctx.err('INVALID_PATH', `refusing to delete the storage root ${fullPath(pp)}`);
  if (!usesV1Files(p)) {
    await ctx.request({ method: 'DELETE', target: filesTarget('legacy', pp) });
    return;
  }
  if (recursive && p.family === 'pi') {
    await ctx.request({ method: 'DELETE', target: filesTarget('v1', pp), headers: { Force: '?1' } });
    return;
  }
  if (recursive) await deleteChildren(ctx, pp);
  await ctx.request({ method: 'DELETE', target: filesTarget('v1', pp) });
}

/** Buddy has no `Force`: empty a folder depth first (a non-empty folder answers 404 there). */
async function deleteChildren(ctx: ClientContext, pp: PrinterPath): Promise<void> {
  const { json } = await ctx.getJson(filesTarget('v1', pp));
  if (json.type !== 'FOLDER') return;
  for (const c of Array.isArray(json.children) ? json.children : []) {
    const child = obj(c);
    const name = str(child?.name);
    if (!child || !name) continue;
    const cp: PrinterPath = { storage: pp.storage, segments: [...pp.segments, name] };
    if (child.type === 'FOLDER') await deleteChildren(ctx, cp);
    await ctx.request({ method: 'DELETE', target: filesTarget('v1', cp) });
  }
}

/** Deletes every file (not folder) directly in `folder`, like PrusaLinkPy's rm(): the caller's list(), then delete()s. */
export async function deleteAllFiles(ctx: ClientContext, p: PrinterProfile, folder: string): Promise<{ deleted: string[] }> {
  const listing = await listFolder(ctx, p, folder, false);
  const deleted: string[] = [];
  for (const e of listing.entries) {
    if (e.type === 'FOLDER') continue;
    await deletePath(ctx, p, e.path, false);
    deleted.push(e.path);
  }
  return { deleted };
}
