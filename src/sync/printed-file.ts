/** Which listed printer file the printer is printing now, so that the sync leaves it alone. */
import type { JobFile, PrinterStatus } from '../client/types';
import type { RemoteItem } from './remote-tree';

/** States in which the job's file is open on the printer (after FINISHED/STOPPED the printer lets go of it). */
const ACTIVE = new Set(['PRINTING', 'PAUSED', 'ATTENTION', 'BUSY']);

export function activeJobFile(status: PrinterStatus): JobFile | undefined {
  if (!status.job?.file || !ACTIVE.has(status.printer.state)) return undefined;
  return status.job.file;
}

/** The client gives job files and listed entries one path form (the printer's own URL form); FAT names ignore case. */
export function isPrintedFile(item: RemoteItem, job: JobFile | undefined): boolean {
  return !!job && job.path.toLowerCase() === item.entry.path.toLowerCase();
}
