/**
 * Makes a printer folder match a local folder: lists both sides, plans, then creates folders, uploads and deletes
 * one at a time (a printer takes one transfer at a time). What it costs grows with the changes, not with the folder:
 * an unchanged folder costs its listing requests and no file reading.
 */
import * as path from 'node:path';
import { PrusaLinkError, isPrusaLinkError } from '../client/errors';
import type { ErrorCode, Family } from '../client/types';
import { restat, scanLocal } from './local-scan';
import { MANIFEST_NAME, Manifest, type ManifestRecord } from './manifest';
import { foldersToCreate, foldersToDelete, planFiles, type FilePlan } from './plan';
import { activeJobFile, isPrintedFile } from './printed-file';
import { emptyTree, flattenListing, type RemoteItem, type RemoteTree } from './remote-tree';
import { remoteFolderPath, resolveRoot, rootChain, uploadTarget, type RemoteRoot } from './remote-paths';
import { keepFilesThatCannotBeReplaced } from './replace-policy';
import type { FailedItem, SyncClient, SyncOptions, SyncProgress, SyncSummary } from './types';

/** After these, every further request would fail the same way: the rest is reported as not attempted. */
const FATAL: ReadonlySet<string> = new Set(['UNREACHABLE', 'TIMEOUT', 'AUTH_FAILED', 'FORBIDDEN', 'ABORTED', 'TLS']);

type Op =
  | { action: 'create-folder'; rel: string; remote: string }
  | { action: 'upload'; up: FilePlan['uploads'][number]; remote: string }
  | { action: 'delete'; rel: string; remote: string; folder: boolean };

export async function syncFolder(client: SyncClient, options: SyncOptions): Promise<SyncSummary> {
  const localFolder = path.resolve(options.localFolder);
  const dryRun = options.dryRun === true;
  const profile = await client.detect();
  const family = profile.family;
  const root = resolveRoot(profile, options.remoteFolder);
  const printerId = options.printerId || client.label || profile.hostname || 'printer';
  const summary: SyncSummary = {
    printer: printerId,
    localFolder,
    remoteFolder: root.full,
    dryRun,
    created: [],
    uploaded: [],
    deleted: [],
    unchanged: [],
    kept: [],
    skipped: [],
    failed: [],
    warnings: [],
    requests: { list: 0, status: 0, createFolder: 0, upload: 0, delete: 0 },
  };

  const manifest = await Manifest.load(options.manifestPath ?? path.join(localFolder, MANIFEST_NAME), summary.warnings);
  const records = manifest.records(printerId, root.full);
  const local = await scanLocal(localFolder);
  const { tree, rootMissing } = await listRemote(client, family, root, summary);
  const hinted = new Set((options.changedPaths ?? []).map((p) => relativeHint(localFolder, p)));

  const plan = await planFiles({
    family,
    local,
    remote: tree,
    records,
    deleteExtras: options.deleteExtras === true,
    folders: profile.capabilities.folders,
    hinted,
  });
  summary.skipped.push(...keepFilesThatCannotBeReplaced(plan, profile.capabilities.uploadByPut));
  await leavePrintedFileAlone(client, plan, summary);
  summary.unchanged = plan.unchanged;
  summary.kept = plan.kept;
  summary.skipped.push(...plan.skipped);

  const ops = buildOps(plan, tree, family, root, rootMissing, local);
  try {
    if (!dryRun) {
      Object.assign(records, plan.learned);
      for (const rel of plan.forget) delete records[rel];
    }
    await runOps(client, ops, {
      dryRun,
      records,
      summary,
      onProgress: options.onProgress,
      signal: options.signal,
    });
  } finally {
    // successes are recorded even when a later step throws
    if (!dryRun) await manifest.save();
  }
  return summary;
}

async function listRemote(client: SyncClient, family: Family, root: RemoteRoot, summary: SyncSummary): Promise<{ tree: RemoteTree; rootMissing: boolean }> {
  summary.requests.list++;
  try {
    const listing = await client.list(root.full, { recursive: true });
    return { tree: flattenListing(family, listing, root.full), rootMissing: false };
  } catch (err) {
    if (isPrusaLinkError(err, 'NOT_FOUND') && root.segments.length > 0) return { tree: emptyTree(root.full), rootMissing: true };
    throw err;
  }
}

/** The printer's status is asked only when the plan replaces or deletes a printer file: an idle sync never asks. */
async function leavePrintedFileAlone(client: SyncClient, plan: FilePlan, summary: SyncSummary): Promise<void> {
  if (!plan.uploads.some((u) => u.existing) && plan.deletes.length === 0) return;
  summary.requests.status++;
  let job;
  try {
    job = activeJobFile(await client.status());
  } catch (err) {
    // the printer still refuses to touch its open file (409) if it comes to that
    summary.warnings.push(`printer status unavailable, the printed file could not be identified: ${(err as Error).message}`);
    return;
  }
  const reason = 'the printer is printing this file; it is left as it is';
  const printed = (item?: RemoteItem) => !!item && isPrintedFile(item, job);
  for (const up of plan.uploads.filter((u) => printed(u.existing))) summary.skipped.push({ path: up.file.rel, code: 'FILE_PRINTING', reason });
  for (const del of plan.deletes.filter((d) => printed(d.item))) summary.skipped.push({ path: del.rel, code: 'FILE_PRINTING', reason });
  plan.uploads = plan.uploads.filter((u) => !printed(u.existing));
  plan.deletes = plan.deletes.filter((d) => !printed(d.item));
}

