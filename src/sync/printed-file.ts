/** Which listed printer file the printer is printing now, so that the sync leaves it alone. */
import type { JobFile, PrinterStatus } from '../client/types';
import type { RemoteItem } from './remote-tree';

/** States in which the job's file is open on the printer (after FINISHED/STOPPED the printer lets go of it). */
const ACTIVE = new Set(['PRINTING', 'PAUSED', 'ATTENTION', 'BUSY']);

export function activeJobFile(status: PrinterStatus): JobFile | undefined {
  if (!status.job?.file || !ACTIVE.has(status.printer.state)) return undefined;
  return status.job.file;
}

/**
 * The job and the listing may spell one file differently (Buddy: alias or long-name folders, depending on how the
 * folder was asked for), so any one of these agreeing is a match: the full path, the long-name path, the printer's
 * own download ref (always its alias form), or the same long name with the same time stamp. FAT names ignore case.
 */
export function isPrintedFile(item: RemoteItem, job: JobFile | undefined): boolean {
  if (!job) return false;
  const same = (a?: string, b?: string) => !!a && !!b && a.toLowerCase() === b.toLowerCase();
  const e = item.entry;
  return (
    same(job.path, e.path) ||
    same(job.display_path, e.display_path) ||
    same(job.refs?.download, e.refs?.download) ||
    (same(job.display_name, e.display_name) && job.m_timestamp !== undefined && job.m_timestamp === e.m_timestamp)
  );
}
