/**
 * Per-printer request scheduler: at most two requests in flight (Buddy serves three connections, shared with its
 * web UI and Prusa Connect, docs §9), and one upload at a time (printers take one transfer at a time). While an
 * upload runs, one other request may go along with it, so that status polling goes on during a long upload.
 * Strict FIFO so an upload is not starved by polling.
 */
import { PrusaLinkError } from './errors';

interface Waiter {
  upload: boolean;
  start: () => void;
  fail: (err: Error) => void;
}

export class Scheduler {
  private active = 0;
  private uploadActive = false;
  private readonly queue: Waiter[] = [];
  private closed = false;

  constructor(private readonly maxParallel = 2) {}

  /** Runs `fn` when a slot is free; `upload` marks a transfer, of which only one runs at a time. */
  run<T>(upload: boolean, fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new PrusaLinkError('ABORTED', 'the client was closed'));
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        this.active += 1;
        if (upload) this.uploadActive = true;
        fn()
          .then(resolve, reject)
          .finally(() => {
            this.active -= 1;
            if (upload) this.uploadActive = false;
            this.pump();
          });
      };
      this.queue.push({ upload, start, fail: reject });
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
      const canStart = this.active < this.maxParallel && !(head.upload && this.uploadActive);
      if (!canStart) return;
      this.queue.shift();
      head.start();
    }
  }
}