function buildOps(plan: FilePlan, tree: RemoteTree, family: Family, root: RemoteRoot, rootMissing: boolean, local: Parameters<typeof foldersToDelete>[3]): Op[] {
  const ops: Op[] = [];
  for (const rel of foldersToCreate(plan, tree, family, rootMissing)) {
    if (rel === '') for (const remote of rootChain(root)) ops.push({ action: 'create-folder', rel: '', remote });
    else ops.push({ action: 'create-folder', rel, remote: remoteFolderPath(family, tree, rel) });
  }
  for (const up of plan.uploads) ops.push({ action: 'upload', up, remote: uploadTarget(family, tree, up.file.rel) });
  for (const del of plan.deletes) ops.push({ action: 'delete', rel: del.rel, remote: del.item.entry.path, folder: false });
  for (const dir of foldersToDelete(plan, tree, family, local))
    ops.push({ action: 'delete', rel: dir.rel + '/', remote: dir.entry.path, folder: true });
  return ops;
}

interface RunContext {
  dryRun: boolean;
  records: Record<string, ManifestRecord>;
  summary: SyncSummary;
  onProgress?: (p: SyncProgress) => void;
  signal?: AbortSignal;
}

async function runOps(client: SyncClient, ops: Op[], ctx: RunContext): Promise<void> {
  const { summary } = ctx;
  let fatal: FailedItem | undefined;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const rel = op.action === 'upload' ? op.up.file.rel : op.rel;
    if (!fatal && ctx.signal?.aborted) fatal = { path: rel, code: 'ABORTED', message: 'sync cancelled' };
    if (fatal) {
      summary.failed.push({ path: rel, code: fatal.code, message: `not attempted: ${fatal.message}` });
      continue;
    }
    ctx.onProgress?.({ done: i, total: ops.length, path: rel, action: op.action });
    const failure = await runOp(client, op, ctx);
    if (failure) {
      summary.failed.push(failure);
      if (FATAL.has(failure.code)) fatal = failure;
    }
  }
  if (ops.length > 0) {
    const last = ops[ops.length - 1];
    ctx.onProgress?.({ done: ops.length, total: ops.length, path: last.action === 'upload' ? last.up.file.rel : last.rel, action: last.action });
  }
}

async function runOp(client: SyncClient, op: Op, ctx: RunContext): Promise<FailedItem | undefined> {
  const { summary, dryRun } = ctx;
  switch (op.action) {
    case 'create-folder': {
      if (!dryRun) {
        summary.requests.createFolder++;
        try {
          await client.createFolder(op.remote);
        } catch (err) {
          // an existing folder is what we want; a firmware without Create-Folder (Buddy < 5.1) lets the upload make it
          if (isPrusaLinkError(err, 'FILE_EXISTS') || isPrusaLinkError(err, 'UNSUPPORTED')) return undefined;
          return failure(op.rel + '/', err);
        }
      }
      summary.created.push({ path: op.rel === '' ? '' : op.rel + '/', remote: op.remote });
      return undefined;
    }
    case 'upload': {
      const { file, existing, reason, sha256 } = op.up;
      if (!dryRun) {
        try {
          summary.requests.upload++;
          const result = await client.upload({ file: file.abs }, op.remote, { overwrite: !!existing, signal: ctx.signal });
          const after = await restat(file);
          // a file rewritten during its upload is not recorded: the next sync sends it again
          if (after && after.size === file.size && after.mtimeMs === file.mtimeMs) {
            const rec: ManifestRecord = { size: file.size, mtime: file.mtimeMs, sha256, remoteSize: file.size };
            if (result.file?.m_timestamp !== undefined) rec.remoteMtime = result.file.m_timestamp;
            ctx.records[file.rel] = rec;
          } else {
            delete ctx.records[file.rel];
          }
        } catch (err) {
          return failure(file.rel, err);
        }
      }
      summary.uploaded.push({ path: file.rel, remote: op.remote, size: file.size, reason });
      return undefined;
    }
    case 'delete': {
      if (!dryRun) {
        summary.requests.delete++;
        try {
          await client.delete(op.remote);
        } catch (err) {
          if (!isPrusaLinkError(err, 'NOT_FOUND')) return failure(op.rel, err);
        }
        if (!op.folder) delete ctx.records[op.rel];
      }
      summary.deleted.push({ path: op.rel, remote: op.remote });
      return undefined;
    }
  }
}

function failure(rel: string, err: unknown): FailedItem {
  if (err instanceof PrusaLinkError) return { path: rel, code: err.code, message: err.message };
  const e = err as NodeJS.ErrnoException;
  if (e?.name === 'AbortError') return { path: rel, code: 'ABORTED', message: 'sync cancelled' };
  const code: ErrorCode | 'LOCAL_IO' = e?.code && /^E[A-Z]+$/.test(e.code) ? 'LOCAL_IO' : 'PROTOCOL';
  return { path: rel, code, message: e?.message ?? String(err) };
}

/** A watch node reports absolute paths; the sync compares paths relative to the local folder. */
function relativeHint(localFolder: string, p: string): string {
  const rel = path.isAbsolute(p) ? path.relative(localFolder, p) : p;
  return rel.split(path.sep).join('/');
}
