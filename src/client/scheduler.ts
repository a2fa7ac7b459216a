/**
 * Per-printer request scheduler: at most two requests in flight (Buddy serves three connections, shared with its
 * web UI and Prusa Connect, docs §9), and an upload runs alone. Strict FIFO so an upload is not starved by polling.
 */
import { PrusaLinkError } from './errors';

interface Waiter {
  exclusive: boolean;
  start: () => void;
  fail: (err: Error) => void;
}

export class Scheduler {
  private active = 0;
  private exclusiveActive = false;
  private readonly queue: Waiter[] = [];
  private closed = false;

  constructor(private readonly maxParallel = 2) {}

  run<T>(exclusive: boolean, fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new PrusaLinkError('ABORTED', 'the client was closed'));
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        this.active += 1;
        if (exclusive) this.exclusiveActive = true;
        fn()
          .then(resolve, reject)
          .finally(() => {
            this.active -= 1;
            if (exclusive) this.exclusiveActive = false;
            this.pump();
          });
      };
      this.queue.push({ exclusive, start, fail: reject });
      this.pump();
    });
  }

  /** Rejects everything still waiting (running work is aborted by its owner). */
  close(): void {
    this.closed = true;
    for (const w of this.queue.splice(0)) w.fail(new PrusaLinkError('ABORTED', 'the client was closed'));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0];
      const canStart = head.exclusive ? this.active === 0 : !this.exclusiveActive && this.active < this.maxParallel;
      if (!canStart) return;
      this.queue.shift();
      head.start();
    }
  }
}
