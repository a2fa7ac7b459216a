/**
 * The Print-After-Upload trap (docs §11.1): the printer may answer an error although it stored the file and
 * started printing it. Ask the printer before reporting; never retry (a retry could print twice).
 */
import type { ClientContext } from './context';
import { ifNotFound, type PrusaLinkError } from './errors';
import { toState } from './normalize';
import { fullPath, type PrinterPath } from './paths';
import type { FileEntry, Job, UploadResult } from './types';

/** The client's public job() and fileInfo(): the answers a caller asking after the error would get. */
export interface PrinterQuestions {
  job(): Promise<Job | null>;
  fileInfo(path: string): Promise<FileEntry>;
}

export async function reconcilePrintAfterUpload(
  ctx: ClientContext,
  ask: PrinterQuestions,
  pp: PrinterPath,
  size: number,
  original: PrusaLinkError,
  warning?: string,
): Promise<UploadResult> {
  let entry: FileEntry | undefined;
  let job: Job | null = null;
  try {
    job = await ask.job();
    entry = await ifNotFound(ask.fileInfo(fullPath(pp)), undefined);
  } catch {
    throw original; // the printer cannot tell us more: report what it said first
  }
  const jf = job?.file;
  const sameFile =
    entry !== undefined &&
    jf !== undefined &&
    (jf.path.toLowerCase() === entry.path.toLowerCase() || (jf.name.toLowerCase() === entry.name.toLowerCase() && jf.display_name === entry.display_name));
  const running = job !== null && ['PRINTING', 'PAUSED', 'ATTENTION', 'BUSY'].includes(toState(job.state));
  if (sameFile && running) {
    const result: UploadResult = { path: fullPath(pp), size, printStarted: true, recoveredFromError: true, file: entry };
    if (warning) result.warning = warning;
    return result;
  }
  if (entry && original.status === 409 && (original.code === 'NOT_READY' || original.code === 'PRINTER_BUSY'))
    throw ctx.err(
      'NOT_READY',
      `the file was stored as ${entry.path} but the print did not start: the printer is not ready${original.printerMessage ? ` ("${original.printerMessage}")` : ''} (HTTP 409)`,
      original,
    );
  throw original;
}
