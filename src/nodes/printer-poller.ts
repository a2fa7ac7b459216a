/**
 * One poller per printer, however many nodes watch it: the printer is asked once per interval (the
 * fastest any watcher asked for). A printer that stops answering is declared down only after a few
 * consecutive failures (one missed reply must not flap the state), then polled less and less often
 * until it answers again. Watchers hear about "down" once per outage, not on every failed poll.
 */
import type { PrinterStatus } from '../client/types';
import type { CodedError, PollWatcher } from './types';
import { asCodedError } from './errors';

export interface PollerOptions {
  /** Consecutive failures before the printer counts as down. */
  downAfter: number;
  /** Longest wait between polls while the printer is down, ms. */
  maxBackoffMs: number;
  /** Told once when the printer goes down and once when it answers again. */
  onDown(error: CodedError): void;
  onUp(): void;
}

export class PrinterPoller {
  private readonly watchers = new Map<PollWatcher, number>();
  private timer: NodeJS.Timeout | null = null;
  private inFlight = false;
  private failures = 0;
  private down = false;
  /** Bumped on stop so that an answer to a poll from before the stop is thrown away. */
  private generation = 0;

  constructor(
    private readonly fetchStatus: () => Promise<PrinterStatus>,
    private readonly options: PollerOptions,
  ) {}

  watch(watcher: PollWatcher, intervalMs: number): void {
    const wasIdle = this.watchers.size === 0;
    const before = this.intervalMs();
    this.watchers.set(watcher, intervalMs);
    if (wasIdle) {
      this.schedule(0);
    } else if (this.intervalMs() < before && !this.inFlight && !this.down) {
      this.schedule(this.intervalMs());
    }
  }

  unwatch(watcher: PollWatcher): void {
    this.watchers.delete(watcher);
    if (this.watchers.size === 0) this.stop();
  }

  stop(): void {
    this.watchers.clear();
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inFlight = false;
    this.failures = 0;
    this.down = false;
  }

  /** The fastest interval asked for, ms. */
  private intervalMs(): number {
    let fastest = Infinity;
    for (const ms of this.watchers.values()) fastest = Math.min(fastest, ms);
    return fastest;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
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
    if (status) {
      this.failures = 0;
      if (this.down) {
        this.down = false;
        this.options.onUp();
      }
      this.notify({ kind: 'status', status });
    } else if (error) {
      this.failures++;
      if (!this.down && this.failures >= this.options.downAfter) {
        this.down = true;
        this.options.onDown(error);
        this.notify({ kind: 'down', error });
      }
    }
    if (this.watchers.size > 0 && !this.timer) this.schedule(this.nextDelayMs());
  }

  private nextDelayMs(): number {
    const base = this.intervalMs();
    if (!this.down) return base;
    const doublings = this.failures - this.options.downAfter + 1;
    return Math.min(Math.max(this.options.maxBackoffMs, base), base * 2 ** doublings);
  }

  private notify(update: Parameters<PollWatcher['onPoll']>[0]): void {
    for (const watcher of [...this.watchers.keys()]) {
      try {
        watcher.onPoll(update);
      } catch {
        // A watcher's own failure must not stop the others from hearing the news.
      }
    }
  }
}
