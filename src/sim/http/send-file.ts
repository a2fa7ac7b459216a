/** Answers with a stored file's bytes streamed from the store, so a download never sits whole in memory. */
import { Transform, pipeline, type Readable } from 'node:stream';
import type { Exchange, Headers } from './exchange';

/**
 * Sends `size` bytes from `open()` with a 200. A stream that does not yield exactly `size` bytes (an upload kept
 * only as a size with discardUploads, or a file changed under the reader) ends the connection instead of the answer,
 * so the client sees a broken download rather than a short one. `open` runs before anything is sent: it may throw.
 */
export function sendFile(ex: Exchange, size: number, open: () => Readable, headers: Headers): void {
  const res = ex.res;
  if (res.headersSent || res.destroyed) return;
  const source = ex.method === 'HEAD' ? undefined : open();
  ex.record.status = 200;
  res.writeHead(200, { ...headers, 'Content-Length': size });
  if (!source) {
    res.end();
    return;
  }
  let sent = 0;
  const exact = new Transform({
    transform(chunk: Buffer, _enc, done) {
      sent += chunk.length;
      done(sent > size ? new Error('file grew while sent') : null, chunk);
    },
    flush(done) {
      done(sent < size ? new Error('file shorter than its size') : null);
    },
  });
  // pipeline destroys every stream on failure (the client left, a read failed, the size did not match).
  pipeline(source, exact, res, () => undefined);
}
