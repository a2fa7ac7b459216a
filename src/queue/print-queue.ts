/**
 * PrintQueue: one persisted queue of print jobs per printer, which starts the next job when the printer can take it
 * (the machine and what a farm user gets from it: queue-core.ts).
 *
 * The flow's commands check their input first (QueueError, before any change or request; the one request is the
 * existence check of a printer file), then make one synchronous change, saved before 'change' is emitted.
 * - remove() of the current job forgets it; it does not stop a print already on the printer (use the job node).
 * - clear() removes the waiting jobs, never the current one. move() reorders the waiting jobs.
 * - bedCleared() confirms the bed is clear: the next job may start (on Buddy even from the end-of-print screen).
 */
import { QueueError } from './errors';
import { errorInfo, isOffline } from './printer-view';
import { QueueCore } from './queue-core';
import { clampIndex, knownWaiting, loadedState } from './queue-state';
import type { AddInput, QueueJob, QueueSnapshot } from './types';
import { newJobId, validAdd, validId, validIndex } from './validate';

/** The client's refusals of a path before any request: bad input of the flow. */
const BAD_PATH = new Set(['INVALID_PATH', 'UNSUPPORTED_FILE', 'NAME_TOO_LONG', 'INVALID_ARGUMENT']);

export class PrintQueue extends QueueCore {
  private loading: Promise<void> | undefined;

  /** Loads the persisted state, then polls: a running print of the current job is recognised at the first look. */
  async start(): Promise<QueueSnapshot> {
    await this.loaded();
    this.firstLook = true;
    this.loop.start();
    return this.list();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.saving;
  }

  /** A command before start() works on the persisted queue too, never on an empty one that would replace it. */
  private loaded(): Promise<void> {
    this.loading ??= this.options.storage.load().then(
      (data) => {
        this.state = loadedState(data);
        this.waitingFor = knownWaiting(this.state);
      },
      (e: unknown) => {
        this.loading = undefined;
        throw e;
      },
    );
    return this.loading;
  }

  // ---- the flow's commands ------------------------------------------------------------------------------------

  async add(input: AddInput): Promise<QueueSnapshot> {
    const valid = await validAdd(input);
    await this.loaded();
    const at = this.now();
    const job: QueueJob = { id: newJobId(at), source: valid.source, copies: valid.copies, copiesDone: 0, addedAt: new Date(at).toISOString(), state: 'queued' };
    if (valid.notBefore) job.notBefore = valid.notBefore;
    if (valid.source.kind === 'printer') {
      const exists = await this.options.client.exists(valid.source.path).catch((e: unknown) => {
        if (isOffline(e)) return undefined; // offline: accepted, checked when its turn comes
        const { code, message } = errorInfo(e);
        if (BAD_PATH.has(code)) throw new QueueError('BAD_INPUT', message);
        throw e;
      });
      if (exists === false) throw new QueueError('FILE_NOT_FOUND', `no file ${valid.source.path} on the printer`);
      if (exists === undefined) job.unchecked = true;
    }
    if (valid.data) await this.options.storage.saveBytes(job.id, valid.data);
    this.state.jobs.splice(clampIndex(valid.position ?? this.state.jobs.length, this.state.jobs.length), 0, job);
    return this.commit();
  }

  async remove(id: string): Promise<QueueSnapshot> {
    const key = validId(id);
    await this.loaded();
    const job = this.findJob(key);
    if (this.state.current === job) delete this.state.current;
    else this.state.jobs.splice(this.state.jobs.indexOf(job), 1);
    return this.commit([], false, [job]);
  }

  async move(id: string, toIndex: number): Promise<QueueSnapshot> {
    const key = validId(id);
    const index = validIndex(toIndex, 'toIndex');
    await this.loaded();
    const job = this.findJob(key);
    if (this.state.current === job) throw new QueueError('BAD_INPUT', `job ${key} is the current job and cannot be moved`);
    const jobs = this.state.jobs;
    jobs.splice(jobs.indexOf(job), 1);
    jobs.splice(clampIndex(index, jobs.length), 0, job);
    return this.commit();
  }

  async clear(): Promise<QueueSnapshot> {
    await this.loaded();
    const gone = this.state.jobs;
    this.state.jobs = [];
    return this.commit([], false, gone);
  }

  async pauseQueue(): Promise<QueueSnapshot> {
    await this.loaded();
    this.state.paused = true;
    return this.commit();
  }

  async resumeQueue(): Promise<QueueSnapshot> {
    await this.loaded();
    this.state.paused = false;
    return this.commit();
  }

  /** The flow says the bed is clear: the next job may start (on Buddy even from the end-of-print screen). */
  async bedCleared(): Promise<QueueSnapshot> {
    await this.loaded();
    // Also confirms an end-of-print screen the printer shows now (forgotten once the printer leaves that screen).
    this.state.awaitingBedClear = false;
    this.state.confirmedEnd = true;
    return this.commit();
  }

  private findJob(id: string): QueueJob {
    const job = this.state.current?.id === id ? this.state.current : this.state.jobs.find((j) => j.id === id);
    if (!job) throw new QueueError('NO_SUCH_JOB', `no job ${id} in the queue`);
    return job;
  }
}
