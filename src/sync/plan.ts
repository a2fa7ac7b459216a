/**
 * Decides, file by file, what the printer needs: upload (new or changed), delete (extra), or nothing. Content is
 * hashed only when size or time say the file may have changed, so an unchanged folder costs no reading.
 */
import type { Family } from '../client/types';
import { sha256File } from './hash';
import type { LocalFile } from './local-scan';
import type { ManifestRecord } from './manifest';
import { nameKey, printability } from './printable';
import type { RemoteItem, RemoteTree } from './remote-tree';
import type { SkippedItem, SyncedItem } from './types';

export interface UploadOp {
  file: LocalFile;
  /** The printer's current file when this replaces one. */
  existing?: RemoteItem;
  reason: NonNullable<SyncedItem['reason']>;
  sha256: string;
}

export interface DeleteOp {
  rel: string;
  item: RemoteItem;
}

export interface FilePlan {
  uploads: UploadOp[];
  deletes: DeleteOp[];
  unchanged: string[];
  kept: string[];
  skipped: SkippedItem[];
  /** Manifest records learnt while planning (a touched but identical file, a printer time seen for the first time). */
  learned: Record<string, ManifestRecord>;
  /** Manifest records about files gone from both sides. */
  forget: string[];
}

export interface PlanInput {
  family: Family;
  local: LocalFile[];
  remote: RemoteTree;
  records: Readonly<Record<string, ManifestRecord>>;
  deleteExtras: boolean;
  /** Whether the printer keeps folders; MINI 4.4.1 only has its root. */
  folders: boolean;
  /** Relative paths the caller says changed: hashed even when size and time match. */
  hinted: ReadonlySet<string>;
}

/** FAT keeps times to 2 s; allowing this much avoids calling a file older than the upload that made it. */
const FAT_TIME_SLACK_MS = 2000;

export async function planFiles(input: PlanInput): Promise<FilePlan> {
  const { family, remote, records } = input;
  const plan: FilePlan = { uploads: [], deletes: [], unchanged: [], kept: [], skipped: [], learned: {}, forget: [] };
  const localKeys = new Set<string>();
  const skippedFolders = new Set<string>();

  for (const file of input.local) {
    const kind = printability(family, file.rel);
    if (kind === 'ignored') continue;
    const slash = file.rel.indexOf('/');
    if (!input.folders && slash >= 0) {
      const top = file.rel.slice(0, slash);
      if (!skippedFolders.has(top)) {
        skippedFolders.add(top);
        plan.skipped.push({
          path: `${top}/`,
          code: 'FOLDERS_UNSUPPORTED',
          reason: 'this printer (MINI firmware 4.4) keeps files in its root only; files in subfolders are not synced',
        });
      }
      continue;
    }
    if (kind === 'unsupported') {
      plan.skipped.push({ path: file.rel, code: 'UNSUPPORTED_FILE', reason: 'this printer does not print binary G-code (.bgcode)' });
      continue;
    }
    const key = nameKey(family, file.rel);
    if (localKeys.has(key)) {
      plan.skipped.push({ path: file.rel, code: 'NAME_CONFLICT', reason: 'another local file has the same name apart from letter case' });
      continue;
    }
    localKeys.add(key);
    await planOne(plan, file, remote.files.get(key), records[file.rel], input.hinted.has(file.rel));
  }

  for (const [key, item] of remote.files) {
    if (localKeys.has(key)) continue;
    if (input.deleteExtras) plan.deletes.push({ rel: item.rel, item });
    else plan.kept.push(item.rel);
  }
  for (const rel of Object.keys(records)) {
    const key = nameKey(family, rel);
    if (!localKeys.has(key) && !remote.files.has(key)) plan.forget.push(rel);
  }
  return plan;
}

