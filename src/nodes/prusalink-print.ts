/**
 * `prusalink-print`: starts printing a file already on the printer. The path comes from the node, or
 * from msg.path, or from a string msg.payload. A printer that cannot start now (MINI 4.4.1 off its
 * main screen, a print running) fails with the client's NOT_READY / PRINTER_BUSY error.
 */
import type { NodeAPI } from 'node-red';
import type { FlowNodeDef } from './types';
import { registerFlowNode } from './controller';
import { requireText } from './msg-fields';
import { statusOf } from './node-status';
import { sharedText } from './i18n';

interface PrintDef extends FlowNodeDef {
  path: string;
}

export = function (RED: NodeAPI) {
  registerFlowNode<PrintDef>(RED, 'prusalink-print', (ctl) => {
    ctl.onInput(async (msg, turn) => {
      const picked = ctl.fields.pick(ctl.config.path, msg, 'path') ?? (typeof msg.payload === 'string' ? msg.payload : undefined);
      const path = requireText(RED, picked, 'path');
      const client = ctl.client();
      turn.working('starting');
      await client.print(path);
      msg.path = path;
      msg.payload = { path, started: true };
      // Blue, not green: the node's work is done, the printer's has begun.
      turn.finish(statusOf.working(sharedText(RED, 'state.printing')));
      return msg;
    });
  });
};
