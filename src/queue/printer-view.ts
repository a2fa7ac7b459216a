/**
 * What the queue reads in a printer status: is a print running, and is it one of our jobs. Paths are compared in
 * every form the printer may use (8.3 alias or long name, with or without the storage), case-insensitively,
 * because Buddy and the MINI report the job's file by its alias while the queue holds the name the flow gave.
 */
import type { JobFile, PrinterState, PrinterStatus } from '../client/types';
import type { QueueJob } from './types';

/** States in which the printer holds a print (ATTENTION and BUSY happen during one: runout, preheat on old firmware). */
const RUNNING: ReadonlySet<PrinterState> = new Set(['PRINTING', 'PAUSED', 'ATTENTION', 'BUSY']);
/** The end-of-print screen (Buddy) or the short end state (Pi). */
export const END_SCREEN: ReadonlySet<PrinterState> = new Set(['FINISHED', 'STOPPED']);
export const IDLE_STATES: ReadonlySet<PrinterState> = new Set(['IDLE', 'READY']);
const STORAGES = new Set(['usb', 'local', 'sdcard']);

export function stateOf(status: PrinterStatus): PrinterState {
  return status.printer?.state ?? status.state;
}

/** The printer holds a print (its job is shown, or the state says so). */
export function printRunning(status: PrinterStatus): boolean {
  const s = stateOf(status);
  return RUNNING.has(s) || ((s === 'ERROR' || s === 'UNKNOWN') && status.job !== undefined);
}

/** `usb/dir/a.gcode` → `dir/a.gcode`, lower case, no leading or trailing slash. */
export function pathKey(p: string): string {
  const segs = p.trim().toLowerCase().split('/').filter(Boolean);
  if (segs.length > 1 && STORAGES.has(segs[0] as string)) segs.shift();
  return segs.join('/');
}

/** The printer paths a job's file may be reported under. */
export function jobPaths(job: QueueJob): string[] {
  const out: string[] = [];
  if (job.source.kind === 'printer') out.push(job.source.path);
  if (job.printerPath) out.push(job.printerPath);
  if (job.printerAlias) out.push(job.printerAlias);
  return out;
}

export function fileMatches(file: JobFile | undefined, paths: string[]): boolean {
  if (!file) return false;
  const keys = new Set(paths.map(pathKey));
  const theirs = [file.path, file.display_path].filter((p): p is string => !!p).map(pathKey);
  if (theirs.some((k) => keys.has(k))) return true;
  // No long path (a root file on some firmware): the long name and the folder of the alias path together.
  const dir = pathKey(file.path).split('/').slice(0, -1).join('/');
  const long = [dir, file.display_name.toLowerCase()].filter(Boolean).join('/');
  return keys.has(long);
}

/**
 * The running print is this job's: the printer's job id when both are known (the strongest proof), else the file.
 */
export function runsJob(status: PrinterStatus, job: QueueJob): boolean {
  if (!printRunning(status) || !status.job) return false;
  if (job.printerJobId !== undefined && status.job.id !== undefined) return job.printerJobId === status.job.id;
  return fileMatches(status.job.file, jobPaths(job));
}

/** Network-type failures: the printer is offline, its queue waits. */
export function isOffline(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'UNREACHABLE' || code === 'TIMEOUT' || code === 'ABORTED';
}

export function errorInfo(err: unknown): { code: string; message: string } {
  const e = err as { code?: unknown; message?: unknown } | null;
  return {
    code: typeof e?.code === 'string' ? e.code : 'ERROR',
    message: typeof e?.message === 'string' ? e.message : String(err),
  };
}
