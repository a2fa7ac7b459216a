/**
 * MINI 4.4.1's only upload: multipart `POST /api/files/local`. The part `file` names the target (stored in the USB
 * root; `path` is ignored); `print=true` starts it. 201 with legacy file JSON, 409 when the file exists. The file part
 * streams into the store; the name is checked as soon as the part's headers arrive, and the answer to a refused name
 * comes at once. `print` may follow the file part, so printing is decided once the whole form is read.
 */
import type { Exchange } from '../http/exchange';
import { boundaryOf } from '../http/multipart';
import { StoreError, type UploadWriter } from '../model/types';
import { hasInvalidFatChars, isPrintable } from './file-kinds';
import { receiveForm, type FileSink, type Refusal } from './form-upload';
import { legacyBuddyFile } from './legacy-render';
import { refuseEarly, storeErrorStatus } from './upload';

export async function miniMultipartUpload(ex: Exchange): Promise<void> {
  const rt = ex.rt;
  const store = rt.primary;
  const boundary = boundaryOf(ex.header('content-type'));
  if (!boundary) return ex.error(400, 'Expected multipart/form-data');
  const lengthHeader = ex.header('content-length');
  if (lengthHeader === undefined) return refuseEarly(ex, 411, 'Length required');
  if (rt.transfer || rt.faults.transferInProgress) return refuseEarly(ex, 409, 'Another transfer in progress');
  const size = Number(lengthHeader);
  const transfer = rt.beginTransfer({ displayName: '', dir: '/usb', url: ex.rawPath, size, toPrint: false });

  let writer: UploadWriter | undefined;
  const openFile = (fileName: string): FileSink | Refusal => {
    const name = fileName.split('/').pop() ?? fileName;
    if (hasInvalidFatChars(name)) return { status: 422, message: 'Filename contains invalid characters' };
    if (!isPrintable(name, rt.family)) return { status: 415, message: 'Not a GCODE' };
    if (store.resolve([name])) return { status: 409, message: 'File already exists' };
    try {
      // The body length bounds the file's size: the store uses it only to size its first buffer.
      writer = store.beginWrite([name], size, { overwrite: false });
    } catch (e) {
      if (!(e instanceof StoreError)) throw e;
      const [status, message] = storeErrorStatus(e);
      return { status, message };
    }
    return writer;
  };

  const form = await receiveForm(ex, transfer, boundary, openFile);
  if (!form.ok) return;
  if (!writer) return ex.error(400, 'Missing file part');
  writer.finish();
  // The writer's entry still says `partial`; the store has the finished one.
  const entry = store.resolve(writer.entry.segments) ?? writer.entry;
  if (form.fields.get('print') === 'true') {
    rt.tick();
    const trap = rt.faults.printAfterUploadTrap;
    const started = rt.mainScreen && rt.model.startPrint(entry);
    if (trap) return ex.error(trap, trap === 404 ? 'Not found' : "Can't start print now");
    if (!started) return ex.error(409, "Can't start print now");
  }
  ex.json(201, { done: true, files: { local: { ...legacyBuddyFile(entry), origin: 'local' } } }, { Connection: 'close' });
}
