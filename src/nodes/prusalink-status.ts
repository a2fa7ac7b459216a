/**
 * `prusalink-status`: the printer's normalized status, on input or on its own interval through the
 * config node's shared poller; either every poll or only when the state changes (with msg.event).
 */
import type { NodeAPI, NodeMessage } from 'node-red';
import type { PrinterStatus } from '../client/types';
import type { CodedError, FlowNodeDef, PollUpdate } from './types';
import { registerFlowNode } from './controller';
import { errorStatus } from './errors';
import { connectingDot, notConfiguredDot, printerStatusDot, statusDotMemo } from './printer-status-display';
import { StateTracker, outageState, type StateChange } from './status-events';
import { MIN_POLL_S, seconds } from './printer-options';

interface StatusDef extends FlowNodeDef {
  /** Seconds; blank = the printer's default interval, 0 = only on input. */
  interval: string;
  /** `poll`: every poll; `change`: only on a state change. */
  output: 'poll' | 'change';
  topic: string;
}

export = function (RED: NodeAPI) {
  registerFlowNode<StatusDef>(RED, 'prusalink-status', (ctl) => {
    const { node, config, printer } = ctl;
    const tracker = new StateTracker();
    const onChangeOnly = config.output === 'change';
    const intervalS = String(config.interval ?? '').trim();
    const pollDot = statusDotMemo(RED);

    const baseMsg = (): NodeMessage & Record<string, unknown> => ({
      topic: config.topic || printer?.printerName || '',
      printer: printer?.printerName,
    });
    const describe = (msg: Record<string, unknown>, change: StateChange | null) => {
      if (change) {
        msg.event = change.event;
        msg.previous = change.previous;
      }
    };

    function onPoll(update: PollUpdate) {
      if (update.kind === 'down') return reportDown(update.error);
      ctl.show(pollDot(update.status));
      const change = tracker.update(update.status);
      if (onChangeOnly && !change) return;
      const msg = baseMsg();
      msg.payload = update.status;
      describe(msg, change);
      node.send(msg);
    }

    // Called once per outage by the poller (each status node raises its own error, so a Catch scoped to
    // one node sees it): a background error has no input msg, so it goes to Catch nodes with one of its
    // own (an object, or Node-RED would only log it).
    function reportDown(error: CodedError) {
      ctl.show(errorStatus(RED, error));
      const change = tracker.down(error);
      if (!change) return;
      const payload = { state: outageState(error), error: { code: error.code, message: error.message } };
      node.error(error, { ...baseMsg(), payload });
      if (onChangeOnly) {
        const msg = baseMsg();
        msg.payload = payload;
        describe(msg, change);
        node.send(msg);
      }
    }

    ctl.onInput(async (msg, turn) => {
      const status: PrinterStatus = await ctl.client().status();
      turn.finish(printerStatusDot(RED, status));
      describe(msg, tracker.update(status));
      msg.payload = status;
      if (msg.printer === undefined) msg.printer = printer?.printerName;
      return msg;
    });

    if (intervalS !== '0' && printer?.configured === false) {
      ctl.show(notConfiguredDot(RED));
    } else if (intervalS !== '0' && printer) {
      ctl.show(connectingDot(RED));
      const ms = intervalS === '' ? printer.pollIntervalMs : Math.max(MIN_POLL_S, seconds(intervalS, printer.pollIntervalMs / 1000)) * 1000;
      ctl.watch({ onPoll }, ms);
    }
  });
};
