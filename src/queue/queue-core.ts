/**
 * The queue's machine under PrintQueue: its state, how a change is saved and announced, and the step the poll loop
 * runs (poll-loop.ts: one at a time): read the printer's status, follow the current job, or start the head job when
 * readiness.ts says the printer is ready. Every change is saved before 'change' is emitted, events ('event') after.
 *
 * What a farm user gets (decisions of issue 17):
 * - The queue is strictly ordered: a head job whose notBefore is in the future holds the jobs behind it
 *   ('start-time'); put a timed job elsewhere with `position` to let others go first.
 * - The end of a print is read from printer.state (facts §11.8): the running print is ours while the printer shows
 *   our job; once it does not, FINISHED (or IDLE/READY: the Pi and the MINI return there, and a Buddy whose user
 *   already confirmed) counts a finished copy (event 'finished'); a job with copies left goes back to the head.
 * - STOPPED (the print was cancelled) or ERROR: event 'failed' with reason 'stopped' / 'error', the copy is not
 *   counted, the job stays at the head, and the queue PAUSES itself: a cancelled print usually means a problem on
 *   the bed that a person must look at. resumeQueue() prints that copy again; remove() drops it. MINI 4.4.1 shows
 *   no STOPPED (its legacy API goes back to idle), so there a cancelled print counts as finished.
 * - 'failed' = it was tried and did not print. 'skipped' = removed without printing because it cannot print: its
 *   file is gone from the printer (404 at start), its local file or spool is missing, or the family cannot print it.
 * - After every end of a print the next start waits for the bed (readiness.ts; event 'waiting-for-bed-clear' once
 *   per wait).
 * - A start is never sent twice (start-once.ts): the job is saved as 'starting'/'uploading' before the request; a
 *   start whose outcome is unknown stays so until the printer shows our print (adopted) or, twice in a row, shows it
 *   reachable and not running it (then it is started again: the printer proves the first did not start).
 * - start() after a restart: a current 'printing' job is followed as usual (adopted while the printer shows it, else
 *   its end is counted as above); a 'starting'/'uploading' one is reconciled as an unknown start.
 * - A saved state older than the printer (Node-RED's localfilesystem context store writes to disk only every 30 s,
 *   so a crash can lose the save of our start): at the FIRST look after start() only, with no current job, a printer
 *   PRINTING/PAUSED exactly the head job's file (the matching of printer-view.ts) is that job, adopted as printing
 *   (event 'started', reason 'recovered') without a start request. Later looks never adopt: every start of the
 *   running queue is saved first, so a print of the same file appearing afterwards was started by hand; the queue
 *   waits 'printer-busy' and prints its job after it (adopting it would count someone else's print as our copy).
 * - Files the queue uploaded stay on the printer.
 */
import { EventEmitter } from 'node:events';
import type { Family, PrinterStatus } from '../client/types';
import { PollLoop } from './poll-loop';
import { END_SCREEN, fileMatches, isOffline, jobPaths, printRunning, runsJob, stateOf } from './printer-view';
import { emptyState, queueEvent, requeueAtHead, snapshot } from './queue-state';
import { readiness, updateBedMemory } from './readiness';
import { startOnce, uploadTarget, type StartDeps } from './start-once';
import type { PersistedQueue, QueueEvent, QueueJob, QueueOptions, QueueSnapshot, WaitingFor } from './types';
import { validOptions } from './validate';

const DEFAULT_POLL_MS = 2000;
/** Polls a just-started print may stay invisible (a slow printer) before an idle printer means it already ended. */
const START_GRACE_POLLS = 3;
/** Looks at a reachable printer not running an unknown start before it is declared not started. */
const NOT_STARTED_LOOKS = 2;

export abstract class QueueCore extends EventEmitter {
  protected state: PersistedQueue = emptyState();
  protected waitingFor: WaitingFor = 'empty';
  protected readonly now: () => number;
  protected readonly loop: PollLoop;
  protected saving: Promise<void> = Promise.resolve();
  private family: Family | undefined;
  private defaultStorage = 'usb';
  /** The current print has been seen running since it started (or since start()). */
  private seenRunning = false;
  private pollsSinceStart = 0;
  private notStartedLooks = 0;
  /** start() was called and the printer has not been read since: a stale saved head may be adopted (header). */
  protected firstLook = false;

