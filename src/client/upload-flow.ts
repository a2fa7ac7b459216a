/**
 * One upload from start to result: the checks that refuse early, one transfer at a time with a fresh Digest nonce,
 * the request the printer's family takes (v1 PUT or legacy multipart), the stored file's entry from the answer, and
 * the Print-After-Upload trap.
 */
import type { ClientContext } from './context';
import { entryFromV1, folderPathForms } from './entry-forms';
import { isPrusaLinkError } from './errors';
import { readyPiFolder } from './file-changes';
import { filesTarget, parentOf, usesV1Files } from './file-targets';
import type { HttpResponse } from './http';
import { fileFromLegacy, obj, str, type Json } from './normalize';
import { baseName, fullPath, isBinaryGcode, type PrinterPath } from './paths';
import { refFolderAliases } from './path-forms';
import { reconcilePrintAfterUpload, type PrinterQuestions } from './print-after-upload';
import { multipartBody, prepareSource, streamUpload, type PreparedSource, type StreamUploadArgs } from './upload';
import { refuseExistingOnMini, refuseExistingOnPi, uploadTarget } from './upload-checks';
import type { FileEntry, PrinterProfile, UploadOptions, UploadResult, UploadSource } from './types';

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
    if (p.family === 'mini-legacy') await refuseExistingOnMini(this.ctx, p, pp, overwrite);
    if (p.family === 'pi') {
      await readyPiFolder(this.ctx, parentOf(pp));
      await refuseExistingOnPi(this.ctx, p, pp, overwrite);
    }
    try {
      const res = await this.ctx.scheduler.run(true, async () => {
        if (this.ctx.transport.auth.mode === 'digest') {
          // A fresh, verified nonce right before the body, so no upload is streamed only to collect a 401.
          await this.ctx.transport.send({ method: 'GET', target: '/api/version' });
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
      const result: UploadResult = { path: fullPath(pp), size: src.size, printStarted: printAfter };
      const file = await this.uploadedEntry(p, pp, res).catch(() => undefined); // the upload succeeded even so
      if (file) result.file = file;
      if (warning) result.warning = warning;
      return result;
    } catch (e) {
      if (!printAfter || !isPrusaLinkError(e) || e.code === 'ABORTED' || e.code === 'AUTH_FAILED') throw e;
      return reconcilePrintAfterUpload(this.ctx, this.ask, pp, src.size, e, warning);
    }
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
