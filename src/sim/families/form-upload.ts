/**
 * Receiving a legacy multipart upload (MINI 4.4.1, Pi PrusaLink) as it streams in: the `file` part goes to a sink
 * chosen when its headers arrive, small fields are collected whatever their order, and the transfer slot, progress,
 * reset fault and early refusals behave as for a PUT upload.
 */
import type { Exchange } from '../http/exchange';
import { MultipartError, MultipartParser, type PartSink } from '../http/multipart';
import type { Transfer } from '../runtime';
import { refuseEarly } from './upload';

/** Where the file part's bytes go. */
export interface FileSink {
  write(chunk: Buffer): void;
  /** The upload failed: drop what was written. */
  abort(): void;
}

/** A refusal answered at once, while the client may still be writing. */
export interface Refusal {
  status: number;
  message: string;
}

/** `path`, `print` and `select` are short; a longer value is cut (the form is not meant to carry more). */
const MAX_FIELD_BYTES = 4096;

export type FormResult =
  | { ok: true; fields: Map<string, string>; fileName?: string }
  /** Already answered, or the client went away. */
  | { ok: false };

/**
 * Reads the whole form. `openFile` is called once, when the first part named `file` with a filename begins; the
 * fields that came before it are passed. The sink is left open on success: finishing it is the caller's business.
 */
export function receiveForm(
  ex: Exchange,
  transfer: Transfer,
  boundary: string,
  openFile: (fileName: string, fieldsSoFar: Map<string, string>) => FileSink | Refusal,
): Promise<FormResult> {
  const rt = ex.rt;
  const fields = new Map<string, string>();
  let fileName: string | undefined;
  let sink: FileSink | undefined;

  return new Promise((resolve) => {
    let done = false;
    const finish = (r: FormResult) => {
      if (done) return;
      done = true;
      parser.stop();
      rt.endTransfer(transfer);
      ex.req.off('data', onData);
      if (!r.ok) sink?.abort();
      resolve(r);
    };
    const refuse = (status: number, message: string) => {
      finish({ ok: false });
      refuseEarly(ex, status, message);
    };

    const onPart = (info: { name: string; filename?: string }): PartSink => {
      if (info.name === 'file' && info.filename !== undefined && fileName === undefined) {
        const opened = openFile(info.filename, new Map(fields));
        if ('status' in opened) {
          refuse(opened.status, opened.message);
          return { data: () => undefined, end: () => undefined };
        }
        fileName = info.filename;
        transfer.displayName = info.filename;
        sink = opened;
        return { data: (c) => opened.write(c), end: () => undefined };
      }
      if (info.filename !== undefined) return { data: () => undefined, end: () => undefined };
      const pieces: Buffer[] = [];
      let size = 0;
      return {
        data: (c) => {
          if (size < MAX_FIELD_BYTES) pieces.push(c.subarray(0, MAX_FIELD_BYTES - size));
          size += c.length;
        },
        end: () => {
          if (!fields.has(info.name)) fields.set(info.name, Buffer.concat(pieces).toString('utf8').trim());
        },
      };
    };
    const parser = new MultipartParser(boundary, onPart);

    const feed = (chunk: Buffer): void => {
      try {
        parser.write(chunk);
      } catch (e) {
        if (!(e instanceof MultipartError)) throw e;
        refuse(400, `Malformed multipart body: ${e.message}`);
      }
    };
    const onData = (chunk: Buffer) => {
      if (done) return;
      ex.record.bodyBytes += chunk.length;
      const reset = rt.faults.resetAfterBytes;
      if (reset !== undefined && transfer.transferred + chunk.length >= reset) {
        feed(chunk.subarray(0, Math.max(0, reset - transfer.transferred)));
        transfer.transferred = reset;
        finish({ ok: false });
        ex.req.socket.destroy();
        return;
      }
      transfer.transferred += chunk.length;
      feed(chunk);
    };
    transfer.cancel = () => {
      finish({ ok: false });
      ex.req.socket.destroy();
    };
    ex.req.on('data', onData);
    ex.req.once('end', () => {
      if (done) return;
      if (!parser.complete) return refuse(400, 'Truncated multipart body');
      finish({ ok: true, fields, fileName });
    });
    ex.req.once('close', () => {
      if (!ex.req.complete) finish({ ok: false });
    });
  });
}
