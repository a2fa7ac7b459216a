/**
 * `prusalink-queue`: a print queue per printer that survives a restart. The node owns one PrintQueue (src/queue)
 * for its printer: it starts it on deploy (the persisted queue is loaded and a running print recognised as its job)
 * and stops it on close (the state stays persisted, so a redeploy or a restart goes on where it was). Msgs are
 * commands by msg.action; output 1 is the queue after each change, output 2 the events for notification flows.
 */
import type { NodeAPI, NodeMessage } from 'node-red';
import { PrintQueue, type QueueEvent, type QueueSnapshot } from '../queue';
import type { FlowNodeDef } from './types';
import { registerFlowNode } from './controller';
import { asCodedError, errorStatus } from './errors';
import { queueStatus } from './queue-status';
import { queueStorageFor, type StorageSetting } from './queue-storage';
import { actionOf } from './queue-input';
import { backgroundReporter, oneAfterAnother, runCommand } from './queue-commands';
import { seconds } from './printer-options';
import type { PrusaLinkClient } from '../client';

interface QueueDef extends FlowNodeDef {
  /** `printer`: the printer's own confirmation on its screen clears the bed; `flow`: msg.action "bed-cleared". */
  bedClear: 'printer' | 'flow';
  /** Seconds between looks at the printer. */
  pollInterval: string;
  /** `auto`: a persistent context store if one is configured, else a file; `file`: always the file. */
  storage: StorageSetting;
  /** The only folder msg.file may name a local file in; blank: local files are refused. */
  baseFolder: string;
}

const DEFAULT_POLL_S = 2;
const MIN_POLL_S = 0.1;

type Outputs = [NodeMessage | null, NodeMessage | null];

export = function (RED: NodeAPI) {
  registerFlowNode<QueueDef>(RED, 'prusalink-queue', (ctl) => {
    const { node, config } = ctl;
    let client: PrusaLinkClient;
    try {
      client = ctl.client();
    } catch (thrown) {
      // No printer, or settings it cannot use: a red ring now, and each msg fails with the same error for Catch.
      ctl.show(errorStatus(RED, asCodedError(thrown)));
      ctl.onInput(async () => {
        ctl.client();
        return null;
      });
      return;
    }
    const { storage, where } = queueStorageFor(RED, node, config.storage);
    const queue = new PrintQueue({
      client,
      storage,
      bedClear: config.bedClear === 'flow' ? 'flow' : 'printer',
      pollMs: Math.round(Math.max(MIN_POLL_S, seconds(config.pollInterval, DEFAULT_POLL_S)) * 1000),
    });
    node.log(RED._('prusalink-queue.log.storage', { where }));

    const report = backgroundReporter(ctl);
    let commandsInFlight = 0;
    let lastSent = '';
    queue.on('change', (snapshot: QueueSnapshot) => {
      ctl.show(queueStatus(RED, snapshot));
      if (snapshot.waitingFor !== 'offline') report.reset();
      // A command's own change goes out as its reply (the msg it came with); the engine's own changes (a print
      // started or ended, a wait begun) go out here, once each.
      if (commandsInFlight > 0 || JSON.stringify(snapshot) === lastSent) return;
      lastSent = JSON.stringify(snapshot);
      node.send([{ topic: 'queue', payload: snapshot }, null] as Outputs);
    });
    queue.on('event', (event: QueueEvent) => {
      node.send([null, { topic: event.event, payload: event }] as Outputs);
    });
    queue.on('error', report);

    const started = queue.start().then(
      (snapshot) => {
        ctl.show(queueStatus(RED, snapshot));
        return snapshot;
      },
      (thrown: unknown) => {
        report(thrown);
        throw asCodedError(thrown);
      },
    );
    started.catch(() => undefined); // reported above; each msg hears it again from its own await

    const inTurn = oneAfterAnother(started);
    const baseFolder = (config.baseFolder ?? '').trim();

    ctl.onInput(async (msg, turn) => {
      const action = actionOf(RED, msg); // a bad action is refused before anything else
      await started;
      commandsInFlight++;
      try {
        const snapshot = await inTurn(() => runCommand(RED, queue, action, msg, baseFolder));
        turn.finish(queueStatus(RED, snapshot));
        lastSent = JSON.stringify(snapshot);
        msg.topic = 'queue';
        msg.payload = snapshot;
        return [msg, null] as unknown as NodeMessage;
      } finally {
        commandsInFlight--;
      }
    });

    // The queue's state is saved with every change; stopping only ends its polling. Node-RED waits for this before
    // it starts the next deploy's node, so the new one loads what this one saved last.
    node.on('close', (done: () => void) => {
      queue.removeAllListeners('change');
      queue.removeAllListeners('event');
      started
        .catch(() => undefined)
        .then(() => queue.stop())
        .catch((thrown: unknown) => node.warn(asCodedError(thrown).message))
        .then(() => done());
    });
  });
};
