/**
 * One poller per printer, however many nodes watch it: the printer is asked once per interval (the
 * fastest any watcher asked for), and each watcher hears the freshest status at its own interval. A
 * printer that stops answering is declared down only after a few consecutive failures (one missed
 * reply must not flap the state), then polled less and less often until it answers again. Watchers
 * hear about "down" once per outage (again only if its kind changes: unreachable vs. refused
 * credentials), and a watcher that joins during an outage is told at once.
 */
import type { PrinterStatus } from '../client/types';
import type { CodedError, PollUpdate, PollWatcher } from './types';
import { asCodedError } from './errors';
import { outageState } from './status-events';

/** Time and timers, injectable so that tests run the poller on a fake clock. */
export interface PollClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: PollClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface PollerOptions {
  clock?: PollClock;
  /** Consecutive failures before the printer counts as down. */
  downAfter: number;
  /** Longest wait between polls while the printer is down, ms. */
  maxBackoffMs: number;
  /** Told once when the printer goes down (and when the outage changes kind), once when it answers again. */
  onDown(error: CodedError): void;
  onUp(): void;
  /**
   * Runs `tell` when a watcher that joined during an outage can be told. Node-RED's Catch nodes join a
   * flow only once all its nodes are built, so the config node defers to "flows started"; default: at once.
   */
  deferNotice?(tell: () => void): void;
}

interface WatcherState {
  intervalMs: number;
  /** When this watcher is next due a status, by the clock; 0 = at the next answer. */
  dueAt: number;
}

export class PrinterPoller {
  private readonly watchers = new Map<PollWatcher, WatcherState>();
  private readonly clock: PollClock;
  private timer: unknown = null;
  private inFlight = false;
  private failures = 0;
  /** The error of the current outage; null while the printer is up (or not yet declared down). */
  private outage: CodedError | null = null;
  /** When the last poll settled: an interval change counts from there; null until the first poll settles. */
  private lastPollAt: number | null = null;
  /** Bumped on stop so that an answer to a poll from before the stop is thrown away. */
  private generation = 0;

  constructor(
    /** Answers a fresh object on every call, which the poller hands on (to one watcher) without copying it. */
    private readonly fetchStatus: () => Promise<PrinterStatus>,
    private readonly options: PollerOptions,
  ) {
    this.clock = options.clock ?? realClock;
  }

  watch(watcher: PollWatcher, intervalMs: number): void {
    const wasIdle = this.watchers.size === 0;
    const before = this.intervalMs();
    this.watchers.set(watcher, { intervalMs, dueAt: 0 });
    if (wasIdle) this.schedule(0);
    else if (this.intervalMs() !== before) this.reschedule();
    if (this.outage) this.tellLateWatcher(watcher);
  }

  unwatch(watcher: PollWatcher): void {
    const before = this.intervalMs();
    this.watchers.delete(watcher);
    if (this.watchers.size === 0) this.stop();
    else if (this.intervalMs() !== before) this.reschedule();
  }

  stop(): void {
    this.watchers.clear();
    this.generation++;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.inFlight = false;
    this.failures = 0;
    this.outage = null;
    this.lastPollAt = null;
  }

  /** The fastest interval asked for, ms. */
  private intervalMs(): number {
    let fastest = Infinity;
    for (const w of this.watchers.values()) fastest = Math.min(fastest, w.intervalMs);
    return fastest;
  }

  /** The fastest interval changed: the next poll comes one new interval after the last (back-off stays as it is). */
  private reschedule(): void {
    // No timer: a poll is in flight and schedules the next itself. No poll yet: the first one is due at
    // once anyway. While down, the back-off holds.
    if (this.outage || this.timer === null || this.lastPollAt === null) return;
    this.schedule(Math.max(0, this.lastPollAt + this.intervalMs() - this.clock.now()));
  }

  private tellLateWatcher(watcher: PollWatcher): void {
    const tell = () => {
      if (this.outage && this.watchers.has(watcher)) this.notifyOne(watcher, { kind: 'down', error: this.outage });
    };
    if (this.options.deferNotice) this.options.deferNotice(tell);
    else tell();
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, delayMs);
  }

  private async tick(): Promise<void> {
    if (this.watchers.size === 0 || this.inFlight) return;
    const generation = this.generation;
    this.inFlight = true;
    let status: PrinterStatus | undefined;
    let error: CodedError | undefined;
    try {
      status = await this.fetchStatus();
    } catch (thrown) {
      error = asCodedError(thrown);
    }
    if (generation !== this.generation) return;
    this.inFlight = false;
    this.lastPollAt = this.clock.now();
    if (status) this.answered(status);
    else if (error) this.failed(error);
    if (this.watchers.size > 0 && this.timer === null) this.schedule(this.nextDelayMs());
  }

  private answered(status: PrinterStatus): void {
    this.failures = 0;
    if (this.outage) {
      this.outage = null;
      this.options.onUp();
      // The first answer after an outage is news to every watcher, whatever its interval.
      for (const w of this.watchers.values()) w.dueAt = 0;
    }
    const now = this.clock.now();
    const due: PollWatcher[] = [];
    for (const [watcher, w] of this.watchers) {
      if (now < w.dueAt) continue;
      // Keep the watcher's own pace (a 3 s watcher on 2 s polls: 0, 4, 6, 10, 12 s), unless it fell behind.
      w.dueAt = w.dueAt + w.intervalMs > now ? w.dueAt + w.intervalMs : now + w.intervalMs;
      due.push(watcher);
    }
    // Each watcher gets its own copy: a flow that changes msg.payload must not change what others see. The answer
    // itself is already one (fetchStatus hands out a fresh object, the client's status() a copy of what it keeps),
    // so the last watcher takes it: a printer with one status node costs no copy at all.
    due.forEach((watcher, i) => this.notifyOne(watcher, { kind: 'status', status: i === due.length - 1 ? status : structuredClone(status) }));
  }

  private failed(error: CodedError): void {
    this.failures++;
    const news = this.outage ? outageState(this.outage) !== outageState(error) : this.failures >= this.options.downAfter;
    if (!news) return;
    this.outage = error;
    this.options.onDown(error);
    for (const watcher of [...this.watchers.keys()]) this.notifyOne(watcher, { kind: 'down', error });
  }

  private nextDelayMs(): number {
    const base = this.intervalMs();
    if (!this.outage) return base;
    const doublings = this.failures - this.options.downAfter + 1;
    return Math.min(Math.max(this.options.maxBackoffMs, base), base * 2 ** doublings);
  }

  private notifyOne(watcher: PollWatcher, update: PollUpdate): void {
    try {
      watcher.onPoll(update);
    } catch {
      // A watcher's own failure must not stop the others from hearing the news.
    }
  }
}
