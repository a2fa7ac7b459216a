/**
 * The Print-After-Upload trap (docs §11.1): the printer may answer an error although it stored the file and
 * started printing it. Ask the printer before reporting; never retry (a retry could print twice).
 *
 * "The same file is printing" proves nothing by itself: a 409 to an upload under the name being printed leaves the
 * OLD file printing. Only a file and a job that differ from what the printer itself reported before the upload
 * prove that THIS upload was stored and started. The printer's own earlier answers are the reference, not the
 * host's clock, which need not agree with the printer's.
 */
import type { ClientContext } from '../context';
import { ifNotFound, type PrusaLinkError } from '../errors';
import { fullPath, type PrinterPath } from '../files/paths';
import { toState } from '../normalize';
import type { FileEntry, Job, JobFile, UploadResult } from '../types';

/** The client's public job() and fileInfo(): the answers a caller asking after the error would get. */
export interface PrinterQuestions {
  job(): Promise<Job | null>;
  fileInfo(path: string): Promise<FileEntry>;
}

/** What the printer reported about the target and its job right before the upload. */
export interface BeforeUpload {
  /** The file under the target name, when there was one. */
  entry?: FileEntry;
  job: Job | null;
}

const RUNNING = ['PRINTING', 'PAUSED', 'ATTENTION', 'BUSY'];

function isRunning(job: Job | null): job is Job {
  return job !== null && RUNNING.includes(toState(job.state));
}

/** The job's file is the entry (the path in the printer's URL form, or the name and display name together). */
function jobRuns(jf: JobFile | undefined, entry: FileEntry): boolean {
  if (!jf) return false;
  return jf.path.toLowerCase() === entry.path.toLowerCase() || (jf.name.toLowerCase() === entry.name.toLowerCase() && jf.display_name === entry.display_name);
}

/** Asked right before the upload; undefined when the printer could not say (nothing can then be proven later). */
export async function askBeforeUpload(ask: PrinterQuestions, pp: PrinterPath): Promise<BeforeUpload | undefined> {
  try {
    const job = await ask.job();
    const entry = await ifNotFound(ask.fileInfo(fullPath(pp)), undefined);
    return { entry, job };
  } catch {
    return undefined;
  }
}

/** The entry differs from the one before: it did not exist, or its size or modification time changed. */
function storedAnew(before: BeforeUpload, entry: FileEntry): boolean {
  const old = before.entry;
  return old === undefined || old.size !== entry.size || old.m_timestamp !== entry.m_timestamp;
}

/** The running job is not the one that ran before: none ran, the id changed, or (no ids: legacy) another file ran. */
function startedAnew(before: BeforeUpload, job: Job, entry: FileEntry): boolean {
  const old = before.job;
  if (!isRunning(old)) return true;
  if (old.id !== undefined && job.id !== undefined) return old.id !== job.id;
  return !jobRuns(old.file, entry);
}

export async function reconcilePrintAfterUpload(
  ctx: ClientContext,
  ask: PrinterQuestions,
  pp: PrinterPath,
  size: number,
  original: PrusaLinkError,
  before: BeforeUpload | undefined,
  warning?: string,
): Promise<UploadResult> {
  if (!before) throw original; // nothing to compare with: an old file and an old job would look like ours
  let entry: FileEntry | undefined;
  let job: Job | null = null;
  try {
    job = await ask.job();
    entry = await ifNotFound(ask.fileInfo(fullPath(pp)), undefined);
  } catch {
    throw original; // the printer cannot tell us more: report what it said first
  }
  const stored = entry !== undefined && entry.size === size && storedAnew(before, entry);
  if (stored && entry && isRunning(job) && jobRuns(job.file, entry) && startedAnew(before, job, entry)) {
    const result: UploadResult = { path: fullPath(pp), size, printStarted: true, recoveredFromError: true, file: entry };
    if (warning) result.warning = warning;
    return result;
  }
  if (stored && entry && original.status === 409 && (original.code === 'NOT_READY' || original.code === 'PRINTER_BUSY'))
    throw ctx.err(
      'NOT_READY',
      `the file was stored as ${entry.path} but the print did not start: the printer is not ready${original.printerMessage ? ` ("${original.printerMessage}")` : ''} (HTTP 409)`,
      original,
    );
  throw original;
}
