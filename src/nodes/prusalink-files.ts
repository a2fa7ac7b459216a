/**
 * `prusalink-files`: lists a folder (optionally recursively) or describes one file. Entries carry
 * both the path usable in calls (8.3 on Buddy) and the long display path.
 */
import type { NodeAPI, Node } from 'node-red';
import type { FlowNodeDef } from './types';
import { MsgFields, clientOf, onInput, printerOf, requireText, workingStatus } from './flow-node';
import { sharedText } from './i18n';

interface FilesDef extends FlowNodeDef {
  mode: 'list' | 'info';
  path: string;
  recursive: boolean;
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
      const folder = typeof picked === 'string' && picked.trim() !== '' ? picked.trim() : undefined;
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
