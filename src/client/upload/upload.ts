/**
 * One upload from start to result: the checks that refuse or adjust before a byte is sent (so that no long transfer
 * ends in a foreseeable refusal), one transfer at a time, the request the printer's family takes (v1 PUT or legacy
 * multipart), the stored file's entry from the answer, and the Print-After-Upload trap (print-after-upload.ts).
 */
import type { ClientContext } from '../context';
import { abortedError, isPrusaLinkError, type PrusaLinkError } from '../errors';
import { readyPiFolder } from '../files/changes';
import { describePath, entryFromV1, fileExists, folderPathForms, listLegacy } from '../files/listing';
import {
  baseName,
  checkPrintable,
  checkUploadLimits,
  filesTarget,
  fullPath,
  isBinaryGcode,
  parentOf,
  refFolderAliases,
  usesV1Files,
  type PrinterPath,
} from '../files/paths';
import { fileFromLegacy, obj, str, type Json } from '../normalize';
import type { StatusReader } from '../status';
import { multipartBody, prepareSource, type PreparedSource } from '../transport/upload-body';
import { streamUpload, type StreamUploadArgs } from '../transport/upload-wire';
import type { HttpResponse } from '../transport/transport';
import type { FileEntry, PrinterProfile, UploadOptions, UploadResult, UploadSource } from '../types';
import { askBeforeUpload, reconcilePrintAfterUpload, type PrinterQuestions } from './print-after-upload';

// Stryker disable all: outside the mutation suite's scope (docs/testing.md); the simulator suites cover this part.
/** How long an upload waits for the Pi to list the new file (10x the slowest listing measured), and how often it looks. */
const LISTING_WAIT_MS = 2000;
const LISTING_POLL_MS = 40;

/** The request itself; what every upload shares (progress, abort, stall timer) is added when it is sent. */
type UploadRequest = Pick<StreamUploadArgs, 'method' | 'target' | 'headers' | 'parts' | 'size'>;

/**
 * One upload from start to result. `status` answers the job question of the Print-After-Upload trap (it keeps the
 * job's file across calls); the file question is the caller's fileInfo().
 */
export async function uploadFile(
  ctx: ClientContext,
  p: PrinterProfile,
  status: StatusReader,
  source: UploadSource,
  path: string,
  opts: UploadOptions,
): Promise<UploadResult> {
  const ask: PrinterQuestions = { job: () => status.job(p), fileInfo: (file) => describePath(ctx, p, file) };
  const { pp, warning } = uploadTarget(ctx, p, path, opts);
  const src = await prepareSource(ctx, source);
  const overwrite = opts.overwrite === true;
  const printAfter = opts.printAfterUpload === true;
  if (p.family === 'mini-legacy') await unlessAborted(ctx, refuseExistingOnMini(ctx, p, pp, overwrite), opts.signal);
  if (p.family === 'pi') {
    // PrusaLink's file watcher loses folders made too fast (issue 14.1), and refuses an existing name only after
    // closing on the body (14.2): make the folder visible first, and refuse a name that is taken before sending.
    await unlessAborted(ctx, readyPiFolder(ctx, parentOf(pp)), opts.signal);
    await unlessAborted(ctx, refuseExistingOnPi(ctx, p, pp, overwrite), opts.signal);
  }
  // What the printer says before the upload is what tells a trap (our file printing) from an old file printing.
  const before = printAfter ? await unlessAborted(ctx, askBeforeUpload(ask, pp), opts.signal) : undefined;
  try {
    const transfer = ctx.scheduler.run(true, async () => {
      if (opts.signal?.aborted) throw aborted(ctx);
      // No upload is streamed only to collect a 401: the transport asks for what the authentication needs first.
      await ctx.transport.prepareForBody(opts.signal);
      const request = usesV1Files(p) ? putRequest(pp, src, overwrite, printAfter) : multipartRequest(p, pp, src, printAfter);
      return streamUpload(ctx, { ...request, fileSize: src.size, replayable: src.replayable, onProgress: opts.onProgress, signal: opts.signal });
    });
    const res = await unlessAborted(ctx, transfer, opts.signal);
    const result: UploadResult = { path: fullPath(pp), size: src.size, printStarted: printAfter };
    // The upload succeeded even when its entry cannot be read.
    const file = (await uploadedEntry(ctx, p, pp, res).catch(() => undefined)) ?? (await listedEntry(ask, p, pp, opts.signal));
    if (file) result.file = file;
    else if (p.family === 'pi' && !opts.signal?.aborted)
      result.warning = `the printer did not list ${fullPath(pp)} within ${LISTING_WAIT_MS} ms of storing it: a print or info of it may still answer "not found"`;
    if (warning) result.warning = result.warning ? `${warning}; ${result.warning}` : warning;
    return result;
  } catch (e) {
    if (!printAfter || !isPrusaLinkError(e) || e.code === 'ABORTED' || e.code === 'AUTH_FAILED') throw e;
    return reconcilePrintAfterUpload(ctx, askAfterUpload(ctx, ask, p, pp, opts.signal), pp, src.size, e, before, warning);
  }
}

