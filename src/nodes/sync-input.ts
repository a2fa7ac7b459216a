/**
 * What the sync node reads from its settings and the msg: the folders, a dry run, the changed path a watch node
 * reports, and the changes that need no sync at all.
 */
import * as path from 'node:path';
import type { NodeAPI } from 'node-red';
import type { InputMsg } from './types';
import { optionalText, requireText, type MsgFields } from './msg-fields';

export interface SyncParams {
  localFolder: string;
  remoteFolder: string;
  dryRun: boolean;
}

export function syncParamsOf(
  RED: NodeAPI,
  fields: MsgFields,
  config: { folder: string; target: string; dryRun: boolean },
  msg: InputMsg,
): SyncParams {
  const localFolder = requireText(RED, fields.pick(config.folder, msg, 'folder'), 'folder');
  const target = fields.pick(config.target, msg, 'target');
  return {
    localFolder: path.resolve(localFolder),
    remoteFolder: optionalText(RED, target, 'target') ?? '',
    // a dry run asked for by the msg is always honoured: it can only make the node do less
    dryRun: config.dryRun === true || msg.dryRun === true,
  };
}

/** A watch node sends the changed file's full path in msg.filename (and msg.payload): a hint, if inside the folder. */
export function changedPathOf(msg: InputMsg, localFolder: string): string | undefined {
  const p = typeof msg.filename === 'string' ? msg.filename : typeof msg.payload === 'string' ? msg.payload : undefined;
  if (!p || !path.isAbsolute(p)) return undefined;
  const rel = path.relative(localFolder, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? p : undefined;
}

/**
 * A watch node also reports the sync's own manifest writes (a dot-file in the watched folder by default):
 * syncing on those would only loop. Dot-files are never synced, so their changes need no sync.
 */
export function isIgnoredChange(msg: InputMsg, manifest: string | undefined): boolean {
  const p = typeof msg.filename === 'string' ? msg.filename : undefined;
  if (!p || !path.isAbsolute(p)) return false;
  return path.basename(p).startsWith('.') || (!!manifest && path.resolve(manifest) === p);
}
