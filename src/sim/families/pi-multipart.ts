/**
 * Pi PrusaLink's legacy multipart upload `POST /api/files/local` (parts `file`, `path`, `select`, `print`): 201.
 * The file part streams into the store when `path` came before it. When it did not, the target folder is only known
 * at the end of the form (clients, ours included, append `path` after the file), so the bytes are spooled to a
 * temporary file first, as PrusaLink's own form parser does, and copied into the store once the form is read.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Exchange } from '../http/exchange';
import { boundaryOf } from '../http/multipart';
import { StoreError, type UploadWriter } from '../model/types';
import { splitPath } from '../runtime';
import { isPrintable } from './file-kinds';
import { receiveForm, type FileSink, type Refusal } from './form-upload';
import { PI_STORAGE_NAMES } from './pi-render';
import { hideNewUpload } from './pi-listing';

const COPY_CHUNK = 64 * 1024;
let spoolSeq = 0;

/** The file part's bytes until the target is known. */
interface Spool extends FileSink {
  /** Writes everything spooled into `writer` and removes the spool. */
  drainInto(writer: UploadWriter): void;
}

/** Spools to a temporary file. */
function diskSpool(): Spool {
  const file = path.join(os.tmpdir(), `prusalink-sim-${process.pid}-${++spoolSeq}.part`);
  let fd: number | undefined = fs.openSync(file, 'w+');
  const close = () => {
    if (fd === undefined) return;
    fs.closeSync(fd);
    fd = undefined;
    fs.rmSync(file, { force: true });
  };
  let size = 0;
  return {
    write(chunk) {
      if (fd === undefined) return;
      fs.writeSync(fd, chunk, 0, chunk.length, size);
      size += chunk.length;
    },
    abort: close,
    drainInto(writer) {
      if (fd === undefined) return;
      const buffer = Buffer.allocUnsafe(COPY_CHUNK);
      for (let offset = 0; offset < size; ) {
        const got = fs.readSync(fd, buffer, 0, Math.min(COPY_CHUNK, size - offset), offset);
        if (got <= 0) break;
        writer.write(buffer.subarray(0, got));
        offset += got;
      }
      close();
    },
  };
}

/** With discardUploads the store keeps only sizes, so counting is all there is to spool. */
function countingSpool(): Spool {
  let size = 0;
  return {
    write(chunk) {
      size += chunk.length;
    },
    abort() {
      size = 0;
    },
    drainInto(writer) {
      const zeros = Buffer.alloc(Math.min(COPY_CHUNK, size));
      for (let left = size; left > 0; left -= zeros.length) writer.write(zeros.subarray(0, Math.min(left, zeros.length)));
    },
  };
}

export async function piMultipartUpload(ex: Exchange): Promise<void> {
  const rt = ex.rt;
  const store = rt.primary;
  const boundary = boundaryOf(ex.header('content-type'));
  if (!boundary) return ex.error(400, 'Expected multipart/form-data');
  if (rt.transfer || rt.faults.transferInProgress) return ex.error(409, 'Another transfer in progress');
  const size = Number(ex.header('content-length') ?? 0);
  const transfer = rt.beginTransfer({ displayName: '', dir: `/${PI_STORAGE_NAMES['local']}`, url: ex.rawPath, size, toPrint: false });

  let writer: UploadWriter | undefined;
  let spool: Spool | undefined;
  /** Store segments of the target; undefined while it depends on a `path` still to come. */
  let target: string[] | undefined;
  const targetOf = (fields: Map<string, string>, fileName: string) => [...splitPath(fields.get('path') ?? ''), fileName];
  const openFile = (fileName: string, fieldsSoFar: Map<string, string>): FileSink | Refusal => {
    if (!isPrintable(fileName, 'pi')) return { status: 415, message: 'Unsupported file type' };
    if (!fieldsSoFar.has('path')) {
      spool = rt.opts.discardUploads ? countingSpool() : diskSpool();
      return spool;
    }
    target = targetOf(fieldsSoFar, fileName);
    if (store.resolve(target)) return { status: 409, message: 'File already exists' };
    try {
      writer = store.beginWrite(target, size, { overwrite: false });
    } catch (e) {
      if (e instanceof StoreError) return { status: 409, message: e.message };
      throw e;
    }
    return writer;
  };

  const form = await receiveForm(ex, transfer, boundary, openFile);
  if (!form.ok) return;
  if (form.fileName === undefined) return ex.error(400, 'Missing file part');
  if (spool) {
    target = targetOf(form.fields, form.fileName);
    const existing = store.resolve(target);
    try {
      if (existing) throw new StoreError('exists', 'File already exists');
      writer = store.beginWrite(target, size, { overwrite: false });
    } catch (e) {
      spool.abort();
      if (e instanceof StoreError) return ex.error(409, e.message);
      throw e;
    }
    spool.drainInto(writer);
  }
  if (!writer || !target) return ex.error(400, 'Missing file part');
  writer.finish();
  const entry = store.resolve(target) ?? writer.entry;
  hideNewUpload(rt, store, entry);
  const wantsPrint = form.fields.get('print') === 'true';
  if (wantsPrint) {
    rt.tick();
    const s = rt.model.state;
    if (!((s === 'IDLE' || s === 'READY') && rt.model.startPrint(entry))) return ex.error(409, 'Printer is not in state to print');
  }
  ex.json(201, { done: true, files: { local: { name: entry.name, origin: 'local', path: target.join('/') } } });
}
