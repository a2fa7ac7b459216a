/** Everything one simulated printer knows besides its HTTP server: model, stores, transfer slot, faults, secrets. */
import { randomBytes } from 'node:crypto';
import { FileStore } from './model/store';
import { PrinterModel } from './model/printer';
import type { FileStoreApi, JobCommand, PrinterModelApi, SimState } from './model/types';
import type { ResolvedOptions } from './options';
import { RequestRecorder } from './recorder';
import { StaleNonces } from './auth/stale-nonces';
import type { SimFaults, SimSituation } from './types';

/** The one upload the printer is receiving (both families allow only one at a time). */
export interface Transfer {
  id: number;
  /** Long name of the file. */
  displayName: string;
  /** Folder path as the family writes it, e.g. `/usb/DIR`. */
  dir: string;
  /** Request URL path, as Pi PrusaLink reports it in `url`. */
  url: string;
  size: number;
  transferred: number;
  /** Real ms. */
  started: number;
  toPrint: boolean;
  /** Aborts the upload (Pi's DELETE /api/v1/transfer). */
  cancel?: () => void;
}

/** Pi PrusaLink returns to IDLE this many simulated seconds after a print ends. */
const PI_END_SCREEN_SECONDS = 10;

export class SimRuntime {
  readonly model: PrinterModelApi & { dispose?(): void };
  /** Storages by URL name: `usb` on Buddy and MINI, `local` and `sdcard` on Pi. */
  readonly stores: Record<string, FileStoreApi>;
  readonly primary: FileStoreApi;
  readonly recorder = new RequestRecorder();
  faults: SimFaults = {};
  transfer: Transfer | undefined;
  mainScreen = true;
  /** Buddy: a situation whose reported state depends on the generation; ends with the next state change. */
  situation: SimSituation | undefined;
  port = 0;
  nonceRandom: number;
  piSecret: string;
  /** staleNonceAlways: the nonces handed out with stale=true. */
  readonly staleNonces = new StaleNonces();
  private bootTime = Date.now();
  private transferSeq = 0;
  private speed: number;
  /** Real ms at which the model entered FINISHED/STOPPED (Pi's automatic return to IDLE). */
  private endedAt: number | undefined;
  /** Job commands answered with 204 and not carried out yet (jobCommandDelayMs). */
  private readonly queuedCommands = new Set<NodeJS.Timeout>();

  constructor(readonly opts: ResolvedOptions) {
    this.speed = opts.speed;
    const aliases = opts.family !== 'pi';
    this.primary = new FileStore({ aliases, dir: opts.filesDir, discardUploads: opts.discardUploads });
    this.stores =
      opts.family === 'pi'
        ? { local: this.primary, sdcard: new FileStore({ aliases: false, readOnly: true }) }
        : { usb: this.primary };
    for (const [path, content] of Object.entries(opts.files)) {
      this.primary.put(splitPath(path), Buffer.isBuffer(content) ? content : Buffer.from(content), { overwrite: true });
    }
    this.model = new PrinterModel({ speed: opts.speed, store: this.primary });
    this.nonceRandom = opts.nonceRandom ?? randomBytes(4).readUInt32BE(0);
    this.piSecret = randomBytes(16).toString('hex');
    this.model.on('state', (state: SimState) => {
      this.endedAt = state === 'FINISHED' || state === 'STOPPED' ? Date.now() : undefined;
      this.situation = undefined;
    });
  }

  get family() {
    return this.opts.family;
  }

  /** Whole seconds since the last (simulated) boot: the low half of a Buddy nonce. */
  uptimeSeconds(): number {
    return Math.floor((Date.now() - this.bootTime) / 1000);
  }

  /** New nonce secrets, as after a power cycle; the model keeps its state (a simplification). */
  reboot(): void {
    this.bootTime = Date.now();
    this.nonceRandom = randomBytes(4).readUInt32BE(0);
    this.piSecret = randomBytes(16).toString('hex');
    this.staleNonces.clear();
  }

  setSpeed(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error('speed must be a positive number');
    this.speed = speed;
    this.model.setSpeed(speed);
  }

  /** Brings the model up to now; called before every read of the printer's state. */
  tick(): void {
    this.model.tick();
    if (this.family === 'pi' && this.endedAt !== undefined && this.model.jobEnded) {
      const simulatedSeconds = ((Date.now() - this.endedAt) / 1000) * this.speed;
      if (simulatedSeconds >= PI_END_SCREEN_SECONDS) {
        this.endedAt = undefined;
        this.model.clearJob();
      }
    }
  }

  /**
   * Pause, resume or stop as the printer's HTTP side sees it: true means "accepted" (204). With jobCommandDelayMs
   * the model changes that much later, like the real printer that answers once the command is queued.
   */
  jobCommand(command: JobCommand): boolean {
    const delay = this.opts.jobCommandDelayMs;
    const run = () => (command === 'pause' ? this.model.pause() : command === 'resume' ? this.model.resume() : this.model.stop());
    if (delay <= 0) return run();
    if (!this.model.accepts(command)) return false;
    const timer = setTimeout(() => {
      this.queuedCommands.delete(timer);
      run();
    }, delay);
    timer.unref();
    this.queuedCommands.add(timer);
    return true;
  }

  beginTransfer(t: Omit<Transfer, 'id' | 'started' | 'transferred'>): Transfer {
    this.transfer = { ...t, id: ++this.transferSeq, started: Date.now(), transferred: 0 };
    return this.transfer;
  }

  endTransfer(t: Transfer): void {
    if (this.transfer === t) this.transfer = undefined;
  }

  dispose(): void {
    for (const timer of this.queuedCommands) clearTimeout(timer);
    this.queuedCommands.clear();
    this.model.dispose?.();
  }
}

/** `a/b/c.gcode` or `/a/b/` → segments. */
export function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}
