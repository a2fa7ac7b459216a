/** Buddy's file endpoints: v1 GET/HEAD/POST/DELETE on `/api/v1/files/usb/...`, thumbnails and downloads. */
import type { Exchange } from '../http/exchange';
import { sendFile } from '../http/send-file';
import { StoreError, type StoredEntry } from '../model/types';
import { buddyFileInfo } from './buddy-render';
import { isPrintable } from './file-kinds';
import { etagOf, isBeingPrinted, sameEntry } from './store-paths';

export function getFileInfo(ex: Exchange, segs: string[]): void {
  const store = ex.rt.primary;
  const entry = store.resolve(segs);
  if (!entry) return ex.error(404, 'File not found');
  const etag = etagOf(store, entry);
  const headers: Record<string, string> = {
    ETag: etag,
    'Read-Only': String(entry.readOnly || entry.partial),
    'Currently-Printing': String(isBeingPrinted(ex.rt, entry, store)),
  };
  if (ex.header('if-none-match') === etag) return ex.empty(304, headers);
  ex.json(200, buddyFileInfo(store, entry), headers);
}

/** Starts a print: 204 (connection closed even then), 404 no file, 409 not ready. */
export function startPrint(ex: Exchange, segs: string[]): void {
  const rt = ex.rt;
  rt.tick();
  const entry = rt.primary.resolve(segs);
  if (!entry || entry.kind !== 'file' || entry.partial) return ex.error(404, 'File not found');
  if (!isPrintable(entry.name, rt.family)) return ex.error(409, 'Not a printable file');
  if (rt.family === 'mini-legacy' && !rt.mainScreen) return ex.error(409, "Can't start print now");
  if (!rt.model.startPrint(entry)) return ex.error(409, "Can't print right now");
  ex.empty(204, { Connection: 'close' });
}

/** Buddy delete: busy files 409, anything else that fails (a non-empty folder included) 404. */
export function deleteEntry(ex: Exchange, segs: string[]): void {
  const rt = ex.rt;
  rt.tick();
  const store = rt.primary;
  const entry = store.resolve(segs);
  if (!entry || segs.length === 0) return ex.error(404, 'File not found');
  if (isBeingPrinted(rt, entry, store)) return ex.error(409, 'File is busy');
  if (entry.partial) return ex.error(409, 'File is being transferred');
  leaveEndScreenFor(ex, entry);
  try {
    store.remove(entry.segments, { recursive: false });
  } catch (e) {
    if (e instanceof StoreError) return ex.error(404, 'Could not delete');
    throw e;
  }
  ex.empty(204);
}

/** Deleting the file of a finished or stopped job first leaves the end-of-print screen. */
function leaveEndScreenFor(ex: Exchange, entry: StoredEntry): void {
  const job = ex.rt.model.job;
  if (job && ex.rt.model.jobEnded && sameEntry(job.file, entry)) ex.rt.model.clearJob();
}

export function getThumbnail(ex: Exchange, size: 'small' | 'large', segs: string[]): void {
  const store = ex.rt.primary;
  const entry = store.resolve(segs);
  if (!entry || entry.kind !== 'file') return ex.error(404, 'File not found');
  const png = entry.partial ? undefined : store.thumbnail(entry.segments, size);
  if (!png) return ex.error(404, "File doesn't contain preview");
  const etag = etagOf(store, entry);
  if (ex.header('if-none-match') === etag) return ex.empty(304, { ETag: etag });
  ex.send(200, png, { 'Content-Type': 'image/png', ETag: etag, 'Cache-Control': 'private, max-age=86400' });
}

export function download(ex: Exchange, segs: string[]): void {
  const store = ex.rt.primary;
  const entry = store.resolve(segs);
  if (!entry || entry.kind !== 'file' || entry.partial) return ex.error(404, 'File not found');
  try {
    sendFile(ex, entry.size, () => store.readStream(entry.segments), {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${entry.alias}"`,
      'Cache-Control': 'no-store',
    });
  } catch (e) {
    if (e instanceof StoreError) return ex.error(404, 'File not found');
    throw e;
  }
}