  constructor(protected readonly options: QueueOptions) {
    super();
    validOptions(options);
    this.now = options.now ?? Date.now;
    this.loop = new PollLoop(() => this.step(), options.pollMs ?? DEFAULT_POLL_MS, (e) => this.report(e));
  }

  list(): QueueSnapshot {
    return snapshot(this.state, this.waitingFor);
  }

  /**
   * Saves the state, then tells the flow; the next step comes soon (an added job need not wait a full poll).
   * `quiet`: saved but not announced (a start tried again, every poll, on a MINI away from its main screen).
   * `gone`: jobs that left the queue, whose spooled bytes are deleted.
   */
  protected async commit(events: QueueEvent[] = [], quiet = false, gone?: QueueJob[]): Promise<QueueSnapshot> {
    const data = structuredClone(this.state);
    const save = this.saving.then(() => this.options.storage.save(data));
    this.saving = save.catch(() => undefined);
    await save;
    // Spooled bytes go once the saved queue no longer names their job (a crash between leaves bytes, never a job
    // without them), and before the flow hears the job is done.
    for (const job of gone ?? []) await this.dropBytes(job);
    const snap = this.list();
    if (!quiet) this.emit('change', snap);
    for (const e of events) this.emit('event', e);
    this.loop.soon();
    return snap;
  }

  private async dropBytes(job: QueueJob): Promise<void> {
    if (job.source.kind !== 'buffer') return;
    await this.options.storage.deleteBytes(job.id).catch((e: unknown) => this.report(e));
  }

  private setWaiting(w: WaitingFor, events: QueueEvent[] = []): void {
    if (w === 'bed-clear' && this.waitingFor !== 'bed-clear') events.push(queueEvent('waiting-for-bed-clear', this.state.jobs[0], this.now()));
    if (w === this.waitingFor && events.length === 0) return;
    this.waitingFor = w;
    this.emit('change', this.list());
    for (const e of events) this.emit('event', e);
  }