function aborted(ctx: ClientContext): PrusaLinkError {
  return abortedError('upload', { printer: ctx.label });
}

/**
 * `work`, or ABORTED as soon as `signal` aborts: a caller who aborts is answered at once, also while the upload
 * waits for its turn or for a question asked before it (those reads end on their own timeout, harmlessly).
 */
function unlessAborted<T>(ctx: ClientContext, work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(aborted(ctx));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted(ctx));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The stored file as the printer lists it, when its answer did not describe it. Pi PrusaLink lists a new file
 * only 114–225 ms after its 201 (observed), and until then a print, fileInfo or thumbnail of it get 404: the
 * upload resolves once the file is listed, so the next step does not depend on luck. Bounded: the upload itself
 * has succeeded whatever the listing says.
 */
async function listedEntry(ask: PrinterQuestions, p: PrinterProfile, pp: PrinterPath, signal: AbortSignal | undefined): Promise<FileEntry | undefined> {
  const deadline = Date.now() + (p.family === 'pi' ? LISTING_WAIT_MS : 0);
  for (;;) {
    try {
      return await ask.fileInfo(fullPath(pp));
    } catch (e) {
      if (!isPrusaLinkError(e, 'NOT_FOUND')) return undefined;
    }
    if (Date.now() >= deadline || signal?.aborted) return undefined;
    await new Promise((resolve) => setTimeout(resolve, LISTING_POLL_MS));
  }
}

/** The questions after a failed upload; on the Pi the file is looked for until it is listed (see listedEntry). */
function askAfterUpload(ctx: ClientContext, ask: PrinterQuestions, p: PrinterProfile, pp: PrinterPath, signal: AbortSignal | undefined): PrinterQuestions {
  if (p.family !== 'pi') return ask;
  return {
    job: () => ask.job(),
    fileInfo: async (path) => {
      const entry = await listedEntry(ask, p, pp, signal);
      if (!entry) throw ctx.err('NOT_FOUND', `no such file: ${path}`);
      return entry;
    },
  };
}

/** The stored file's entry, when the printer's answer describes it (Buddy's v1 entry, or the legacy `files.local`). */
async function uploadedEntry(ctx: ClientContext, p: PrinterProfile, pp: PrinterPath, res: HttpResponse): Promise<FileEntry | undefined> {
  if (res.body.length === 0) return undefined;
  let json: Json | undefined;
  try {
    json = obj(JSON.parse(res.body.toString('utf8')));
  } catch {
    return undefined;
  }
  if (!json) return undefined;
  if (str(json.name)) return entryFromV1(ctx, p, pp, json);
  const legacy = obj(obj(json.files)?.local);
  if (!legacy) return undefined;
  const parent = await folderPathForms(ctx, p, parentOf(pp), { aliases: refFolderAliases(str(obj(legacy.refs)?.download), pp.storage) });
  return fileFromLegacy(legacy, parent);
}

function putRequest(pp: PrinterPath, src: PreparedSource, overwrite: boolean, printAfter: boolean): UploadRequest {
  // Headers are built here for this one call: nothing of an earlier call's options can leak in (trap §11.2).
  const headers: Record<string, string> = {
    'Content-Type': isBinaryGcode(baseName(pp)) ? 'application/gcode+binary' : 'text/x.gcode',
  };
  if (overwrite) headers['Overwrite'] = '?1';
  if (printAfter) headers['Print-After-Upload'] = '?1';
  return { method: 'PUT', target: filesTarget('v1', pp), headers, parts: () => [src.part()], size: src.size };
}

