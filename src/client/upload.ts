/**
 * Uploads: exact Content-Length, never chunked, never the whole file in memory; a stall timer instead of a total
 * timeout; progress; abort; and the printer's early answer read even while the body is still being written. The body
 * is written by body-writer.ts on node:http (body-request.ts says why not through axios).
 */
import fs from 'node:fs';
import type { BodyOut } from './body-request';
import { SourceError, partSize, writeParts, type BodyPart } from './body-writer';
import { PrusaLinkError } from './errors';
import type { HttpResponse, Transport } from './http';
import type { UploadProgress, UploadSource } from './types';

export interface PreparedSource {
  size: number;
  /** The bytes as a body part; callable again when `replayable` (file and Buffer sources). */
  part: () => BodyPart;
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
    const part: BodyPart = { kind: 'file', path: source.file, size: stat.size, mtimeMs: stat.mtimeMs };
    return { size: stat.size, part: () => part, replayable: true };
  }
  if ('buffer' in source) {
    if (!Buffer.isBuffer(source.buffer)) throw bad('buffer must be a Buffer');
    const part: BodyPart = { kind: 'bytes', data: source.buffer, payload: true };
    return { size: source.buffer.length, part: () => part, replayable: true };
  }
  if ('stream' in source) {
    if (!Number.isInteger(source.size) || source.size < 0)
      throw bad('a stream upload needs its exact size in bytes (the printer refuses chunked uploads)');
    let used = false;
    return {
      size: source.size,
      part: () => {
        if (used) throw bad('a stream can be sent only once');
        used = true;
        return { kind: 'stream', stream: source.stream, size: source.size };
      },
      replayable: false,
    };
  }
  throw bad('the upload source must be { file }, { buffer } or { stream, size }');
}

export interface MultipartParts {
  fileName: string;
  fields: Record<string, string>;
}

/**
 * A legacy multipart body: our own framing around the file part (the file itself still goes through the ring), with
 * a fixed boundary so that its length and headers are the same every time it is written.
 */
export function multipartBody(src: PreparedSource, parts: MultipartParts): { size: number; contentType: string; parts: () => BodyPart[] } {
  const boundary = '----PrusaLinkNodeClient' + Math.random().toString(16).slice(2).padEnd(16, '0');
  const preamble =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="file"; filename="${quoteFormName(parts.fileName)}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  let trailer = '\r\n';
  for (const [k, v] of Object.entries(parts.fields))
    trailer += `--${boundary}\r\nContent-Disposition: form-data; name="${quoteFormName(k)}"\r\n\r\n${v}\r\n`;
  trailer += `--${boundary}--\r\n`;
  const head: BodyPart = { kind: 'bytes', data: Buffer.from(preamble, 'utf8'), payload: false };
  const tail: BodyPart = { kind: 'bytes', data: Buffer.from(trailer, 'utf8'), payload: false };
  return {
    size: partSize(head) + src.size + partSize(tail),
    contentType: `multipart/form-data; boundary=${boundary}`,
    parts: () => [head, src.part(), tail],
  };
}

/** The HTML form encoding of a name in a Content-Disposition header: quotes and line breaks escaped. */
function quoteFormName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export interface StreamUploadArgs {
  method: 'PUT' | 'POST';
  target: string;
  headers: Record<string, string>;
  parts: () => BodyPart[];
  size: number;
  replayable: boolean;
  stallTimeout: number;
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
    if (stallTimer) {
      stallTimer.refresh();
      return;
    }
    stallTimer = setTimeout(
      () => controller.abort(new PrusaLinkError('TIMEOUT', `the upload stalled: no data moved for ${a.stallTimeout} ms`, ctx)),
      a.stallTimeout,
    );
  };
  const total = a.fileSize ?? a.size;
  let lastPercent = -1;
  const write = async (out: BodyOut): Promise<void> => {
    let sent = 0;
    // Called once per write the socket took (64 KiB, or 1 MiB on a fast link): cheap enough for a timer and a callback.
    const onWritten = (bytes: number, payload: boolean): void => {
      armStall();
      if (!payload) return;
      sent += bytes;
      const percent = total ? Math.floor((sent / total) * 100) : 100;
      if (a.onProgress && percent !== lastPercent) {
        lastPercent = percent;
        a.onProgress({ bytes: Math.min(total, sent), total, percent });
      }
    };
    try {
      await writeParts(a.parts(), out, onWritten);
    } catch (err) {
      if (err instanceof SourceError) throw new PrusaLinkError('INVALID_ARGUMENT', err.message, { ...ctx, cause: err });
      throw err;
    }
  };
  armStall();
  try {
    const res = await t.send({
      method: a.method,
      target: a.target,
      headers: a.headers,
      write,
      bodyLength: a.size,
      replayable: a.replayable,
      signal: controller.signal,
    });
    if (controller.signal.aborted && controller.signal.reason instanceof PrusaLinkError) throw controller.signal.reason;
    return res;
  } finally {
    if (stallTimer) clearTimeout(stallTimer);
    a.signal?.removeEventListener('abort', onUserAbort);
  }
}
