/**
 * Contract between the simulated printer's model (state machine, file store, G-code reading) and the
 * HTTP layer that renders it per family. The model knows nothing of HTTP or of families' JSON shapes.
 */
import type { Readable } from 'node:stream';

export type SimState =
  | 'IDLE'
  | 'BUSY'
  | 'PRINTING'
  | 'PAUSED'
  | 'FINISHED'
  | 'STOPPED'
  | 'ERROR'
  | 'ATTENTION'
  | 'READY';

/** One file or folder in a store. Paths are arrays of long-name segments below the storage root. */
export interface StoredEntry {
  kind: 'file' | 'folder';
  /** Long name, as the user wrote it. */
  name: string;
  /** The name used in URLs by families with 8.3 aliases (`DEBOUC~1.GCO`); equals `name` elsewhere. */
  alias: string;
  /** Long-name segments from the storage root to this entry (inclusive). */
  segments: string[];
  /** Alias segments from the storage root to this entry (inclusive). */
  aliasSegments: string[];
  /** Bytes; 0 for folders. */
  size: number;
  /** Epoch seconds. */
  mtime: number;
  readOnly: boolean;
  /** True while an upload is still writing this file. */
  partial: boolean;
}

export interface StoreOptions {
  /** Give entries FAT 8.3 aliases (Buddy and MINI 4.4.1). */
  aliases: boolean;
  /** Keep files in this folder instead of memory. */
  dir?: string;
  readOnly?: boolean;
  /** Throw away upload bodies (for benchmarks): entries exist with their size but no content. */
  discardUploads?: boolean;
}

export interface UploadWriter {
  entry: StoredEntry;
  write(chunk: Buffer): void;
  /** Marks the file complete. */
  finish(): void;
  /** Removes the partial file. */
  abort(): void;
}

export class StoreError extends Error {
  constructor(
    public readonly kind:
      | 'not-found'
      | 'exists'
      | 'not-empty'
      | 'is-folder'
      | 'not-folder'
      | 'read-only'
      | 'parent-is-file',
    message: string,
  ) {
    super(message);
  }
}

export interface FileStoreApi {
  /** Finds an entry; each segment may be a long name or an alias (case-insensitive for aliases). [] is the root. */
  resolve(segments: string[]): StoredEntry | undefined;
  /** Children of a folder, folders first then files, each group sorted by name. Throws StoreError. */
  list(segments: string[]): StoredEntry[];
  /** Every entry below a folder, depth first. */
  walk(segments?: string[]): StoredEntry[];
  mkdir(segments: string[], opts: { recursive: boolean }): StoredEntry;
  /** Starts writing a file; creates missing parents. Throws StoreError('exists') unless overwrite. */
  beginWrite(segments: string[], size: number, opts: { overwrite: boolean }): UploadWriter;
  /** Adds a whole file at once (seeding, tests). */
  put(segments: string[], content: Buffer, opts?: { overwrite?: boolean; mtime?: number }): StoredEntry;
  /** Deletes a file, or a folder (non-empty only with recursive). Throws StoreError. */
  remove(segments: string[], opts: { recursive: boolean }): void;
  read(segments: string[]): Buffer;
  readStream(segments: string[]): Readable;
  /** PNG bytes of the embedded thumbnail: 'small' is the smallest (16x16 icon where present), 'large' the biggest. */
  thumbnail(segments: string[], size: 'small' | 'large'): Buffer | undefined;
  /** Slicer metadata from the G-code header comments or the .bgcode metadata block. */
  metadata(segments: string[]): Record<string, string | number>;
  /** Total bytes stored. */
  usedBytes(): number;
}

export interface TelemetrySnapshot {
  temp_nozzle: number;
  target_nozzle: number;
  temp_bed: number;
  target_bed: number;
  axis_x: number;
  axis_y: number;
  axis_z: number;
  flow: number;
  speed: number;
  fan_hotend: number;
  fan_print: number;
  material: string;
}

export interface SimJob {
  id: number;
  /** The file being printed (segments of its long names). */
  file: StoredEntry;
  /** 0..100 */
  progress: number;
  /** Simulated seconds. */
  time_printing: number;
  time_remaining: number;
  /** Total simulated print time in seconds (from the G-code's estimate, or derived from the size). */
  estimated: number;
}

export interface PrinterModelOptions {
  /** Simulated seconds per real second (a 1 h print at speed 600 takes 6 s). Default 1. */
  speed?: number;
  /** Default estimate when a file carries none, in simulated seconds. Default 600. */
  defaultPrintSeconds?: number;
  /** Milliseconds clock (default Date.now). An injected clock drives simulated time; no transition timer runs then. */
  now?: () => number;
  /** Where startPrint reads the file's slicer metadata (estimate, temperatures, material, max_layer_z). */
  store?: FileStoreApi;
}

/** Events: 'state' (state, previous), 'job-end' (job, final state). */
export interface PrinterModelApi {
  readonly state: SimState;
  /** The current job (present in PRINTING, PAUSED, ATTENTION during a print, and FINISHED/STOPPED until cleared). */
  readonly job: SimJob | undefined;
  /** True while the job's end-of-print screen is shown (FINISHED/STOPPED); cleared by a new print or clearJob(). */
  readonly jobEnded: boolean;
  /** Why the printer is in ATTENTION/ERROR (for the control API), e.g. 'filament-runout'. */
  readonly reason: string | undefined;
  /** True while a filament change (runout) dialog is shown. */
  readonly filamentChange: boolean;
  telemetry(): TelemetrySnapshot;
  /** Advances the simulated clock to now (called before every read). */
  tick(): void;
  /**
   * Starts a print; false when not ready (not IDLE/READY/FINISHED/STOPPED). `metadata` (the file's store
   * metadata) gives the estimate and temperatures; without it the model asks `options.store`, if any.
   */
  startPrint(file: StoredEntry, metadata?: Record<string, string | number>): boolean;
  /** Whether pause / resume / stop would be accepted now (what the printer checks before it answers 204). */
  accepts(command: JobCommand): boolean;
  pause(): boolean;
  resume(): boolean;
  stop(): boolean;
  /** Leaves the end-of-print screen (FINISHED/STOPPED → IDLE). */
  clearJob(): void;
  /** Forces a state (control API). ATTENTION/ERROR keep the job. */
  setState(state: SimState, reason?: string): void;
  /** Filament runout during a print: ATTENTION with filamentChange=true until resume(). */
  filamentRunout(): boolean;
  setSpeed(speed: number): void;
  on(event: 'state', listener: (state: SimState, previous: SimState) => void): this;
}

export type JobCommand = 'pause' | 'resume' | 'stop';
