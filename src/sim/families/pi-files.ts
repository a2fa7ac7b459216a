/** Pi PrusaLink's file endpoints: v1 `/api/v1/files/{local|sdcard}/...`, thumbnails, raw downloads. */
import type { Exchange } from '../http/exchange';
import { sendFile } from '../http/send-file';
import { StoreError, type FileStoreApi } from '../model/types';
import { headerTrue } from './family';
import { isPrintable } from './file-kinds';
import { PI_STORAGE_NAMES, piFileInfo } from './pi-render';
import { etagOf, isBeingPrinted } from './store-paths';
import { firstChunk, receiveUpload, refuseEarly } from './upload';
import { hideNewUpload, listedStore } from './pi-listing';

/**
 * Pi answers `usb` (and any other storage) with 404; undefined after answering. `listed`: the store as the API's
 * reads see it (a new upload appears late, pi-listing.ts); uploads and deletes take the disk itself.
 */
export function piStore(ex: Exchange, storage: string | undefined, listed = true): FileStoreApi | undefined {
  const store = storage !== undefined ? ex.rt.stores[storage] : undefined;
  if (!store) ex.error(404, 'Location not found, use local.');
  return store && listed ? listedStore(ex.rt, store) : store;
}

export function piGetFile(ex: Exchange, storage: string, segs: string[]): void {
  const store = piStore(ex, storage);
  if (!store) return;
  const entry = store.resolve(segs);
  if (!entry) return ex.error(404, 'File not found');
  const etag = `W/${etagOf(store, entry)}`;
  const headers = {
    ETag: etag,
    'Last-Modified': new Date(entry.mtime * 1000).toUTCString(),
    'Read-Only': storage !== 'local' || entry.readOnly ? 'True' : 'False',
    'Currently-Printed': isBeingPrinted(ex.rt, entry, store) ? 'True' : 'False',
  };
  if (ex.header('if-none-match') === etag) return ex.empty(304, headers);
  ex.json(200, piFileInfo(store, storage, entry), headers);
}

/** Pi refuses a print until the end-of-print state has passed (about 10 s after the end). */
export function piStartPrint(ex: Exchange, storage: string, segs: string[]): void {
  const rt = ex.rt;
  const store = piStore(ex, storage);
  if (!store) return;
  rt.tick();
  const entry = store.resolve(segs);
  if (!entry || entry.kind !== 'file') return ex.error(404, 'File not found');
  if (!isPrintable(entry.name, 'pi')) return ex.error(415, 'Unsupported media type');
  const s = rt.model.state;
  if (s !== 'IDLE' && s !== 'READY') return ex.error(409, 'Printer is not in state to print');
  if (!rt.model.startPrint(entry)) return ex.error(409, 'Printer is not in state to print');
  ex.empty(204);
}

export function piDelete(ex: Exchange, storage: string, segs: string[]): void {
  const rt = ex.rt;
  const store = piStore(ex, storage, false);
  if (!store) return;
  if (storage !== 'local') return ex.error(409, 'SD Card Read Only');
  rt.tick();
  const entry = store.resolve(segs);
  if (!entry || segs.length === 0) return ex.error(404, 'File not found');
  if (isBeingPrinted(rt, entry, store)) return ex.error(409, 'File is currently printed');
  const recursive = headerTrue(ex.header('force'), false);
  try {
    store.remove(entry.segments, { recursive });
  } catch (e) {
    if (e instanceof StoreError && e.kind === 'not-empty') return ex.error(409, 'Directory is not empty');
    if (e instanceof StoreError) return ex.error(404, 'File not found');
    throw e;
  }
  ex.empty(204);
}

