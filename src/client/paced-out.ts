/**
 * Write sizes for an upload body, chosen by the pace of the link. Each write is called back once the socket has
 * taken it, and those callbacks drive the progress events and the stall timer. On a printer taking 25 KB/s a 1 MiB
 * write is called back only after about 40 s, which is too rare for a progress bar and longer than the default stall
 * timeout. So the body starts in 64 KiB writes (one callback every few seconds even at 25 KB/s), and moves to 1 MiB
 * writes only once the link has proven far faster than any printer: the per-write cost of Node's http stack then
 * matters (64 KiB writes measured about +30 ms of CPU per 100 MB on loopback).
 */
import type { BodyOut } from './body-request';

const SLOW_WRITE_BYTES = 64 * 1024;
export const FAST_WRITE_BYTES = 1024 * 1024;
/**
 * Called back this many bytes within FAST_WINDOW_MS: at least 8 MB/s, over 25 times the fastest printer. The amount
 * is larger than the kernel's send buffer, so a buffer filling at once does not pass for a fast link.
 */
const FAST_PROOF_BYTES = 8 * 1024 * 1024;
const FAST_WINDOW_MS = 1000;

/** Called after each write was called back, in order; `payload` says whether the bytes are the file's. */
export type OnWritten = (bytes: number, payload: boolean) => void;

export class PacedOut {
  private writeBytes = SLOW_WRITE_BYTES;
  private calledBack = 0;
  private startedAt = 0;

  constructor(
    private readonly out: BodyOut,
    private readonly onWritten: OnWritten,
  ) {}

  get stopped(): AbortSignal {
    return this.out.stopped;
  }

  ready(): Promise<void> {
    return this.out.ready();
  }

  /**
   * Queues `chunk` as one or more writes (views, no copies). Resolves once the socket has taken all of it, so its
   * buffer may then be refilled; never an unhandled rejection if awaited late.
   */
  write(chunk: Buffer, payload: boolean): Promise<void> {
    if (this.startedAt === 0) this.startedAt = performance.now();
    // Writes are called back in order: the last one settled means all did.
    let last = Promise.resolve();
    for (let pos = 0; pos < chunk.length; pos += this.writeBytes) {
      const piece = chunk.subarray(pos, Math.min(chunk.length, pos + this.writeBytes));
      last = this.out.write(piece).then(() => this.done(piece.length, payload));
      last.catch(() => undefined);
    }
    return last;
  }

  private done(bytes: number, payload: boolean): void {
    this.calledBack += bytes;
    if (this.writeBytes < FAST_WRITE_BYTES && this.calledBack >= FAST_PROOF_BYTES && performance.now() - this.startedAt <= FAST_WINDOW_MS)
      this.writeBytes = FAST_WRITE_BYTES;
    this.onWritten(bytes, payload);
  }
}
