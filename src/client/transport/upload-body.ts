/**
 * An upload body: the source checked and sized (a file, a Buffer, a caller's stream), the legacy multipart framing,
 * and the writer that puts exactly the declared number of bytes (or an error) onto the wire: the Content-Length sent
 * ahead is never wrong.
 *
 * A file goes through a ring of a few 1 MiB buffers allocated once per upload: the next read overlaps the previous
 * writes, and a buffer is refilled only after its write was called back (the socket has the bytes). No Buffer per
 * chunk, so no garbage piles up between collections (upload-wire.ts says why this matters). How each chunk is cut
 * into writes is PacedOut's business (below).
 */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { ClientContext } from '../context';
import { PrusaLinkError } from '../errors';
import type { UploadSource } from '../types';

/** Where an upload body goes. Chunks are written in order; a chunk's buffer may be refilled once its write resolved. */
export interface BodyOut {
  /** Queues a chunk; resolves once the socket has taken it; rejects when the request ended before the body did. */
  write(chunk: Buffer): Promise<void>;
  /** Resolves when the request wants more (at once, or after 'drain'); rejects when the request ended. */
  ready(): Promise<void>;
  /** Aborted when the request ends before the body (an early answer, an error, an abort): stop producing. */
  readonly stopped: AbortSignal;
}

export interface PreparedSource {
  size: number;
  /** The bytes as a body part; callable again when `replayable` (file and Buffer sources). */
  part: () => BodyPart;
  replayable: boolean;
}

