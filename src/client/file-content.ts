/** A file's bytes: its thumbnail and its download, both found through the refs of its entry. */
import type { Readable } from 'node:stream';
import type { ClientContext } from './context';
import { encodeRef } from './file-targets';
import { fileEntry } from './files';
import type { PrinterProfile } from './types';

export async function fetchThumbnail(ctx: ClientContext, p: PrinterProfile, path: string, size: 'small' | 'large'): Promise<Buffer> {
  const entry = await fileEntry(ctx, p, path);
  const refs = entry.refs ?? {};
  const ref = size === 'small' ? (refs.icon ?? refs.thumbnail) : (refs.thumbnail ?? refs.icon);
  if (!ref) throw ctx.err('NOT_FOUND', `the printer offers no thumbnail for ${entry.path}`);
  const res = await ctx.request({ method: 'GET', target: encodeRef(ref), accept: [410] });
  if (res.status === 410) throw ctx.err('NOT_FOUND', `the printer has no thumbnail for ${entry.path} (HTTP 410)`, { status: 410, path: ref });
  return res.body;
}

export async function openDownload(ctx: ClientContext, p: PrinterProfile, path: string): Promise<NodeJS.ReadableStream> {
  const entry = await fileEntry(ctx, p, path);
  const ref = entry.refs?.download;
  if (!ref) throw ctx.err('NOT_FOUND', `the printer offers no download for ${entry.path} (is it still being uploaded?)`);
  // The slot stays taken until the caller has read (or destroyed) the stream.
  return new Promise<NodeJS.ReadableStream>((resolve, reject) => {
    ctx.scheduler
      .run(false, async () => {
        const res = await ctx.transport.send({ method: 'GET', target: encodeRef(ref), responseType: 'stream' });
        const stream = res.stream as Readable;
        resolve(stream);
        await new Promise<void>((done) => stream.once('close', () => done()));
      })
      .catch(reject);
  });
}
