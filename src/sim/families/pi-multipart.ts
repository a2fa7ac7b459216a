/** Pi PrusaLink's legacy multipart upload `POST /api/files/local` (parts `file`, `path`, `print`): 201. */
import { BodyTooLarge, readBody } from '../http/body';
import type { Exchange } from '../http/exchange';
import { boundaryOf, parseMultipart } from '../http/multipart';
import { isPrintable } from './file-kinds';
import { splitPath } from '../runtime';

/** Bodies are parsed in memory: this legacy path is for small files (PUT is the real upload). */
const MULTIPART_LIMIT = 256 * 1024 * 1024;

export async function piMultipartUpload(ex: Exchange): Promise<void> {
  const rt = ex.rt;
  const boundary = boundaryOf(ex.header('content-type'));
  if (!boundary) return ex.error(400, 'Expected multipart/form-data');
  if (rt.transfer || rt.faults.transferInProgress) return ex.error(409, 'Another transfer in progress');
  let body: Buffer;
  try {
    body = await readBody(ex, MULTIPART_LIMIT);
  } catch (e) {
    if (e instanceof BodyTooLarge) return ex.error(413, 'Request entity too large');
    throw e;
  }
  const parts = parseMultipart(body, boundary);
  const field = (name: string) => parts.find((p) => p.name === name)?.data.toString('utf8').trim();
  const file = parts.find((p) => p.name === 'file' && p.filename);
  if (!file?.filename) return ex.error(400, 'Missing file part');
  if (!isPrintable(file.filename, 'pi')) return ex.error(415, 'Unsupported file type');
  const segments = [...splitPath(field('path') ?? ''), file.filename];
  if (rt.primary.resolve(segments)) return ex.error(409, 'File already exists');
  const entry = rt.primary.put(segments, file.data);
  if (field('print') === 'true') {
    rt.tick();
    const s = rt.model.state;
    if (!((s === 'IDLE' || s === 'READY') && rt.model.startPrint(entry))) return ex.error(409, 'Printer is not in state to print');
  }
  ex.json(201, { done: true, files: { local: { name: entry.name, origin: 'local', path: segments.join('/') } } });
}
