/**
 * One timer, one step at a time: the next step is planned only when the last one has ended, so steps never
 * overlap. The timer is unref'd (a queue alone does not keep Node running); stop() clears it and waits for the step
 * in flight.
 */
export class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private running = false;

  constructor(
    private readonly step: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  get active(): boolean {
    return this.running;
  }

  start(): void {
    this.running = true;
    this.plan(0);
  }

  /** A step soon (something changed), unless one runs now: it plans the next itself. */
  soon(): void {
    if (this.running && !this.inFlight) this.plan(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private plan(ms: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.step()
        .catch((e: unknown) => this.onError(e))
        .finally(() => {
          this.inFlight = undefined;
          this.plan(this.intervalMs);
        });
    }, ms);
    this.timer.unref();
  }
}