function multipartRequest(p: PrinterProfile, pp: PrinterPath, src: PreparedSource, printAfter: boolean): UploadRequest {
  const fields: Record<string, string> = {};
  if (p.family === 'pi' && pp.segments.length > 1) fields.path = pp.segments.slice(0, -1).join('/');
  if (printAfter) fields.print = 'true';
  const body = multipartBody(src, { fileName: baseName(pp), fields });
  return {
    method: 'POST',
    target: `/api/files/${p.family === 'pi' ? encodeURIComponent(pp.storage) : 'local'}`,
    headers: { 'Content-Type': body.contentType },
    parts: body.parts,
    size: body.size,
  };
}

// Stryker restore all
// ---- checks before a byte is sent -----------------------------------------------------------------------------

export interface UploadTarget {
  pp: PrinterPath;
  /** Set when the file goes elsewhere than asked (MINI 4.4.1 into the root). */
  warning?: string;
}

/** Where the file will go: printable name, the printer's length limits, a writable storage, a folder it can reach. */
export function uploadTarget(ctx: ClientContext, p: PrinterProfile, path: string, opts: UploadOptions): UploadTarget {
  const pp = ctx.parse(p, path);
  ctx.labelled(() => {
    checkPrintable(p.family, pp, path);
    checkUploadLimits(p.family, pp, path);
  });
  if (p.storages.find((s) => s.name === pp.storage)?.read_only) throw ctx.err('FORBIDDEN', `the storage "${pp.storage}" is read-only`);
  if (p.family !== 'mini-legacy' || pp.segments.length <= 1) return { pp };
  if (!opts.toRootIfUnsupported)
    throw ctx.err(
      'UNSUPPORTED',
      `this printer (MINI firmware 4.4) can only upload into the root of the USB stick, not into "${pp.segments.slice(0, -1).join('/')}"; upload to the root or set toRootIfUnsupported`,
    );
  return {
    pp: { storage: pp.storage, segments: [baseName(pp)] },
    warning: `this printer (MINI firmware 4.4) cannot upload into a folder: the file was stored as /${pp.storage}/${baseName(pp)} instead of ${fullPath(pp)}`,
  };
}

/**
 * MINI 4.4.1 answers 409 to an upload whose name exists, but only after it has read the body (minutes at its
 * 54 KB/s), and it cannot replace a file. One listing of the root (the only folder it uploads to) refuses first.
 * With overwrite the file is NOT deleted for the caller: should the upload then fail, the file would be lost.
 */
export async function refuseExistingOnMini(ctx: ClientContext, p: PrinterProfile, pp: PrinterPath, overwrite: boolean): Promise<void> {
  const { entries } = await listLegacy(ctx, p, { storage: pp.storage, segments: [] });
  const wanted = baseName(pp).toLowerCase();
  const hit = entries.find((e) => e.name.toLowerCase() === wanted || e.display_name.toLowerCase() === wanted);
  if (!hit) return;
  const where = `${hit.display_path} already exists on the printer`;
  if (!overwrite) throw ctx.err('FILE_EXISTS', where);
  throw ctx.err(
    'FILE_EXISTS',
    `${where}, and this printer (MINI firmware 4.4) cannot replace a file. It is not deleted automatically, because a failed upload would then lose it: delete it first (e.g. with the rm node), then upload again`,
  );
}

/**
 * Pi PrusaLink answers 409 to an existing name before it reads the body, then closes the connection: with a large
 * body the client sees only the write error (EPIPE), not the answer. One existence check refuses first.
 */
export async function refuseExistingOnPi(ctx: ClientContext, p: PrinterProfile, pp: PrinterPath, overwrite: boolean): Promise<void> {
  if (overwrite || !(await fileExists(ctx, p, fullPath(pp)))) return;
  throw ctx.err('FILE_EXISTS', `${fullPath(pp)} already exists on the printer (set overwrite to replace it)`, { status: 409 });
}
