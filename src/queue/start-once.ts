/**
 * Starting one job, never twice. A file on the printer is started with client.print(path); a local file or spooled
 * bytes go up with client.upload(..., { printAfterUpload: true, overwrite: true }), which already recovers the
 * print-after-upload trap (the printer answers an error although it stored the file and started it).
 *
 * After ANY error of a start the printer is asked before anything else is decided (the print-after-upload rule):
 * - our file runs → it started (outcome 'started', recovered);
 * - the printer refused in words that prove nothing started (a 409 "not now", a 404 "no such file", a file the
 *   family cannot print) → 'retry' or 'skip';
 * - anything else (no answer, a timeout, a 5xx, the printer unreachable afterwards) → 'unknown': the job stays
 *   'starting' and the queue decides from later looks at the printer (reconcile in print-queue.ts), never by
 *   sending the start again while the first one might have started.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Family, PrinterStatus, UploadSource } from '../client/types';
import { errorInfo, runsJob } from './printer-view';
import type { QueueClient, QueueJob, QueueStorage, WaitingFor } from './types';

export type StartOutcome =
  | { kind: 'started'; printerJobId?: number; recovered?: boolean }
  | { kind: 'retry'; error: { code: string; message: string }; waitingFor: WaitingFor }
  | { kind: 'skip'; error: { code: string; message: string }; reason: string }
  | { kind: 'unknown'; error: { code: string; message: string } };

export interface StartDeps {
  client: QueueClient;
  storage: QueueStorage;
  /** Reads a local file's bytes instead of streaming it from disk (QueueOptions.readLocal). */
  readLocal?: (file: string) => Promise<Buffer>;
  family: Family;
  defaultStorage: string;
}

/** Refusals that prove the start did not happen and will not on a retry. */
const PERMANENT = new Set(['NOT_FOUND', 'UNSUPPORTED_FILE', 'UNSUPPORTED', 'INVALID_PATH', 'INVALID_ARGUMENT', 'NAME_TOO_LONG']);
/** "Not now" answers (409): nothing started, try again later. */
const NOT_NOW = new Set(['NOT_READY', 'PRINTER_BUSY', 'FILE_BUSY', 'TRANSFER_IN_PROGRESS', 'FILE_EXISTS']);

/** Where a 'local' or 'buffer' job goes on the printer: its target, or its name in the storage root. */
export function uploadTarget(job: QueueJob, defaultStorage: string): string {
  const src = job.source;
  if (src.kind === 'printer') return src.path;
  if (src.target) return src.target;
  const name = src.kind === 'local' ? path.basename(src.file) : src.name;
  return `/${defaultStorage}/${name}`;
}

/**
 * What goes up: a local file streamed from disk (the client reads it in pieces; a custom readLocal gives its bytes
 * instead), or the spooled bytes. A file that is gone fails here, before any request.
 */
export async function uploadSource(job: QueueJob, deps: StartDeps): Promise<UploadSource> {
  const src = job.source;
  if (src.kind === 'local') {
    if (deps.readLocal) return { buffer: await deps.readLocal(src.file) };
    const st = await fsp.stat(src.file);
    if (!st.isFile()) throw Object.assign(new Error(`${src.file} is not a file`), { code: 'ENOENT' });
    return { file: src.file };
  }
  return { buffer: await deps.storage.loadBytes(job.id) };
}

/**
 * Sends the start of `job` once and tells what happened. The caller has persisted the job as 'starting' or
 * 'uploading' before (so a restart in the middle knows a start may have been sent), and fills `job.printerPath`
 * from `uploadTarget` for uploads.
 */
export async function startOnce(job: QueueJob, deps: StartDeps): Promise<StartOutcome> {
  const { client } = deps;
  let upload: UploadSource | undefined;
  if (job.source.kind !== 'printer' && !job.stored) {
    try {
      upload = await uploadSource(job, deps);
    } catch (e) {
      // Nothing was sent: the local file or the spool is gone.
      return { kind: 'skip', error: errorInfo(e), reason: job.source.kind === 'local' ? 'local-file-missing' : 'spool-missing' };
    }
  }
  try {
    if (upload === undefined) {
      await client.print(printPath(job));
      return { kind: 'started' };
    }
    const target = job.printerPath ?? uploadTarget(job, deps.defaultStorage);
    const result = await client.upload(upload, target, { printAfterUpload: true, overwrite: true });
    job.stored = true;
    if (result.file?.path) job.printerAlias = result.file.path;
    if (!result.printStarted) return afterError(job, deps, notStartedError(target));
    return { kind: 'started', ...(result.recoveredFromError ? { recovered: true } : {}) };
  } catch (e) {
    return afterError(job, deps, e);
  }
}

/** The path a print request names: the flow's path, or where the upload stored the file. */
export function printPath(job: QueueJob): string {
  if (job.source.kind === 'printer') return job.source.path;
  return job.printerAlias ?? job.printerPath ?? job.source.kind;
}

function notStartedError(target: string): Error & { code: string } {
  return Object.assign(new Error(`the file was stored as ${target} but the printer did not start it`), { code: 'NOT_READY' });
}

async function afterError(job: QueueJob, deps: StartDeps, err: unknown): Promise<StartOutcome> {
  const error = errorInfo(err);
  let status: PrinterStatus;
  try {
    status = await deps.client.status();
  } catch {
    return { kind: 'unknown', error }; // cannot look: decide later, from the printer
  }
  // Stryker disable next-line OptionalChaining: equivalent, runsJob() is true only with a job (docs/testing.md)
  if (runsJob(status, job)) return { kind: 'started', recovered: true, ...(status.job?.id !== undefined ? { printerJobId: status.job.id } : {}) };
  const upload = job.source.kind !== 'printer';
  if (job.stored && error.code === 'NOT_FOUND') {
    // Our stored copy was deleted on the printer: upload it again next time.
    delete job.stored;
    delete job.printerAlias;
    return { kind: 'retry', error, waitingFor: 'printer-busy' };
  }
  if (upload && error.code === 'FILE_EXISTS' && deps.family === 'mini-legacy') return { kind: 'skip', error, reason: 'file-exists' };
  if (!job.stored && error.code === 'NOT_READY' && job.printerPath) {
    // An upload (only uploads have a printerPath) answered "Can't print right now": that comes after the file was
    // stored (facts §7, §11.1): print it from there next time rather than upload again (the MINI cannot replace it).
    // Other 409s come before the body, when an older file may be there.
    // Stryker disable next-line ArrowFunction: equivalent, a failed check is "not there" either way (docs/testing.md)
    if (await deps.client.exists(job.printerPath).catch(() => false)) job.stored = true;
  }
  if (PERMANENT.has(error.code)) return { kind: 'skip', error, reason: error.code === 'NOT_FOUND' ? 'file-not-found' : 'not-printable' };
  if (NOT_NOW.has(error.code)) {
    const waitingFor: WaitingFor = deps.family === 'mini-legacy' && error.code === 'NOT_READY' ? 'main-screen' : 'printer-busy';
    return { kind: 'retry', error, waitingFor };
  }
  return { kind: 'unknown', error };
}
