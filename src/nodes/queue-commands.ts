/**
 * The queue node's commands: each msg.action as a call on the PrintQueue, run one after the other in the order the
 * msgs came (three adds in a row queue three jobs in that order, even when one of them reads a local file first),
 * and the reporter of errors no msg caused.
 */
import type { NodeAPI } from 'node-red';
import type { PrintQueue, QueueSnapshot } from '../queue';
import type { FlowNodeDef, InputMsg } from './types';
import type { FlowController } from './controller';
import { asCodedError } from './errors';
import { addRequestOf, jobIdOf, positionOf, type QueueAction } from './queue-input';

export function runCommand(RED: NodeAPI, queue: PrintQueue, action: QueueAction, msg: InputMsg, baseFolder: string): Promise<QueueSnapshot> | QueueSnapshot {
  switch (action) {
    case 'add':
      return addRequestOf(RED, msg, baseFolder).then((request) => queue.add(request));
    case 'remove':
      return queue.remove(jobIdOf(RED, msg));
    case 'move':
      return queue.move(jobIdOf(RED, msg), positionOf(RED, msg, true) as number);
    case 'clear':
      return queue.clear();
    case 'pause-queue':
      return queue.pauseQueue();
    case 'resume-queue':
      return queue.resumeQueue();
    case 'bed-cleared':
      return queue.bedCleared();
    case 'list':
      return queue.list();
  }
}

/** Runs work one at a time, in the order it was handed in, after `first` (the queue's start). */
export function oneAfterAnother(first: Promise<unknown>): <T>(work: () => Promise<T> | T) => Promise<T> {
  let previous: Promise<unknown> = first;
  return <T>(work: () => Promise<T> | T) => {
    const result = previous.catch(() => undefined).then(work);
    previous = result.catch(() => undefined);
    return result;
  };
}

/**
 * Errors of the queue's own work (a poll, a save, a start that failed): no input msg caused them, so each goes to
 * Catch nodes with a msg of its own, and to the log. The same error again in a row is said once: a printer that
 * keeps failing must not flood the log; `reset` (the queue works again) lets the next one be said.
 */
export function backgroundReporter<C extends FlowNodeDef>(ctl: FlowController<C>): ((thrown: unknown) => void) & { reset(): void } {
  let last = '';
  const report = (thrown: unknown) => {
    if (ctl.closed) return;
    const err = asCodedError(thrown);
    const said = `${err.code}: ${err.message}`;
    if (said === last) return;
    last = said;
    ctl.node.error(err, { topic: 'error', payload: { code: err.code, message: err.message } });
  };
  return Object.assign(report, { reset: () => (last = '') });
}