/** The caller's source checked and sized before anything is sent; a bad one is INVALID_ARGUMENT. */
export async function prepareSource(ctx: ClientContext, source: UploadSource): Promise<PreparedSource> {
  const bad = (msg: string) => ctx.err('INVALID_ARGUMENT', msg);
  if (!source || typeof source !== 'object') throw bad('the upload source must be { file }, { buffer } or { stream, size }');
  if ('file' in source) {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(source.file);
    } catch (err) {
      throw new PrusaLinkError('INVALID_ARGUMENT', `cannot read the local file ${JSON.stringify(source.file)}: ${(err as Error).message}`, {
        printer: ctx.label,
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

// ---- pacing ---------------------------------------------------------------------------------------------------

/**
 * Write sizes for an upload body, chosen by the pace of the link. Each write is called back once the socket has
 * taken it, and those callbacks drive the progress events and the stall timer. On a printer taking 25 KB/s a 1 MiB
 * write is called back only after about 40 s, which is too rare for a progress bar and longer than the default stall
 * timeout. So the body starts in 64 KiB writes (one callback every few seconds even at 25 KB/s), and moves to 1 MiB
 * writes only once the link has proven far faster than any printer: the per-write cost of Node's http stack then
 * matters (small writes cost measurably more CPU per byte: bench/RESULTS.md, "Uploads on node:http").
 */
const SLOW_WRITE_BYTES = 64 * 1024;
const FAST_WRITE_BYTES = 1024 * 1024;
/**
 * Called back this many bytes within FAST_WINDOW_MS: at least 8 MB/s, over 25 times the fastest printer. The amount
 * is larger than the kernel's send buffer, so a buffer filling at once does not pass for a fast link.
 */
const FAST_PROOF_BYTES = 8 * 1024 * 1024;
const FAST_WINDOW_MS = 1000;

/** Called after each write was called back, in order; `payload` says whether the bytes are the file's. */
export type OnWritten = (bytes: number, payload: boolean) => void;

class PacedOut {
  private writeBytes = SLOW_WRITE_BYTES;
  private calledBack = 0;
  private startedAt = 0;

  constructor(
    private readonly out: BodyOut,
    private readonly onWritten: OnWritten,
  ) {}

  get stopped(): AbortSignal {
    return this.out.stopped;
  }

  ready(): Promise<void> {
    return this.out.ready();
  }

  /**
   * Queues `chunk` as one or more writes (views, no copies). Resolves once the socket has taken all of it, so its
   * buffer may then be refilled; never an unhandled rejection if awaited late.
   */
  write(chunk: Buffer, payload: boolean): Promise<void> {
    if (this.startedAt === 0) this.startedAt = performance.now();
    // Writes are called back in order: the last one settled means all did.
    let last = Promise.resolve();
    for (let pos = 0; pos < chunk.length; pos += this.writeBytes) {
      const piece = chunk.subarray(pos, Math.min(chunk.length, pos + this.writeBytes));
      last = this.out.write(piece).then(() => this.done(piece.length, payload));
      last.catch(() => undefined);
    }
    return last;
  }

  private done(bytes: number, payload: boolean): void {
    this.calledBack += bytes;
    if (this.writeBytes < FAST_WRITE_BYTES && this.calledBack >= FAST_PROOF_BYTES && performance.now() - this.startedAt <= FAST_WINDOW_MS)
      this.writeBytes = FAST_WRITE_BYTES;
    this.onWritten(bytes, payload);
  }
}

// ---- writing the parts ---------------------------------------------------------------------------------------

const RING_CHUNK_BYTES = FAST_WRITE_BYTES;
const RING_SLOTS = 4;

export type BodyPart =
  /** Bytes of our own (multipart framing) or the caller's Buffer; `payload` says whether they count as file bytes. */
  | { kind: 'bytes'; data: Buffer; payload: boolean }
  /** A file as it was when prepared: it must still have this size and modification time when read. */
  | { kind: 'file'; path: string; size: number; mtimeMs: number }
  /** A caller's stream with its declared size. */
  | { kind: 'stream'; stream: NodeJS.ReadableStream; size: number };

/** A problem with the upload source itself (not the printer, not the network). */
export class SourceError extends Error {}

export function partSize(part: BodyPart): number {
  return part.kind === 'bytes' ? part.data.length : part.size;
}

export async function writeParts(parts: BodyPart[], to: BodyOut, onWritten: OnWritten): Promise<void> {
  const out = new PacedOut(to, onWritten);
  for (const part of parts) {
    if (part.kind === 'bytes') await writeBytes(part.data, part.payload, out);
    else if (part.kind === 'file') await writeFile(part, out);
    else await writeStream(part, out);
  }
}

/** Slices of the Buffer itself (no copies), so that progress and the stall timer see large Buffers move. */
async function writeBytes(data: Buffer, payload: boolean, out: PacedOut): Promise<void> {
  // Writes are called back in order: the last one settled means all did.
  let last = Promise.resolve();
  for (let pos = 0; pos < data.length; pos += RING_CHUNK_BYTES) {
    last = out.write(data.subarray(pos, Math.min(data.length, pos + RING_CHUNK_BYTES)), payload);
    await out.ready();
  }
  await last;
}

async function writeFile(part: Extract<BodyPart, { kind: 'file' }>, out: PacedOut): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(part.path, 'r');
  } catch (err) {
    throw new SourceError(`cannot read the local file ${JSON.stringify(part.path)}: ${(err as Error).message}`);
  }
  // The next read is started as soon as the current chunk is queued, so reading overlaps writing.
  let reading: Promise<Buffer> | undefined;
  try {
    await checkUnchanged(handle, part);
    const chunkBytes = Math.min(RING_CHUNK_BYTES, Math.max(1, part.size));
    const slots = Math.min(RING_SLOTS, Math.ceil(part.size / chunkBytes));
    const ring = Array.from({ length: slots }, () => ({ buf: Buffer.allocUnsafeSlow(chunkBytes), written: Promise.resolve() }));
    const readAt = async (slot: (typeof ring)[number], pos: number): Promise<Buffer> => {
      await slot.written; // refilled only once the socket has taken its bytes
      if (out.stopped.aborted) throw out.stopped.reason;
      const { bytesRead } = await handle.read(slot.buf, 0, Math.min(chunkBytes, part.size - pos), pos);
      if (bytesRead === 0) throw changed(part);
      // The last bytes complete the upload on the printer: the file must be the one announced before they go.
      if (pos + bytesRead === part.size) await checkUnchanged(handle, part);
      return bytesRead === slot.buf.length ? slot.buf : slot.buf.subarray(0, bytesRead);
    };
    let pos = 0;
    reading = settledLater(readAt(ring[0], 0));
    for (let i = 0; reading; i++) {
      const chunk = await reading;
      pos += chunk.length;
      ring[i % slots].written = out.write(chunk, true);
      reading = pos < part.size ? settledLater(readAt(ring[(i + 1) % slots], pos)) : undefined;
      await out.ready();
    }
    await Promise.all(ring.map((s) => s.written));
  } finally {
    await reading?.catch(() => undefined); // no read may be left running on a closed handle
    await handle.close();
  }
}

async function checkUnchanged(handle: fs.promises.FileHandle, part: Extract<BodyPart, { kind: 'file' }>): Promise<void> {
  const st = await handle.stat();
  if (st.size !== part.size || st.mtimeMs !== part.mtimeMs) throw changed(part, st.size);
}

function changed(part: Extract<BodyPart, { kind: 'file' }>, nowSize?: number): SourceError {
  const sizes = nowSize !== undefined && nowSize !== part.size ? ` (${part.size} bytes when the upload started, ${nowSize} now)` : '';
  return new SourceError(`the local file ${JSON.stringify(part.path)} changed during the upload${sizes}; the upload was stopped, try again once it is complete`);
}

/** The caller's chunks as they come (they own the buffers), with backpressure; exactly `size` bytes or an error. */
async function writeStream(part: Extract<BodyPart, { kind: 'stream' }>, out: PacedOut): Promise<void> {
  // Ending the wait for the next chunk when the request ends: a stalled stream must not hold the upload forever.
  const onStop = (): void => {
    (part.stream as Partial<Readable>).destroy?.();
  };
  out.stopped.addEventListener('abort', onStop, { once: true });
  let last = Promise.resolve();
  let sent = 0;
  try {
    for await (const raw of part.stream) {
      if (out.stopped.aborted) break;
      const chunk = bytesOf(raw);
      sent += chunk.length;
      if (sent > part.size) throw new SourceError(`the stream gave more bytes than its declared size of ${part.size}`);
      last = out.write(chunk, true);
      await out.ready();
    }
  } catch (err) {
    if (out.stopped.aborted) throw out.stopped.reason;
    if (err instanceof SourceError) throw err;
    throw new SourceError(`the upload stream failed: ${(err as Error)?.message ?? String(err)}`);
  } finally {
    out.stopped.removeEventListener('abort', onStop);
  }
  if (out.stopped.aborted) throw out.stopped.reason;
  if (sent < part.size) throw new SourceError(`the stream ended after ${sent} bytes; its declared size is ${part.size}`);
  await last;
}

/** A promise awaited later: rejecting before that must not count as an unhandled rejection. */
function settledLater<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** A chunk as bytes: a stream gives Buffers or strings, an object-mode one may give plain Uint8Arrays (copied). */
function bytesOf(raw: string | Uint8Array): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  return typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw);
}
