/** What is refused or adjusted before an upload sends a byte, so that no long transfer ends in a foreseeable refusal. */
import type { ClientContext } from './context';
import { fileExists, listLegacy } from './files';
import { baseName, checkPrintable, checkUploadLimits, fullPath, type PrinterPath } from './paths';
import type { PrinterProfile, UploadOptions } from './types';

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