export async function piPut(ex: Exchange, storage: string, segs: string[]): Promise<void> {
  const rt = ex.rt;
  const store = piStore(ex, storage, false);
  if (!store) return;
  if (storage !== 'local') return refuseEarly(ex, 409, 'SD Card Read Only');
  if (headerTrue(ex.header('create-folder'), false)) {
    try {
      if (segs.length > 0) store.mkdir(segs, { recursive: true });
    } catch (e) {
      if (e instanceof StoreError) return ex.error(409, 'Conflict');
      throw e;
    }
    return ex.empty(201);
  }
  const length = Number(ex.header('content-length') ?? '0');
  if (!length) return refuseEarly(ex, 411, 'Length required');
  const name = segs[segs.length - 1];
  if (!name) return refuseEarly(ex, 400, 'Missing file name');
  if (/[\\:*?"<>|\x00-\x1f]/.test(segs.join('/')) || name.length > 248) return refuseEarly(ex, 400, 'Forbidden characters or name too long');
  if (!isPrintable(name, 'pi')) return refuseEarly(ex, 415, 'Unsupported file type');
  const type = (ex.header('content-type') ?? 'application/octet-stream').split(';')[0].trim().toLowerCase();
  const octet = type === 'application/octet-stream';
  if (!octet && type !== 'text/x.gcode') return refuseEarly(ex, 415, 'Unsupported media type');
  const overwrite = headerTrue(ex.header('overwrite'), false);
  const toPrint = headerTrue(ex.header('print-after-upload'), false);
  const existing = store.resolve(segs);
  if (existing?.kind === 'folder') return refuseEarly(ex, 409, 'Conflict: a folder of that name exists');
  if (existing && !overwrite) return refuseEarly(ex, 409, 'File already exists');
  if (existing && isBeingPrinted(rt, existing, store)) return refuseEarly(ex, 409, 'File is currently printed');
  if (rt.transfer || rt.faults.transferInProgress) return refuseEarly(ex, 409, 'Another transfer in progress');

  const first = await firstChunk(ex);
  const dir = `/${PI_STORAGE_NAMES[storage]}${segs.length > 1 ? '/' + segs.slice(0, -1).join('/') : ''}`;
  if (octet) return octetStreamBug(ex, store, segs, !!existing, first);
  const result = await receiveUpload(ex, { store, segments: segs, size: length, overwrite, toPrint, dir }, first);
  if (!result.ok) {
    if (result.status && !ex.res.destroyed) ex.error(result.status, result.message ?? 'Upload failed');
    return;
  }
  hideNewUpload(rt, store, result.entry);
  if (toPrint) {
    rt.tick();
    const s = rt.model.state;
    const started = (s === 'IDLE' || s === 'READY') && rt.model.startPrint(result.entry);
    const trap = rt.faults.printAfterUploadTrap;
    if (trap) return ex.error(trap, 'Upload finished with an error');
    if (!started) return ex.error(409, 'Printer is not in state to print');
  }
  ex.empty(201);
}

/**
 * PrusaLink 0.8.1 sniffs the MIME type of the destination path before the file is there: a new file gets 500,
 * an overwrite 415 and the existing file is deleted (observed).
 */
async function octetStreamBug(ex: Exchange, store: FileStoreApi, segs: string[], existed: boolean, first: Buffer) {
  ex.record.bodyBytes += first.length;
  await new Promise<void>((resolve) => {
    ex.req.on('data', (c: Buffer) => (ex.record.bodyBytes += c.length));
    ex.req.once('end', resolve);
    ex.req.once('close', resolve);
    ex.req.resume();
  });
  if (existed) {
    store.remove(segs, { recursive: false });
    return ex.error(415, 'Unsupported media type');
  }
  ex.error(500, 'Internal server error');
}

/** `/api/thumbnails/<storage name>/<path>.orig.png`; 410 when the file has no thumbnail. */
export function piThumbnail(ex: Exchange, segs: string[]): void {
  const found = byFullPath(ex, segs.length ? [...segs.slice(0, -1), segs[segs.length - 1].replace(/\.orig\.png$/, '')] : []);
  if (!found) return ex.error(404, 'File not found');
  const png = found.store.thumbnail(found.segs, 'large');
  if (!png) return ex.error(410, 'Thumbnail not available');
  ex.send(200, png, { 'Content-Type': 'image/png' });
}

/** `/api/files/local/<storage name>/<path>/raw` (the storage name is optional here). */
export function piRaw(ex: Exchange, segs: string[]): void {
  const inner = segs[0] === PI_STORAGE_NAMES['local'] ? segs : [PI_STORAGE_NAMES['local'], ...segs];
  const found = byFullPath(ex, inner);
  if (!found) return ex.error(404, 'File not found');
  const size = found.store.resolve(found.segs)?.size ?? 0;
  sendFile(ex, size, () => found.store.readStream(found.segs), {
    'Content-Type': 'text/x.gcode',
    'Content-Disposition': `attachment; filename="${found.segs[found.segs.length - 1]}"`,
  });
}

function byFullPath(ex: Exchange, segs: string[]): { store: FileStoreApi; segs: string[] } | undefined {
  const storage = Object.keys(PI_STORAGE_NAMES).find((k) => PI_STORAGE_NAMES[k] === segs[0]);
  if (!storage) return undefined;
  const store = listedStore(ex.rt, ex.rt.stores[storage]);
  const entry = store.resolve(segs.slice(1));
  if (!entry || entry.kind !== 'file' || entry.partial) return undefined;
  return { store, segs: entry.segments };
}
