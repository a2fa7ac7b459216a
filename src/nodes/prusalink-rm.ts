/**
 * `prusalink-rm`: deletes a file, a folder with what it holds, or every file in a folder. Deleting a
 * storage root or the file being printed needs an explicit option, and is refused before any delete
 * request otherwise.
 */
import type { NodeAPI } from 'node-red';
import type { PrusaLinkClient } from '../client';
import type { StorageInfo } from '../client/types';
import type { FlowNodeDef } from './types';
import { registerFlowNode } from './controller';
import { requireText } from './msg-fields';
import { codedError } from './errors';
import { fullPath, isStorageRoot, touchesFile } from './rm-guards';
import { parseUserPath } from '../client/files/paths';

interface RmDef extends FlowNodeDef {
  path: string;
  /** `file`, `folder` (with its content) or `all-files` (every file in the folder, folders kept). */
  mode: 'file' | 'folder' | 'all-files';
  allowRoot: boolean;
  allowPrinted: boolean;
}

export = function (RED: NodeAPI) {
  registerFlowNode<RmDef>(RED, 'prusalink-rm', (ctl) => {
    const { config } = ctl;
    const mode = config.mode || 'file';

    /** Returns the path in the form `deleted` reports: full, from the storage (`/usb/old/part.gcode`). */
    async function refuseUnsafe(client: PrusaLinkClient, path: string): Promise<string> {
      const profile = await client.detect();
      const storages = profile.storages.map((s: StorageInfo) => s.name.toLowerCase());
      if (!config.allowRoot && (path.trim() === '' || isStorageRoot(path, storages))) {
        throw codedError('INVALID_PATH', RED._('prusalink-rm.errors.root', { path }));
      }
      // A path the client would refuse anyway is refused before the job is asked for, so it costs no request.
      const parsed = parseUserPath(path, storages, profile.defaultStorage);
      const full = '/' + [parsed.storage, ...parsed.segments].join('/');
      // MINI 4.4.1 has no folder API: a folder delete would answer "Could not delete"; all-files on the root is fine.
      if (profile.family === 'mini-legacy' && mode !== 'file' && !isStorageRoot(path, storages)) {
        throw codedError('UNSUPPORTED', RED._('prusalink-rm.errors.miniFolders', { path }));
      }
      if (config.allowPrinted) return full;
      const job = await client.job();
      const file = job?.file;
      if (!file) return full;
      const target = fullPath(path, profile.defaultStorage);
      const printed = [file.path, file.display_path].filter((p): p is string => !!p).map((p) => fullPath(p, profile.defaultStorage));
      if (printed.some((p) => touchesFile(target, p, mode !== 'file'))) {
        throw codedError('FILE_BUSY', RED._('prusalink-rm.errors.printed', { path }));
      }
      return full;
    }

    /**
     * Every file directly in `folder`, deleted one by one (like the client's deleteAllFiles), reported by its long
     * display path: Buddy's 8.3 `path` is what the printer is asked with, not a name a user knows.
     */
    async function deleteFilesIn(client: PrusaLinkClient, folder: string): Promise<string[]> {
      const deleted: string[] = [];
      for (const entry of (await client.list(folder)).entries) {
        if (entry.type === 'FOLDER') continue;
        await client.delete(entry.path);
        deleted.push(entry.display_path ?? entry.path);
      }
      return deleted;
    }

    ctl.onInput(async (msg, turn) => {
      const picked = ctl.fields.pick(config.path, msg, 'path');
      // A blank path is the storage root for the folder modes; it must be asked for, never assumed.
      const path = mode === 'file' || (picked !== undefined && picked !== '') ? requireText(RED, picked, 'path') : '';
      const client = ctl.client();
      turn.working('deleting');
      const full = await refuseUnsafe(client, path);
      let deleted: string[];
      if (mode === 'all-files') {
        deleted = await deleteFilesIn(client, path);
      } else {
        await client.delete(path, { recursive: mode === 'folder' });
        deleted = [full];
      }
      msg.path = path;
      msg.payload = { deleted };
      turn.done(RED._('prusalink-rm.status.deleted', { count: deleted.length }));
      return msg;
    });
  });
};
