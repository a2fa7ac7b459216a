/**
 * Receiving an upload body into the store: the one-transfer slot, progress for `/api/v1/transfer`, the reset fault,
 * and answering early (while the client is still writing) the way Buddy does.
 */
import type { Exchange } from '../http/exchange';
import { StoreError, type FileStoreApi, type StoredEntry, type UploadWriter } from '../model/types';

export interface UploadTarget {
  store: FileStoreApi;
  /** Long-name segments below the storage root. */
  segments: string[];
  size: number;
  overwrite: boolean;
  toPrint: boolean;
  /** Folder as the family shows it in transfer objects (`/usb/DIR`). */
  dir: string;
}

/** Answers an error now, while the client may still be writing; the connection closes after the answer. */
export function refuseEarly(ex: Exchange, status: number, message: string): void {
  ex.error(status, message, { Connection: 'close' });
}

/** Resolves with the first body chunk, or an empty buffer when the body ended (or the client left) first. */
export function firstChunk(ex: Exchange): Promise<Buffer> {
  return new Promise((resolve) => {
    const onData = (c: Buffer) => {
      cleanup();
      ex.req.pause();
      resolve(c);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.alloc(0));
    };
    const cleanup = () => {
      ex.req.off('data', onData);
      ex.req.off('end', onEnd);
      ex.req.off('close', onEnd);
    };
    ex.req.on('data', onData);
    ex.req.once('end', onEnd);
    ex.req.once('close', onEnd);
  });
}

export type UploadResult = { ok: true; entry: StoredEntry } | { ok: false; status?: number; message?: string };

/** Maps a store refusal to the answer Buddy gives for it. */
export function storeErrorStatus(e: StoreError): [number, string] {
  switch (e.kind) {
    case 'exists':
      return [409, 'File already exists'];
    case 'parent-is-file':
      return [409, 'Conflicting upload path'];
    case 'is-folder':
      return [409, 'Is a directory or ongoing transfer'];
    case 'read-only':
      return [409, 'Read only'];
    case 'not-found':
      return [404, 'Destination directory does not exist'];
    default:
      return [409, e.message];
  }
}

/**
 * Writes the body (starting with `first`, already read) into the store. The answer is left to the caller unless
 * the connection died. `ok:false` without a status means the client went away (or the reset fault fired).
 */
export function receiveUpload(ex: Exchange, target: UploadTarget, first: Buffer): Promise<UploadResult> {
  const rt = ex.rt;
  let writer: UploadWriter;
  try {
    writer = target.store.beginWrite(target.segments, target.size, { overwrite: target.overwrite });
  } catch (e) {
    if (e instanceof StoreError) {
      const [status, message] = storeErrorStatus(e);
      return Promise.resolve({ ok: false, status, message });
    }
    throw e;
  }
  const transfer = rt.beginTransfer({
    displayName: writer.entry.name,
    dir: target.dir,
    url: ex.rawPath,
    size: target.size,
    toPrint: target.toPrint,
  });
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: UploadResult) => {
      if (done) return;
      done = true;
      rt.endTransfer(transfer);
      ex.req.off('data', onData);
      resolve(r);
    };
    const fail = () => {
      writer.abort();
      finish({ ok: false });
    };
    const onData = (chunk: Buffer) => {
      if (done) return;
      ex.record.bodyBytes += chunk.length;
      const reset = rt.faults.resetAfterBytes;
      if (reset !== undefined && transfer.transferred + chunk.length >= reset) {
        writer.write(chunk.subarray(0, Math.max(0, reset - transfer.transferred)));
        fail();
        ex.req.socket.destroy();
        return;
      }
      writer.write(chunk);
      transfer.transferred += chunk.length;
    };
    transfer.cancel = () => {
      fail();
      ex.req.socket.destroy();
    };
    ex.req.on('data', onData);
    ex.req.once('end', () => {
      if (done) return;
      if (transfer.transferred < target.size) {
        writer.abort();
        finish({ ok: false, status: 400, message: 'Truncated body' });
        return;
      }
      writer.finish();
      // The writer's entry still says `partial`; the store has the finished one.
      finish({ ok: true, entry: target.store.resolve(writer.entry.segments) ?? writer.entry });
    });
    ex.req.once('close', () => {
      if (!ex.req.complete) fail();
    });
    if (first.length > 0) onData(first);
    ex.req.resume();
  });
}