async function planOne(plan: FilePlan, file: LocalFile, item: RemoteItem | undefined, record: ManifestRecord | undefined, hinted: boolean) {
  if (!item) {
    plan.uploads.push({ file, reason: 'new', sha256: await sha256File(file.abs) });
    return;
  }
  const remoteSize = item.entry.size;
  const remoteMtime = item.entry.m_timestamp;
  if (record) {
    const replacedOnPrinter =
      (remoteSize !== undefined && record.remoteSize !== undefined && remoteSize !== record.remoteSize) ||
      (remoteMtime !== undefined && record.remoteMtime !== undefined && remoteMtime !== record.remoteMtime);
    if (replacedOnPrinter) {
      plan.uploads.push({ file, existing: item, reason: 'changed-on-printer', sha256: await sha256File(file.abs) });
      return;
    }
    const sameStat = record.size === file.size && record.mtime === file.mtimeMs;
    const sha256 = sameStat && !hinted ? record.sha256 : await sha256File(file.abs);
    if (sha256 === record.sha256) {
      plan.unchanged.push(file.rel);
      const learnt = { ...record, size: file.size, mtime: file.mtimeMs };
      if (record.remoteMtime === undefined && remoteMtime !== undefined) learnt.remoteMtime = remoteMtime;
      if (record.remoteSize === undefined && remoteSize !== undefined) learnt.remoteSize = remoteSize;
      if (JSON.stringify(learnt) !== JSON.stringify(record)) plan.learned[file.rel] = learnt;
      return;
    }
    plan.uploads.push({ file, existing: item, reason: 'changed', sha256 });
    return;
  }
  // No record: only a printer that lists size and time (Pi PrusaLink) lets an existing file be taken as the same;
  // elsewhere it is sent again, once, and recorded.
  const sha256 = await sha256File(file.abs);
  if (remoteSize === file.size && remoteMtime !== undefined && remoteMtime * 1000 >= file.mtimeMs - FAT_TIME_SLACK_MS) {
    plan.unchanged.push(file.rel);
    plan.learned[file.rel] = { size: file.size, mtime: file.mtimeMs, sha256, remoteSize, remoteMtime };
    return;
  }
  plan.uploads.push({ file, existing: item, reason: 'changed', sha256 });
}

/** Printer folders that must exist for the uploads, parents first (relative paths; '' is the synced folder). */
export function foldersToCreate(plan: FilePlan, remote: RemoteTree, family: Family, rootMissing: boolean): string[] {
  const needed = new Set<string>();
  for (const up of plan.uploads) {
    const parts = up.file.rel.split('/').slice(0, -1);
    needed.add(''); // the synced folder itself: kept below only when it is missing
    for (let i = 1; i <= parts.length; i++) needed.add(parts.slice(0, i).join('/'));
  }
  return [...needed]
    .filter((rel) => (rel === '' ? rootMissing : !remote.folders.has(nameKey(family, rel))))
    .sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : 1));
}

/**
 * Printer folders to delete after the file deletes: folders with no local counterpart holding printable files whose
 * every entry is deleted too. Deepest first, so that each is empty when its turn comes.
 */
export function foldersToDelete(plan: FilePlan, remote: RemoteTree, family: Family, local: LocalFile[]): RemoteItem[] {
  const deletedFiles = new Set(plan.deletes.map((d) => d.item.entry.path));
  const localDirs = new Set<string>();
  for (const f of local) {
    if (printability(family, f.rel) !== 'printable') continue;
    const parts = f.rel.split('/');
    for (let i = 1; i < parts.length; i++) localDirs.add(nameKey(family, parts.slice(0, i).join('/')));
  }
  const doomed = new Map<string, RemoteItem>();
  const goes = (item: RemoteItem): boolean => {
    const key = nameKey(family, item.rel);
    if (localDirs.has(key)) return false;
    if (doomed.has(key)) return true;
    for (const child of item.entry.children ?? []) {
      if (child.type === 'FOLDER') {
        const sub = remote.folders.get(nameKey(family, `${item.rel}/${child.display_name || child.name}`));
        if (!sub || !goes(sub)) return false;
      } else if (!deletedFiles.has(child.path)) return false;
    }
    doomed.set(key, item);
    return true;
  };
  for (const item of remote.folders.values()) goes(item);
  return [...doomed.values()].sort((a, b) => depth(b.rel) - depth(a.rel) || (a.rel < b.rel ? -1 : 1));
}

function depth(rel: string): number {
  return rel === '' ? 0 : rel.split('/').length;
}
