/**
 * Public types of the print queue (issue 17): the contract between the engine (src/queue) and the
 * `prusalink-queue` node. Node-RED-free, like the sync engine.
 *
 * Additions to the contract of queue-common.md (documented here, as the brief asks):
 * - `QueueJob.unchecked`: a 'printer' job added while the printer was offline; its file is checked when its turn comes.
 * - `QueueJob.lastError`: the last error a start of this job met (a retry is pending), for the node's status and msgs.
 * - `QueueJob.printerPath` / `printerAlias`: for 'local'/'buffer' jobs, the path on the printer the upload went to
 *   (set at upload), and the printer's own (8.3) form of it when the printer told it.
 * - `QueueJob.stored`: the upload stored the file; later starts (a retry, the next copy) print it from the printer
 *   instead of uploading again (MINI 4.4.1 cannot replace a file).
 * - `PersistedQueue.confirmedEnd`: the flow confirmed the bed clear while the printer still showed its end screen.
 * - `QueueClient` needs detect() (the family and default storage; status() does not tell them) and not job().
 * - `QueueEvent.copy`: which copy (1-based) an event is about, for jobs with copies > 1.
 * - `PersistedQueue.awaitingBedClear` is also used for the Pi's and MINI's "end-of-print, not ready yet" (waiting for
 *   the printer to be ready again) - see print-queue.ts.
 * - `QueueOptions.onLog`: optional debug lines (never secrets: the engine never sees credentials).
 */
import type { PrinterStatus, UploadOptions, UploadResult, UploadSource } from '../client/types';

export type QueueSource =
  /** A file already on the printer (PrusaLink path, e.g. `/usb/a.bgcode`). */
  | { kind: 'printer'; path: string }
  /** A local file, uploaded when its turn comes (to `target`, default `/<default storage>/<basename>`). */
  | { kind: 'local'; file: string; target?: string }
  /** Bytes given at add time, kept in the queue's spool until the job is done or removed. */
  | { kind: 'buffer'; name: string; target?: string };

export type QueueJobState = 'queued' | 'uploading' | 'starting' | 'printing';

export interface QueueJob {
  /** Stable, generated at add ('q-' + time + random). */
  id: string;
  source: QueueSource;
  /** >= 1; copiesDone counts finished copies. */
  copies: number;
  copiesDone: number;
  /** ISO time; the job is not started before it. */
  notBefore?: string;
  addedAt: string;
  state: QueueJobState;
  /** The printer's job id once started (absent on MINI legacy). */
  printerJobId?: number;
  startedAt?: string;
  /** Added while the printer was offline: the file's existence is checked when its turn comes. */
  unchecked?: true;
  /** For 'local'/'buffer' jobs: where the file went on the printer (known once the upload was sent). */
  printerPath?: string;
  printerAlias?: string;
  /** The upload stored the file on the printer: later starts print it from there. */
  stored?: true;
  /** The last error a start of this job met; the start is retried (cleared once it prints). */
  lastError?: { code: string; message: string };
}

export type WaitingFor =
  | 'nothing'
  | 'paused'
  | 'empty'
  | 'start-time'
  | 'printer-busy'
  | 'bed-clear'
  | 'main-screen'
  | 'offline'
  | 'printing';

export interface QueueSnapshot {
  paused: boolean;
  waitingFor: WaitingFor;
  /** Jobs waiting their turn (the current job is not among them). */
  jobs: QueueJob[];
  /** The job being uploaded, started or printed. */
  current?: QueueJob;
}

/**
 * started: a copy started (reason 'recovered' when an error answered the start and the printer showed it started);
 * finished: a copy printed; failed: a copy ended STOPPED or in ERROR (reason 'stopped' / 'error'; the queue pauses);
 * waiting-for-bed-clear: once per wait, with the job that waits; skipped: a job removed because it cannot print
 * (reason 'file-not-found', 'not-printable', 'file-exists' (MINI), 'local-file-missing', 'spool-missing').
 */
export type QueueEventName = 'started' | 'finished' | 'failed' | 'waiting-for-bed-clear' | 'skipped';

export interface QueueEvent {
  event: QueueEventName;
  job?: QueueJob;
  /** ISO time. */
  at: string;
  error?: { code: string; message: string };
  reason?: string;
  /** 1-based copy number the event is about (started/finished/failed). */
  copy?: number;
}

export interface PersistedQueue {
  version: 1;
  paused: boolean;
  jobs: QueueJob[];
  current?: QueueJob;
  /** The last print ended and the printer has not yet said (or the flow has not yet said) the bed is clear. */
  awaitingBedClear?: boolean;
  /** The flow confirmed the bed clear while the printer still showed its end-of-print screen. */
  confirmedEnd?: boolean;
}

/** Where the queue lives: the node gives a context-store adapter, or fileQueueStorage(dir). */
export interface QueueStorage {
  load(): Promise<PersistedQueue | undefined>;
  /** Atomic: after a crash, load() gives the old or the new state, never half of one. */
  save(state: PersistedQueue): Promise<void>;
  /** Spool for 'buffer' jobs. */
  saveBytes(jobId: string, data: Buffer): Promise<void>;
  loadBytes(jobId: string): Promise<Buffer>;
  deleteBytes(jobId: string): Promise<void>;
}

/** The part of PrusaLinkClient the queue uses (structural, so a test double or another client works). */
export interface QueueClient {
  readonly label?: string;
  status(): Promise<PrinterStatus>;
  exists(path: string): Promise<boolean>;
  print(path: string): Promise<void>;
  upload(source: UploadSource, path: string, opts?: UploadOptions): Promise<UploadResult>;
  detect(): Promise<{ family: 'buddy' | 'mini-legacy' | 'pi'; defaultStorage: string }>;
}

export interface QueueOptions {
  client: QueueClient;
  storage: QueueStorage;
  /** Wait for the printer's own READY/IDLE after a print ('printer'), or for bedCleared() from the flow ('flow'). */
  bedClear: 'printer' | 'flow';
  /** How often it looks at the printer, ms (default 2000). */
  pollMs?: number;
  /** For tests. */
  now?: () => number;
  /** Gives a local file's bytes; by default the file is streamed from disk by the client's upload. */
  readLocal?: (file: string) => Promise<Buffer>;
  /** Optional debug lines. */
  onLog?: (line: string) => void;
}

export interface AddInput {
  source: QueueSource;
  /** The bytes of a 'buffer' job. */
  data?: Buffer;
  /** Default 1. */
  copies?: number;
  /** ISO string, epoch ms or Date. */
  notBefore?: string | number | Date;
  /** Index among the waiting jobs; default the end. */
  position?: number;
}

/** BAD_ACTION is for the node's msg.action (the engine has methods, not action names, and never throws it). */
export type QueueErrorCode = 'BAD_INPUT' | 'FILE_NOT_FOUND' | 'NO_SUCH_JOB' | 'BAD_TIME' | 'BAD_ACTION';
