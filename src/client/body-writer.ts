/**
 * Writes an upload body made of parts (multipart framing, a file, a Buffer, a caller's stream) to a BodyOut, with
 * exactly the declared number of bytes or an error: the Content-Length sent ahead is never wrong.
 *
 * A file goes through a ring of a few 1 MiB buffers allocated once per upload: the next read overlaps the previous
 * writes, and a buffer is refilled only after its write was called back (the socket has the bytes). No Buffer per
 * chunk, so no garbage piles up between collections (see body-request.ts for the measured numbers). How each
 * chunk is cut into writes is paced-out.ts's business.
 */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { BodyOut } from './body-request';
import { FAST_WRITE_BYTES, PacedOut, type OnWritten } from './paced-out';

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
      const chunk: Buffer = Buffer.isBuffer(raw) ? raw : typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw as unknown as Uint8Array);
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
