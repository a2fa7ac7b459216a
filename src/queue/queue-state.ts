/**
 * The queue's persisted state and the pure changes made to it: what a job becomes when a copy finishes, when a
 * print fails, when a start must be tried again. print-queue.ts does the I/O around these.
 */
import type { PersistedQueue, QueueEvent, QueueEventName, QueueJob, QueueSnapshot, WaitingFor } from './types';

export function emptyState(): PersistedQueue {
  return { version: 1, paused: false, jobs: [] };
}

/** A persisted state read back (a context store or a file a user may have edited): only what can be trusted. */
export function loadedState(data: PersistedQueue | undefined): PersistedQueue {
  if (!data || typeof data !== 'object' || data.version !== 1 || !Array.isArray(data.jobs)) return emptyState();
  const ok = (j: QueueJob | undefined): j is QueueJob =>
    !!j && typeof j.id === 'string' && !!j.source && typeof j.copies === 'number' && typeof j.copiesDone === 'number';
  const out: PersistedQueue = { version: 1, paused: data.paused === true, jobs: data.jobs.filter(ok).map(cloneJob) };
  if (ok(data.current)) out.current = cloneJob(data.current);
  if (data.awaitingBedClear) out.awaitingBedClear = true;
  if (data.confirmedEnd) out.confirmedEnd = true;
  return out;
}

/**
 * What the queue waits for as far as its state tells without a look at the printer (the first poll refines it): the
 * same order of checks as the poll step, so a loaded paused queue says 'paused' from the start, not 'nothing'.
 */
export function knownWaiting(state: PersistedQueue): WaitingFor {
  if (state.current) return 'printing';
  if (state.paused) return 'paused';
  return state.jobs.length ? 'nothing' : 'empty';
}

export function cloneJob(job: QueueJob): QueueJob {
  return structuredClone(job);
}

export function snapshot(state: PersistedQueue, waitingFor: WaitingFor): QueueSnapshot {
  const out: QueueSnapshot = { paused: state.paused, waitingFor, jobs: state.jobs.map(cloneJob) };
  if (state.current) out.current = cloneJob(state.current);
  return out;
}

export function queueEvent(event: QueueEventName, job: QueueJob | undefined, at: number, extra: Partial<QueueEvent> = {}): QueueEvent {
  const out: QueueEvent = { event, at: new Date(at).toISOString(), ...extra };
  if (job) out.job = cloneJob(job);
  return out;
}

/** Back to waiting at the head of the queue, ready to be started again (the printer's job of the last try forgotten). */
export function requeueAtHead(state: PersistedQueue, job: QueueJob): void {
  job.state = 'queued';
  delete job.printerJobId;
  delete job.startedAt;
  if (state.current === job) delete state.current;
  state.jobs.unshift(job);
}

/** Where an index among the waiting jobs lands: past the end means the end. */
export function clampIndex(index: number, length: number): number {
  return Math.min(index, length);
}
