/**
 * One upload from start to result: the checks that refuse early, one transfer at a time with a fresh Digest nonce,
 * the request the printer's family takes (v1 PUT or legacy multipart), the stored file's entry from the answer, and
 * the Print-After-Upload trap.
 */
import type { ClientContext } from './context';
import { entryFromV1, folderPathForms } from './entry-forms';
import { isPrusaLinkError, type PrusaLinkError } from './errors';
import { filesTarget, parentOf, usesV1Files } from './file-targets';
import type { HttpResponse } from './http';
import { fileFromLegacy, obj, str, type Json } from './normalize';
import { baseName, fullPath, isBinaryGcode, type PrinterPath } from './paths';
import { refFolderAliases } from './path-forms';
import { askBeforeUpload, reconcilePrintAfterUpload, type PrinterQuestions } from './print-after-upload';
import { multipartBody, prepareSource, streamUpload, type PreparedSource, type StreamUploadArgs } from './upload';
import { refuseExistingOnMini, uploadTarget } from './upload-checks';
import type { FileEntry, PrinterProfile, UploadOptions, UploadResult, UploadSource } from './types';

/** How long an upload waits for the Pi to list the new file (10x the slowest listing measured), and how often it looks. */
const LISTING_WAIT_MS = 2000;
const LISTING_POLL_MS = 40;

/** The request itself; what every upload shares (progress, abort, stall timer) is added when it is sent. */
type UploadRequest = Pick<StreamUploadArgs, 'method' | 'target' | 'headers' | 'parts' | 'size'>;

export class UploadFlow {
  constructor(
    private readonly ctx: ClientContext,
    private readonly stallTimeout: number,
    private readonly ask: PrinterQuestions,
  ) {}

  async upload(p: PrinterProfile, source: UploadSource, path: string, opts: UploadOptions): Promise<UploadResult> {
    const { pp, warning } = uploadTarget(this.ctx, p, path, opts);
    const src = await prepareSource(source, this.ctx.label);
    const overwrite = opts.overwrite === true;
    const printAfter = opts.printAfterUpload === true;
    if (p.family === 'mini-legacy') await this.unlessAborted(refuseExistingOnMini(this.ctx, p, pp, overwrite), opts.signal);
    // What the printer says before the upload is what tells a trap (our file printing) from an old file printing.
    const before = printAfter ? await this.unlessAborted(askBeforeUpload(this.ask, pp), opts.signal) : undefined;
    try {
      const transfer = this.ctx.scheduler.run(true, async () => {
        if (opts.signal?.aborted) throw this.aborted();
        if (this.ctx.transport.auth.mode === 'digest') {
          // A fresh, verified nonce right before the body, so no upload is streamed only to collect a 401.
          await this.ctx.transport.send({ method: 'GET', target: '/api/version', signal: opts.signal });
        }
        const request = usesV1Files(p) ? putRequest(pp, src, overwrite, printAfter) : multipartRequest(p, pp, src, printAfter);
        return streamUpload(this.ctx.transport, {
          ...request,
          fileSize: src.size,
          replayable: src.replayable,
          stallTimeout: this.stallTimeout,
          onProgress: opts.onProgress,
          signal: opts.signal,
        });
      });
      const res = await this.unlessAborted(transfer, opts.signal);
      const result: UploadResult = { path: fullPath(pp), size: src.size, printStarted: printAfter };
      // The upload succeeded even when its entry cannot be read.
      const file = (await this.uploadedEntry(p, pp, res).catch(() => undefined)) ?? (await this.listedEntry(p, pp, opts.signal));
      if (file) result.file = file;
      else if (p.family === 'pi' && !opts.signal?.aborted)
        result.warning = `the printer did not list ${fullPath(pp)} within ${LISTING_WAIT_MS} ms of storing it: a print or info of it may still answer "not found"`;
      if (warning) result.warning = result.warning ? `${warning}; ${result.warning}` : warning;
      return result;
    } catch (e) {
      if (!printAfter || !isPrusaLinkError(e) || e.code === 'ABORTED' || e.code === 'AUTH_FAILED') throw e;
      return reconcilePrintAfterUpload(this.ctx, this.askAfterUpload(p, pp, opts.signal), pp, src.size, e, before, warning);
    }
  }

  private aborted(): PrusaLinkError {
    return this.ctx.err('ABORTED', 'the upload was aborted');
  }

  /**
   * `work`, or ABORTED as soon as `signal` aborts: a caller who aborts is answered at once, also while the upload
   * waits for its turn or for a question asked before it (those reads end on their own timeout, harmlessly).
   */
  private unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) return work;
    if (signal.aborted) {
      work.catch(() => undefined);
      return Promise.reject(this.aborted());
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(this.aborted());
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
  private async listedEntry(p: PrinterProfile, pp: PrinterPath, signal: AbortSignal | undefined): Promise<FileEntry | undefined> {
    const deadline = Date.now() + (p.family === 'pi' ? LISTING_WAIT_MS : 0);
    for (;;) {
      try {
        return await this.ask.fileInfo(fullPath(pp));
      } catch (e) {
        if (!isPrusaLinkError(e, 'NOT_FOUND')) return undefined;
      }
      if (Date.now() >= deadline || signal?.aborted) return undefined;
      await new Promise((resolve) => setTimeout(resolve, LISTING_POLL_MS));
    }
  }

  /** The questions after a failed upload; on the Pi the file is looked for until it is listed (see listedEntry). */
  private askAfterUpload(p: PrinterProfile, pp: PrinterPath, signal: AbortSignal | undefined): PrinterQuestions {
    if (p.family !== 'pi') return this.ask;
    return {
      job: () => this.ask.job(),
      fileInfo: async (path) => {
        const entry = await this.listedEntry(p, pp, signal);
        if (!entry) throw this.ctx.err('NOT_FOUND', `no such file: ${path}`);
        return entry;
      },
    };
  }

  /** The stored file's entry, when the printer's answer describes it (Buddy's v1 entry, or the legacy `files.local`). */
  private async uploadedEntry(p: PrinterProfile, pp: PrinterPath, res: HttpResponse): Promise<FileEntry | undefined> {
    if (res.body.length === 0) return undefined;
    let json: Json | undefined;
    try {
      json = obj(JSON.parse(res.body.toString('utf8')));
    } catch {
      return undefined;
    }
    if (!json) return undefined;
    if (str(json.name)) return entryFromV1(this.ctx, p, pp, json);
    const legacy = obj(obj(json.files)?.local);
    if (!legacy) return undefined;
    const parent = await folderPathForms(this.ctx, p, parentOf(pp), { aliases: refFolderAliases(str(obj(legacy.refs)?.download), pp.storage) });
    return fileFromLegacy(legacy, parent);
  }
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
