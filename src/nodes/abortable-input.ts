/**
 * The input handler of nodes whose work outlives a deploy (uploads, syncs): every msg taken and not yet answered
 * ends AT ONCE with ABORTED through done(err) when the node stops, queued or running.
 *
 * "At once" matters: a full deploy closes every node of the flow in one synchronous loop, Catch nodes first when
 * they come first, and an error handed to done() later goes to a closed Catch node, is counted as handled and is
 * never logged: the msg is simply lost (an HTTP-in flow hangs). So the msgs are ended when the runtime announces
 * the stop (`flows:stopping`, before any node is closed) if the stop includes this node, and in the close handler
 * for any stop that announcement did not cover.
 */
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import type { CodedError, InputMsg } from './types';
import { asCodedError, codedError, errorStatus } from './errors';

interface PendingMsg {
  controller: AbortController;
  done: (err?: Error) => void;
}

/** The runtime's `flows:stopping` event: what a deploy is about to stop. */
interface StoppingInfo {
  type?: string;
  diff?: { changed?: string[]; removed?: string[]; rewired?: string[]; linked?: string[]; flowChanged?: string[] };
}

/** Whether a deploy of this kind stops the node (the same lists Node-RED's flows.stop uses). */
export function stopsNode(info: StoppingInfo, node: { id: string; z?: string }): boolean {
  if (info.type === 'full' || !info.diff) return true;
  const d = info.diff;
  const ids = [...(d.changed ?? []), ...(d.removed ?? [])];
  if (info.type === 'flows') ids.push(...(d.rewired ?? []), ...(d.linked ?? []));
  if (ids.includes(node.id)) return true;
  return node.z !== undefined && [...(d.flowChanged ?? []), ...(d.removed ?? [])].includes(node.z);
}

/**
 * Registers the input handler. `work` gets the msg and a signal that aborts when the node stops; it returns the
 * msg to send, or null to send nothing. `abortedText` words the ABORTED error each pending msg ends with.
 */
export function onAbortableInput(
  RED: NodeAPI,
  node: Node,
  abortedText: () => string,
  work: (msg: InputMsg, signal: AbortSignal) => Promise<NodeMessage | null>,
): void {
  const pending = new Set<PendingMsg>();
  let stopped = false;

  function endAll(): void {
    stopped = true;
    for (const p of [...pending]) {
      pending.delete(p);
      const err = codedError('ABORTED', abortedText());
      p.controller.abort(err);
      p.done(err);
    }
    node.status({});
  }

  const onStopping = (info: StoppingInfo): void => {
    if (stopsNode(info, node as Node & { z?: string })) endAll();
  };
  RED.events.on('flows:stopping', onStopping);
  node.on('close', (done: () => void) => {
    RED.events.removeListener('flows:stopping', onStopping);
    endAll();
    done();
  });

  // Exactly three plain parameters: the runtime treats the handler as done-aware only if length === 3.
  node.on('input', (msg: NodeMessage, send: (m: NodeMessage) => void, done: (err?: Error) => void) => {
    const p: PendingMsg = { controller: new AbortController(), done };
    if (stopped) p.controller.abort();
    pending.add(p);
    work(msg as InputMsg, p.controller.signal).then(
      (out) => {
        if (!pending.delete(p)) return; // already ended by the stop
        if (out) send(out);
        done();
      },
      (thrown) => {
        if (!pending.delete(p)) return;
        const err: CodedError = asCodedError(thrown);
        node.status(errorStatus(RED, err));
        done(err);
      },
    );
  });
}
