/**
 * Work a node runs one job at a time (a printer takes one transfer at a time; two syncs of one folder would race).
 * Each job gets an AbortSignal. A stop aborts the running job and fails every queued one at once: none of them
 * may start after the node's msgs were answered.
 */
interface QueuedJob {
  /** Runs the job; `finished` is called before its caller hears the outcome, so `size` is already right then. */
  start(signal: AbortSignal, finished: () => void): void;
  fail(reason: Error): void;
}

export class OneAtATime {
  private readonly queued: QueuedJob[] = [];
  private running: AbortController | null = null;
  private stopReason: Error | null = null;

  /** Jobs running or waiting: how many a new job would wait behind. */
  get size(): number {
    return this.queued.length + (this.running ? 1 : 0);
  }

  run<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.stopReason) return Promise.reject(this.stopReason);
    return new Promise<T>((resolve, reject) => {
      const start = (signal: AbortSignal, finished: () => void): void => {
        Promise.resolve()
          .then(() => job(signal))
          .then(
            (value) => {
              finished();
              resolve(value);
            },
            (err: unknown) => {
              finished();
              reject(err);
            },
          );
      };
      this.queued.push({ start, fail: reject });
      this.next();
    });
  }

  /** Aborts the running job with `reason` and fails every queued one with it; later jobs fail at once. */
  stop(reason: Error): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    this.running?.abort(reason);
    for (const job of this.queued.splice(0)) job.fail(reason);
  }

  private next(): void {
    if (this.running) return;
    const job = this.queued.shift();
    if (!job) return;
    const controller = new AbortController();
    this.running = controller;
    job.start(controller.signal, () => {
      this.running = null;
      this.next();
    });
  }
}
