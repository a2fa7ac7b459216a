/**
 * Streamed uploads: exact Content-Length, never chunked, never the whole file in memory; a stall timer instead of
 * a total timeout; progress; abort; and the printer's early answer read even while the body is still being written.
 */
import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import FormData from 'form-data';
import { PrusaLinkError } from './errors';
import { drain, type HttpResponse, type Transport } from './http';
import type { UploadProgress, UploadSource } from './types';

export interface PreparedSource {
  size: number;
  /** Opens the bytes; callable again when `replayable` (file and Buffer sources). */
  open: () => Readable;
  replayable: boolean;
}

export async function prepareSource(source: UploadSource, label: string): Promise<PreparedSource> {
  const bad = (msg: string) => new PrusaLinkError('INVALID_ARGUMENT', msg, { printer: label });
  if (!source || typeof source !== 'object') throw bad('the upload source must be { file }, { buffer } or { stream, size }');
  if ('file' in source) {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(source.file);
    } catch (err) {
      throw new PrusaLinkError('INVALID_ARGUMENT', `cannot read the local file ${JSON.stringify(source.file)}: ${(err as Error).message}`, {
        printer: label,
        cause: err,
      });
    }
    if (!stat.isFile()) throw bad(`${JSON.stringify(source.file)} is not a file`);
    return { size: stat.size, open: () => fs.createReadStream(source.file, { highWaterMark: 64 * 1024 }), replayable: true };
  }
  if ('buffer' in source) {
    if (!Buffer.isBuffer(source.buffer)) throw bad('buffer must be a Buffer');
    const buf = source.buffer;
    // Chunked so that progress and the stall timer see movement on large buffers too.
    return { size: buf.length, open: () => Readable.from(chunks(buf), { objectMode: false }), replayable: true };
  }
  if ('stream' in source) {
    if (!Number.isInteger(source.size) || source.size < 0)
      throw bad('a stream upload needs its exact size in bytes (the printer refuses chunked uploads)');
    let used = false;
    return {
      size: source.size,
      open: () => {
        if (used) throw bad('a stream can be sent only once');
        used = true;
        return Readable.from(source.stream as AsyncIterable<Buffer>, { objectMode: false });
      },
      replayable: false,
    };
  }
  throw bad('the upload source must be { file }, { buffer } or { stream, size }');
}

function* chunks(buf: Buffer): Generator<Buffer> {
  for (let i = 0; i < buf.length; i += 64 * 1024) yield buf.subarray(i, Math.min(buf.length, i + 64 * 1024));
}

export interface MultipartParts {
  fileName: string;
  fields: Record<string, string>;
}

/** A legacy multipart body with a fixed boundary, so its length and headers are the same every time it is opened. */
export function multipartBody(src: PreparedSource, parts: MultipartParts): { size: number; contentType: string; open: () => Readable } {
  const boundary = '----PrusaLinkNodeClient' + Math.random().toString(16).slice(2).padEnd(16, '0');
  const build = (withStream: boolean): FormData => {
    const form = new FormData();
    form.setBoundary(boundary);
    form.append('file', withStream ? src.open() : Buffer.alloc(0), {
      filename: parts.fileName,
      contentType: 'application/octet-stream',
      knownLength: src.size,
    });
    for (const [k, v] of Object.entries(parts.fields)) form.append(k, v);
    return form;
  };
  const probe = build(false);
  return {
    size: probe.getLengthSync() + 0,
    contentType: probe.getHeaders()['content-type'] as string,
    open: () => build(true) as unknown as Readable,
  };
}

export interface StreamUploadArgs {
  method: 'PUT' | 'POST';
  target: string;
  headers: Record<string, string>;
  open: () => Readable;
  size: number;
  replayable: boolean;
  stallTimeout: number;
  maxResponseBytes: number;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
  /** Size of the file itself when the body is larger (multipart): progress is reported in file bytes. */
  fileSize?: number;
}

/** Sends one upload request; resolves with the (success) answer, its body read. */
export async function streamUpload(t: Transport, a: StreamUploadArgs): Promise<HttpResponse> {
  const ctx = { method: a.method, path: a.target, printer: t.label };
  const controller = new AbortController();
  const onUserAbort = (): void => controller.abort(new PrusaLinkError('ABORTED', 'the upload was aborted', ctx));
  if (a.signal?.aborted) throw new PrusaLinkError('ABORTED', 'the upload was aborted before it started', ctx);
  a.signal?.addEventListener('abort', onUserAbort, { once: true });
  let stallTimer: NodeJS.Timeout | undefined;
  const armStall = (): void => {
    if (stallTimer) clearTimeout(stallTimer);
    stallTimer = setTimeout(
      () => controller.abort(new PrusaLinkError('TIMEOUT', `the upload stalled: no data moved for ${a.stallTimeout} ms`, ctx)),
      a.stallTimeout,
    );
  };
  const opened: Readable[] = [];
  let lastPercent = -1;
  const body = (): Readable => {
    const src = a.open();
    let sent = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        sent += chunk.length;
        armStall();
        const percent = a.size ? Math.floor((sent / a.size) * 100) : 100;
        if (a.onProgress && percent !== lastPercent) {
          lastPercent = percent;
          const total = a.fileSize ?? a.size;
          a.onProgress({ bytes: Math.min(total, Math.round((sent / (a.size || 1)) * total)), total, percent });
        }
        cb(null, chunk);
      },
    });
    src.on('error', (err) => counter.destroy(err));
    src.pipe(counter);
    opened.push(src, counter);
    return counter;
  };
  armStall();
  try {
    const res = await t.send({
      method: a.method,
      target: a.target,
      headers: a.headers,
      body,
      bodyLength: a.size,
      replayable: a.replayable,
      responseType: 'stream',
      timeout: 0,
      signal: controller.signal,
    });
    const data = res.stream ? await drain(res.stream, a.maxResponseBytes) : res.body;
    if (controller.signal.aborted && controller.signal.reason instanceof PrusaLinkError) throw controller.signal.reason;
    return { status: res.status, headers: res.headers, body: data };
  } finally {
    if (stallTimer) clearTimeout(stallTimer);
    a.signal?.removeEventListener('abort', onUserAbort);
    // Early answers leave the source half read: close it so no file descriptor stays open.
    for (const s of opened) if (!s.destroyed) s.destroy();
  }
}
