/**
 * `prusalink-print`: starts printing a file already on the printer. The path comes from the node, or
 * from msg.path, or from a string msg.payload. A printer that cannot start now (MINI 4.4.1 off its
 * main screen, a print running) fails with the client's NOT_READY / PRINTER_BUSY error.
 */
import type { NodeAPI, Node } from 'node-red';
import type { FlowNodeDef } from './types';
import { MsgFields, clientOf, onInput, printerOf, requireText, workingStatus } from './flow-node';
import { sharedText } from './i18n';

interface PrintDef extends FlowNodeDef {
  path: string;
}

export = function (RED: NodeAPI) {
  function PrusaLinkPrint(this: Node, config: PrintDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const printer = printerOf(RED, node, config);
    const fields = new MsgFields(RED, node);

    onInput(RED, node, async (msg) => {
      const picked = fields.pick(config.path, msg, 'path') ?? (typeof msg.payload === 'string' ? msg.payload : undefined);
      const path = requireText(RED, picked, 'path');
      const client = clientOf(RED, printer);
      node.status(workingStatus(RED, 'starting'));
      await client.print(path);
      msg.path = path;
      msg.payload = { path, started: true };
      node.status({ fill: 'blue', shape: 'dot', text: sharedText(RED, 'state.printing') });
      return msg;
    });

    node.on('close', (done: () => void) => {
      node.status({});
      done();
    });
  }

  RED.nodes.registerType('prusalink-print', PrusaLinkPrint);
};
