/**
 * `prusalink-files`: lists a folder (optionally recursively), describes one file, fetches a file's
 * thumbnail (a PNG Buffer) or reads its slicer metadata. Entries carry both the path usable in calls
 * (8.3 on Buddy) and the long display path.
 */
import type { NodeAPI, Node } from 'node-red';
import type { FlowNodeDef } from './types';
import { MsgFields, clientOf, onInput, optionalText, printerOf, requireText, workingStatus } from './flow-node';
import { sharedText } from './i18n';
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
  function PrusaLinkFiles(this: Node, config: FilesDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const printer = printerOf(RED, node, config);
    const fields = new MsgFields(RED, node);

    onInput(RED, node, async (msg) => {
      const picked = fields.pick(config.path, msg, 'path');
      const client = clientOf(RED, printer);
      node.status(workingStatus(RED));
      if (config.mode === 'info') {
        const path = requireText(RED, picked, 'path');
        msg.payload = await client.fileInfo(path);
        msg.path = path;
        node.status({ fill: 'green', shape: 'dot', text: sharedText(RED, 'state.done') });
        return msg;
      }
      if (config.mode === 'thumbnail') {
        const path = requireText(RED, picked, 'path');
        putPicture(msg, await client.thumbnail(path, thumbnailSize(config.size, msg.size)), path);
        msg.path = path;
        node.status({ fill: 'green', shape: 'dot', text: sharedText(RED, 'state.done') });
        return msg;
      }
      if (config.mode === 'metadata') {
        const path = requireText(RED, picked, 'path');
        const { metadata, bytesRead } = await readRemoteMetadata(client, path);
        const target = await printerTarget(client);
        msg.payload = metadata;
        msg.compatibility = verdict(metadata, target);
        msg.path = path;
        msg.bytesRead = bytesRead;
        node.status({ fill: 'green', shape: 'dot', text: sharedText(RED, 'state.done') });
        return msg;
      }
      const folder = optionalText(RED, picked, 'path');
      const listing = await client.list(folder, { recursive: config.recursive === true });
      msg.payload = listing.entries;
      msg.path = listing.path;
      msg.foldersListed = listing.foldersListed;
      node.status({
        fill: 'green',
        shape: 'dot',
        text: RED._('prusalink-files.status.entries', { count: listing.entries.length }),
      });
      return msg;
    });

    node.on('close', (done: () => void) => {
      node.status({});
      done();
    });
  }

  RED.nodes.registerType('prusalink-files', PrusaLinkFiles);
};
