/**
 * MINI 4.4.1's only upload: multipart `POST /api/files/local`. The part `file` names the target (stored in the USB
 * root; `path` is ignored); `print=true` starts it. 201 with legacy file JSON, 409 when the file exists.
 */
import type { Exchange } from '../http/exchange';
import { boundaryOf, parseMultipart } from '../http/multipart';
import { StoreError } from '../model/types';
import { hasInvalidFatChars, isPrintable } from './file-kinds';
import { legacyBuddyFile } from './legacy-render';
import { refuseEarly, storeErrorStatus } from './upload';

export async function miniMultipartUpload(ex: Exchange): Promise<void> {
  const rt = ex.rt;
  const boundary = boundaryOf(ex.header('content-type'));
  if (!boundary) return ex.error(400, 'Expected multipart/form-data');
  const lengthHeader = ex.header('content-length');
  if (lengthHeader === undefined) return refuseEarly(ex, 411, 'Length required');
  if (rt.transfer || rt.faults.transferInProgress) return refuseEarly(ex, 409, 'Another transfer in progress');
  const size = Number(lengthHeader);
  const transfer = rt.beginTransfer({ displayName: '', dir: '/usb', url: ex.rawPath, size, toPrint: false });
  const body = await new Promise<Buffer | undefined>((resolve) => {
    const chunks: Buffer[] = [];
    ex.req.on('data', (c: Buffer) => {
      ex.record.bodyBytes += c.length;
      transfer.transferred += c.length;
      const reset = rt.faults.resetAfterBytes;
      if (reset !== undefined && transfer.transferred >= reset) {
        ex.req.socket.destroy();
        return resolve(undefined);
      }
      chunks.push(c);
    });
    ex.req.once('end', () => resolve(Buffer.concat(chunks)));
    ex.req.once('close', () => resolve(undefined));
  }).finally(() => rt.endTransfer(transfer));
  if (!body) return;
  const parts = parseMultipart(body, boundary);
  const file = parts.find((p) => p.name === 'file' && p.filename);
  if (!file?.filename) return ex.error(400, 'Missing file part');
  const name = file.filename.split('/').pop() ?? file.filename;
  if (hasInvalidFatChars(name)) return ex.error(422, 'Filename contains invalid characters');
  if (!isPrintable(name, rt.family)) return ex.error(415, 'Not a GCODE');
  if (rt.primary.resolve([name])) return ex.error(409, 'File already exists');
  let entry;
  try {
    entry = rt.primary.put([name], file.data);
  } catch (e) {
    if (e instanceof StoreError) return ex.error(...storeErrorStatus(e));
    throw e;
  }
  const print = parts.find((p) => p.name === 'print')?.data.toString().trim() === 'true';
  if (print) {
    rt.tick();
    const trap = rt.faults.printAfterUploadTrap;
    const started = rt.mainScreen && rt.model.startPrint(entry);
    if (trap) return ex.error(trap, trap === 404 ? 'Not found' : "Can't start print now");
    if (!started) return ex.error(409, "Can't start print now");
  }
  ex.json(201, { done: true, files: { local: { ...legacyBuddyFile(entry), origin: 'local' } } }, { Connection: 'close' });
}
