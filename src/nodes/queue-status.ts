/**
 * The queue node's status dot: how many jobs wait and what the queue waits for ("3 queued · waiting for bed clear",
 * "printing 1/3 · 2 queued", "offline · 2 queued"). The colour follows node-status.ts: blue while a print runs or
 * the queue waits its turn, a yellow ring when a person must act (bed, screen) or the printer is away, grey at rest.
 */
import type { NodeAPI, NodeStatus } from 'node-red';
import type { QueueSnapshot, WaitingFor } from '../queue';
import { statusOf } from './node-status';

/** Catalogue key (under `prusalink-queue.status.waiting.`) of each thing the queue can wait for. */
const WAITING_KEY: Partial<Record<WaitingFor, string>> = {
  'start-time': 'startTime',
  'printer-busy': 'printerBusy',
  'bed-clear': 'bedClear',
  'main-screen': 'mainScreen',
};

/** Jobs waiting their turn; the current job counts too while it is not printing (copies left after a print). */
export function queuedCount(snapshot: QueueSnapshot): number {
  const current = snapshot.current;
  const waiting = snapshot.jobs.filter((job) => job.id !== current?.id).length;
  return current && !isPrinting(snapshot) ? waiting + 1 : waiting;
}

function isPrinting(snapshot: QueueSnapshot): boolean {
  const current = snapshot.current;
  if (!current || snapshot.waitingFor === 'bed-clear' || snapshot.waitingFor === 'main-screen') return false;
  return snapshot.waitingFor === 'printing' || current.state !== 'queued';
}

export function queueStatus(RED: NodeAPI, snapshot: QueueSnapshot): NodeStatus {
  const t = (key: string, vars?: Record<string, string | number>) => RED._('@makerflows/node-red-prusalink/prusalink-queue:prusalink-queue.status.' + key, vars);
  const count = queuedCount(snapshot);
  const queued = t('queued', { count });
  const join = (...parts: string[]) => parts.join(' · ');
  const w = snapshot.waitingFor;
  if (w === 'offline') return statusOf.attention(join(t('waiting.offline'), queued));
  const current = snapshot.current;
  if (current && isPrinting(snapshot)) {
    const printing = t('printing', { copy: Math.min(current.copiesDone + 1, current.copies), copies: current.copies });
    return statusOf.working(count > 0 ? join(printing, queued) : printing);
  }
  if (snapshot.paused) return statusOf.idle(join(t('waiting.paused'), queued));
  if (count === 0) return statusOf.idle(t('empty'));
  const key = WAITING_KEY[w];
  if (!key) return statusOf.queued(queued);
  const words = join(queued, t('waiting.' + key));
  return w === 'bed-clear' || w === 'main-screen' ? statusOf.attention(words) : statusOf.queued(words);
}