  protected report(err: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  // ---- one step: look at the printer, follow the current job or start the next one ---------------------------

  private async step(): Promise<void> {
    let status: PrinterStatus;
    try {
      const profile = await this.options.client.detect();
      this.family = profile.family;
      this.defaultStorage = profile.defaultStorage;
      status = await this.options.client.status();
    } catch (e) {
      if (!isOffline(e)) this.report(e);
      return this.setWaiting('offline');
    }
    const family = this.family as Family;
    const firstLook = this.firstLook;
    this.firstLook = false;
    const mem = updateBedMemory(family, this.options.bedClear, status, this.state);
    if (!!mem.awaitingBedClear !== !!this.state.awaitingBedClear || !!mem.confirmedEnd !== !!this.state.confirmedEnd) {
      this.state.awaitingBedClear = mem.awaitingBedClear;
      this.state.confirmedEnd = mem.confirmedEnd;
      await this.commit();
    }
    const current = this.state.current;
    if (current) return current.state === 'printing' ? this.followPrint(current, status) : this.reconcileStart(current, status);
    if (firstLook && this.runsStaleHead(status)) return this.adoptHead(status);
    if (this.state.paused) return this.setWaiting('paused');
    const head = this.state.jobs[0];
    if (!head) return this.setWaiting('empty');
    if (head.notBefore && Date.parse(head.notBefore) > this.now()) return this.setWaiting('start-time');
    const ready = readiness(family, status, this.state);
    if (!ready.ready) return this.setWaiting(ready.waitingFor);
    return this.startHead(head, family);
  }

  /** The printer runs the head job's file although the saved state says it waits (a lost save of our start). */
  private runsStaleHead(status: PrinterStatus): boolean {
    const head = this.state.jobs[0];
    const s = stateOf(status);
    if (!head || head.state !== 'queued' || (s !== 'PRINTING' && s !== 'PAUSED')) return false;
    if (head.notBefore && Date.parse(head.notBefore) > this.now()) return false; // we cannot have started it yet
    const paths = jobPaths(head);
    if (head.source.kind !== 'printer') paths.push(head.printerPath ?? uploadTarget(head, this.defaultStorage));
    return fileMatches(status.job?.file, paths);
  }

  private async adoptHead(status: PrinterStatus): Promise<void> {
    const head = this.state.jobs.shift() as QueueJob;
    this.fixUploadPath(head);
    this.state.current = head;
    return this.markStarted(head, status.job?.id, true);
  }

  /** Where a local or buffer job goes on the printer, fixed once: at its first start, or when it is adopted. */
  private fixUploadPath(job: QueueJob): void {
    if (job.source.kind !== 'printer') job.printerPath ||= uploadTarget(job, this.defaultStorage);
  }

  /** Our print runs, or it ended: finished, or failed (stopped / error). */
  private async followPrint(job: QueueJob, status: PrinterStatus): Promise<void> {
    const s = stateOf(status);
    if (runsJob(status, job)) {
      this.seenRunning = true;
      this.pollsSinceStart = 0;
      if (job.printerJobId === undefined && status.job?.id !== undefined) {
        job.printerJobId = status.job.id;
        await this.commit();
      }
      return this.setWaiting('printing');
    }
    // Busy with a print whose job it does not show (yet): ours until the printer shows another job or rests.
    if (printRunning(status) && !status.job) return this.setWaiting('printing');
    if (!this.seenRunning && !END_SCREEN.has(s) && s !== 'ERROR' && ++this.pollsSinceStart < START_GRACE_POLLS) return this.setWaiting('printing');
    const copy = job.copiesDone + 1;
    delete this.state.current;
    this.state.awaitingBedClear = true;
    this.state.confirmedEnd = false;
    this.seenRunning = false;
    if (s === 'STOPPED' || s === 'ERROR') {
      const reason = s === 'STOPPED' ? 'stopped' : 'error';
      requeueAtHead(this.state, job);
      this.state.paused = true;
      return void (await this.commit([queueEvent('failed', job, this.now(), { reason, copy })]));
    }
    job.copiesDone = copy;
    const finished = queueEvent('finished', job, this.now(), { copy });
    const done = job.copiesDone >= job.copies;
    if (!done) requeueAtHead(this.state, job);
    await this.commit([finished], false, done ? [job] : []);
  }

  /** A start whose outcome is unknown (an error without an answer, or a restart in the middle): the printer decides. */
  private async reconcileStart(job: QueueJob, status: PrinterStatus): Promise<void> {
    if (runsJob(status, job)) return this.markStarted(job, status.job?.id, true);
    if (++this.notStartedLooks < NOT_STARTED_LOOKS) return this.setWaiting('nothing');
    this.notStartedLooks = 0;
    requeueAtHead(this.state, job);
    await this.commit();
  }

  private async markStarted(job: QueueJob, printerJobId: number | undefined, recovered: boolean): Promise<void> {
    job.state = 'printing';
    job.startedAt = new Date(this.now()).toISOString();
    if (printerJobId !== undefined) job.printerJobId = printerJobId;
    delete job.unchecked;
    delete job.lastError;
    this.seenRunning = printerJobId !== undefined;
    this.pollsSinceStart = 0;
    this.waitingFor = 'printing';
    await this.commit([queueEvent('started', job, this.now(), { copy: job.copiesDone + 1, ...(recovered ? { reason: 'recovered' } : {}) })]);
  }

  private async startHead(job: QueueJob, family: Family): Promise<void> {
    const before = { waitingFor: this.waitingFor, error: job.lastError?.code };
    this.state.jobs.shift();
    this.state.current = job;
    const upload = job.source.kind !== 'printer' && !job.stored;
    job.state = upload ? 'uploading' : 'starting';
    this.fixUploadPath(job);
    // A retry (every poll on a MINI away from its main screen) keeps saying what the queue waits for.
    if (before.error === undefined) this.waitingFor = 'nothing';
    this.notStartedLooks = 0;
    await this.commit([], before.error !== undefined); // a retry is announced only when its outcome differs
    const deps: StartDeps = {
      client: this.options.client,
      storage: this.options.storage,
      readLocal: this.options.readLocal,
      family,
      defaultStorage: this.defaultStorage,
    };
    const outcome = await startOnce(job, deps);
    if (this.state.current !== job) return; // removed by the flow meanwhile
    switch (outcome.kind) {
      case 'started':
        return this.markStarted(job, outcome.printerJobId, outcome.recovered === true);
      case 'retry':
        job.lastError = outcome.error;
        requeueAtHead(this.state, job);
        this.waitingFor = outcome.waitingFor;
        return void (await this.commit([], before.error === outcome.error.code && before.waitingFor === outcome.waitingFor));
      case 'skip':
        delete this.state.current;
        return void (await this.commit([queueEvent('skipped', job, this.now(), { reason: outcome.reason, error: outcome.error })], false, [job]));
      case 'unknown':
        job.lastError = outcome.error;
        return void (await this.commit());
    }
  }
}
