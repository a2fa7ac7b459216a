/**
 * The simulated printer's state machine, job progress and telemetry. Time is simulated: simulated seconds =
 * real seconds × speed, computed lazily from timestamps whenever the model is read. With the real clock a single
 * unref'd timer also ticks at the next transition (print end, end of the stop's BUSY phase), so 'state' events come
 * on time even when nobody polls; with an injected clock the caller drives time and no timer runs.
 */
import { EventEmitter } from 'node:events';
import type {
  FileStoreApi,
  JobCommand,
  PrinterModelApi,
  PrinterModelOptions,
  SimJob,
  SimState,
  StoredEntry,
  TelemetrySnapshot,
} from './types';
import { jobView, newJob, type ActiveJob } from './printer-job';
import { AMBIENT, headPosition, heatedFor, heaterTargets, jobZ, parkedAfter, telemetryOf } from './printer-physics';

/** A real Buddy passes through BUSY while it aborts a print; this long, in simulated seconds. */
const STOP_BUSY_SECONDS = 1;
/** Setting a timer further out than this overflows Node's 32-bit delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const STARTABLE: ReadonlySet<SimState> = new Set(['IDLE', 'READY', 'FINISHED', 'STOPPED']);
const STOPPABLE: ReadonlySet<SimState> = new Set(['PRINTING', 'PAUSED', 'ATTENTION']);

export class PrinterModel extends EventEmitter implements PrinterModelApi {
  private current: SimState = 'IDLE';
  private active: ActiveJob | undefined;
  private ended = false;
  private why: string | undefined;
  private filament = false;
  private speedFactor: number;
  private readonly defaultSeconds: number;
  private readonly clock: () => number;
  private readonly usesTimer: boolean;
  private readonly store: FileStoreApi | undefined;
  private lastReal: number;
  /** Simulated seconds since the model was created. */
  private simTime = 0;
  /** Simulated time at which the BUSY phase of a stop ends. */
  private busyUntil: number | undefined;
  private nozzle = AMBIENT;
  private bed = AMBIENT;
  private position = { x: 0, y: 0, z: 0 };
  private material = 'PLA';
  private nextJobId = 1;
  private ticking = false;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = 0;
  private disposed = false;

  constructor(options: PrinterModelOptions = {}) {
    super();
    this.speedFactor = PrinterModel.checkSpeed(options.speed ?? 1);
    this.defaultSeconds = options.defaultPrintSeconds ?? 600;
    this.clock = options.now ?? Date.now;
    this.usesTimer = options.now === undefined;
    this.store = options.store;
    this.lastReal = this.clock();
  }

  get state(): SimState {
    this.tick();
    return this.current;
  }

  get job(): SimJob | undefined {
    this.tick();
    return this.active && jobView(this.active);
  }

  get jobEnded(): boolean {
    this.tick();
    return this.ended;
  }

  get reason(): string | undefined {
    this.tick();
    return this.why;
  }

  get filamentChange(): boolean {
    this.tick();
    return this.filament;
  }

  /** Simulated seconds per real second. */
  get speed(): number {
    return this.speedFactor;
  }

  telemetry(): TelemetrySnapshot {
    this.tick();
    const printing = this.current === 'PRINTING';
    return telemetryOf({
      printing,
      nozzle: this.nozzle,
      bed: this.bed,
      targets: this.targets(),
      head: printing ? headPosition(this.simTime) : this.position,
      z: this.active && !this.ended ? jobZ(this.active) : this.position.z,
      job: this.active,
      material: this.active?.material ?? this.material,
    });
  }

  tick(): void {
    if (this.ticking) return; // a 'state' listener reading the model while a tick emits
    this.ticking = true;
    try {
      const real = this.clock();
      let dt = Math.max(0, ((real - this.lastReal) / 1000) * this.speedFactor);
      this.lastReal = real;
      for (;;) {
        const until = this.untilTransition();
        if (until > dt) {
          this.advance(dt);
          break;
        }
        this.advance(until);
        dt -= until;
        this.transition();
      }
    } finally {
      this.ticking = false;
    }
    this.schedule();
  }

  startPrint(file: StoredEntry, metadata?: Record<string, string | number>): boolean {
    this.tick();
    if (!STARTABLE.has(this.current) || file.kind !== 'file' || file.partial) return false;
    const meta = metadata ?? this.store?.metadata(file.segments) ?? {};
    this.active = newJob(this.nextJobId++, file, meta, { seconds: this.defaultSeconds, material: this.material });
    this.material = this.active.material;
    this.ended = false;
    this.why = undefined;
    this.filament = false;
    this.enter('PRINTING');
    return true;
  }

  accepts(command: JobCommand): boolean {
    this.tick();
    const running = this.active !== undefined && !this.ended;
    if (command === 'pause') return this.current === 'PRINTING';
    if (command === 'resume') return (this.current === 'PAUSED' || this.current === 'ATTENTION') && running;
    return STOPPABLE.has(this.current) && running;
  }

  pause(): boolean {
    if (!this.accepts('pause')) return false;
    this.enter('PAUSED');
    return true;
  }

  resume(): boolean {
    if (!this.accepts('resume')) return false;
    this.filament = false;
    this.why = undefined;
    this.enter('PRINTING');
    return true;
  }

  stop(): boolean {
    if (!this.accepts('stop')) return false;
    this.filament = false;
    this.why = undefined;
    this.busyUntil = this.simTime + STOP_BUSY_SECONDS;
    this.enter('BUSY');
    return true;
  }

  clearJob(): void {
    this.tick();
    if (!this.ended) return;
    this.active = undefined;
    this.ended = false;
    if (this.current === 'FINISHED' || this.current === 'STOPPED') this.enter('IDLE');
  }

  /**
   * Forces a state. ATTENTION, ERROR and BUSY keep the job with its progress frozen; IDLE and READY drop it;
   * FINISHED and STOPPED end a running job. PRINTING and PAUSED need a running job and throw without one.
   */
  setState(state: SimState, reason?: string): void {
    this.tick();
    const running = this.active !== undefined && !this.ended;
    if ((state === 'PRINTING' || state === 'PAUSED') && !running) {
      throw new Error(`cannot force ${state} without a running job`);
    }
    this.busyUntil = undefined;
    this.why = state === 'ATTENTION' || state === 'ERROR' ? reason : undefined;
    if (state !== 'ATTENTION') this.filament = false;
    if (state === 'IDLE' || state === 'READY') {
      this.active = undefined;
      this.ended = false;
    }
    if ((state === 'FINISHED' || state === 'STOPPED') && running) this.endJob(state);
    else this.enter(state);
  }

  filamentRunout(): boolean {
    this.tick();
    if (this.current !== 'PRINTING') return false;
    this.filament = true;
    this.why = 'filament-runout';
    this.enter('ATTENTION');
    return true;
  }

  setSpeed(speed: number): void {
    this.tick(); // time so far runs at the old speed
    this.speedFactor = PrinterModel.checkSpeed(speed);
    this.schedule();
  }

  /** Stops the transition timer; the model stays readable. */
  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  // ----------------------------------------------------------------------------------------------------------

  private static checkSpeed(speed: number): number {
    if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`speed must be a positive number, got ${speed}`);
    return speed;
  }

  private enter(state: SimState): void {
    const previous = this.current;
    if (previous === state) return;
    this.current = state;
    const job = this.active;
    if (job && this.ended) this.position = parkedAfter(job);
    else if (job && previous === 'PRINTING') this.position = { ...headPosition(this.simTime), z: jobZ(job) };
    this.emit('state', state, previous);
    this.schedule();
  }

  private endJob(final: 'FINISHED' | 'STOPPED'): void {
    this.ended = true;
    this.busyUntil = undefined;
    this.enter(final);
    this.emit('job-end', this.job, final);
  }

  /** Simulated seconds until the next automatic transition (Infinity when none is pending). */
  private untilTransition(): number {
    if (this.current === 'PRINTING' && this.active) return Math.max(0, this.active.estimated - this.active.printed);
    if (this.current === 'BUSY' && this.busyUntil !== undefined) return Math.max(0, this.busyUntil - this.simTime);
    return Infinity;
  }

  private transition(): void {
    if (this.current === 'PRINTING' && this.active) {
      this.active.printed = this.active.estimated;
      this.endJob('FINISHED');
    } else if (this.current === 'BUSY' && this.busyUntil !== undefined) {
      this.endJob('STOPPED');
    }
  }

  private advance(seconds: number): void {
    if (seconds <= 0) return;
    this.simTime += seconds;
    if (this.current === 'PRINTING' && this.active) this.active.printed += seconds;
    ({ nozzle: this.nozzle, bed: this.bed } = heatedFor(seconds, { nozzle: this.nozzle, bed: this.bed }, this.targets()));
  }

  private targets(): [number, number] {
    return heaterTargets(this.ended ? undefined : this.active, this.current);
  }

  private schedule(): void {
    if (!this.usesTimer || this.disposed) return;
    const until = this.untilTransition();
    if (!Number.isFinite(until)) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    const delay = Math.min(MAX_TIMER_MS, Math.ceil((until / this.speedFactor) * 1000) + 1);
    const due = this.clock() + delay;
    if (this.timer && Math.abs(due - this.timerDue) < 5) return; // already set for this transition
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, delay);
    this.timer.unref();
  }
}
