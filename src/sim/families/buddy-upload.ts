/** Buddy's PUT upload and Create-Folder (gcode_upload.cpp): name checks on the first body bytes, early answers. */
import type { Exchange } from '../http/exchange';
import { StoreError } from '../model/types';
import { buddyFileInfo } from './buddy-render';
import { headerTrue } from './family';
import { hasInvalidFatChars, isPrintable } from './file-kinds';
import { toLongSegments } from './store-paths';
import { firstChunk, receiveUpload, refuseEarly } from './upload';

/** `"/usb/" + path` is copied into a 104-byte buffer (FILE_PATH_BUFFER_LEN): cut short up to 6.3.x, 414 from 6.4.0. */
const PATH_BUFFER_BYTES = 103;
const MAX_NAME_CHARS = 167;

export async function buddyPut(ex: Exchange, segs: string[]): Promise<void> {
  const rt = ex.rt;
  const store = rt.primary;
  if (headerTrue(ex.header('create-folder'), false)) return createFolder(ex, segs);
  if (segs.length === 0) return ex.error(409, 'Is a directory or ongoing transfer');
  // 6.4.0 (commit 03e368e) checks the target before reading the body.
  if (rt.opts.buddy?.generation.longUploadPath === 'refuse-414' && uploadTargetBytes(segs) > PATH_BUFFER_BYTES)
    return refuseEarly(ex, 414, 'URI too long');
  const lengthHeader = ex.header('content-length');
  if (lengthHeader === undefined) return refuseEarly(ex, 411, 'Length required');
  const size = Number(lengthHeader);
  if (size === 0) return ex.error(501, 'Not implemented');

  const first = await firstChunk(ex);
  const refuse = (status: number, message: string) => {
    ex.record.bodyBytes += first.length;
    refuseEarly(ex, status, message);
  };
  if (rt.transfer || rt.faults.transferInProgress) return refuse(409, 'Another transfer in progress');
  if (segs[segs.length - 1].length > MAX_NAME_CHARS) return refuse(431, 'File name too long');
  const target = truncatePath(segs);
  const name = target[target.length - 1];
  if (target.some(hasInvalidFatChars)) return refuse(422, 'Filename contains invalid characters');
  if (!isPrintable(name, rt.family)) return refuse(415, 'Not a GCODE');
  const { segments, parentIsFile } = toLongSegments(store, target);
  if (parentIsFile) return refuse(409, 'Conflicting upload path');
  const existing = store.resolve(segments);
  const overwrite = headerTrue(ex.header('overwrite'), false);
  const toPrint = headerTrue(ex.header('print-after-upload'), true);
  if (existing?.kind === 'folder' || existing?.partial) return refuse(409, 'Is a directory or ongoing transfer');
  if (existing && !overwrite) return refuse(409, 'File already exists');
  const job = rt.model.job;
  if (existing && job && !rt.model.jobEnded && job.file.segments.join('/') === existing.segments.join('/')) {
    return refuse(409, 'File is busy');
  }

  const dir = segments.length > 1 ? `/usb/${segments.slice(0, -1).join('/')}` : '/usb';
  const result = await receiveUpload(ex, { store, segments, size, overwrite, toPrint, dir }, first);
  if (!result.ok) {
    if (result.status && !ex.res.destroyed) ex.error(result.status, result.message ?? 'Upload failed', { Connection: 'close' });
    return;
  }
  if (toPrint) {
    rt.tick();
    const started = !(rt.family === 'mini-legacy' && !rt.mainScreen) && rt.model.startPrint(result.entry);
    const trap = rt.faults.printAfterUploadTrap;
    // The firmware trap: an error status although the file is stored and the print started.
    if (trap) return ex.error(trap, trap === 404 ? 'Not found' : "Can't print right now", { Connection: 'close' });
    if (!started) return ex.error(409, "Can't print right now", { Connection: 'close' });
  }
  ex.json(201, buddyFileInfo(store, store.resolve(result.entry.segments) ?? result.entry), { Connection: 'close' });
}

function createFolder(ex: Exchange, segs: string[]): void {
  const store = ex.rt.primary;
  if (segs.length === 0) return ex.error(409, 'Already exists');
  const { segments, parentIsFile } = toLongSegments(store, segs);
  if (parentIsFile) return ex.error(500, 'Could not create folder');
  if (store.resolve(segments)) return ex.error(409, 'Already exists');
  try {
    store.mkdir(segments, { recursive: false });
  } catch (e) {
    if (e instanceof StoreError) return ex.error(500, 'Could not create folder');
    throw e;
  }
  ex.empty(201, { Connection: 'close' });
}

/** Cuts `"/usb/" + path` to the firmware's buffer, as it silently does; segments stay whole where possible. */
function uploadTargetBytes(segs: string[]): number {
  return Buffer.byteLength('/usb/' + segs.join('/'));
}

function truncatePath(segs: string[]): string[] {
  const full = Buffer.from('/usb/' + segs.join('/'));
  if (full.length <= PATH_BUFFER_BYTES) return segs;
  const cut = full.subarray(0, PATH_BUFFER_BYTES).toString('utf8').replace(/\uFFFD+$/, '');
  return cut.slice('/usb/'.length).split('/').filter((s) => s.length > 0);
}
