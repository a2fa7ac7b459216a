/**
 * `prusalink-files`: lists a folder (optionally recursively), describes one file, fetches a file's
 * thumbnail (a PNG Buffer) or reads its slicer metadata. Entries carry both the path usable in calls
 * (8.3 on Buddy) and the long display path.
 */
import type { NodeAPI } from 'node-red';
import type { FlowNodeDef } from './types';
import { registerFlowNode } from './controller';
import { optionalText, requireText } from './msg-fields';
import { putPicture, thumbnailSize } from './thumbnail-output';
import { readRemoteMetadata } from './metadata-remote';
import { printerTarget, verdict } from './metadata-check';

interface FilesDef extends FlowNodeDef {
  mode: 'list' | 'info' | 'thumbnail' | 'metadata';
  path: string;
  recursive: boolean;
  /** Thumbnail size: `small`, `large`, or blank for msg.size (default large). */
  size?: string;
}

export = function (RED: NodeAPI) {
  registerFlowNode<FilesDef>(RED, 'prusalink-files', (ctl) => {
    const { config } = ctl;
    ctl.onInput(async (msg, turn) => {
      const picked = ctl.fields.pick(config.path, msg, 'path');
      const client = ctl.client();
      turn.working();
      if (config.mode === 'info') {
        const path = requireText(RED, picked, 'path');
        msg.payload = await client.fileInfo(path);
        msg.path = path;
      } else if (config.mode === 'thumbnail') {
        const path = requireText(RED, picked, 'path');
        putPicture(msg, await client.thumbnail(path, thumbnailSize(config.size, msg.size)), path);
        msg.path = path;
      } else if (config.mode === 'metadata') {
        const path = requireText(RED, picked, 'path');
        const { metadata, bytesRead } = await readRemoteMetadata(client, path);
        const target = await printerTarget(client);
        msg.payload = metadata;
        msg.compatibility = verdict(metadata, target);
        msg.path = path;
        msg.bytesRead = bytesRead;
      } else {
        const listing = await client.list(optionalText(RED, picked, 'path'), { recursive: config.recursive === true });
        msg.payload = listing.entries;
        msg.path = listing.path;
        msg.foldersListed = listing.foldersListed;
        turn.done(RED._('prusalink-files.status.entries', { count: listing.entries.length }));
        return msg;
      }
      turn.done();
      return msg;
    });
  });
};
