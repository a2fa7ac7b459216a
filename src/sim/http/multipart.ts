/**
 * A streaming multipart/form-data parser: part headers are parsed as they arrive and part bodies are handed on in
 * pieces, so a form of any size passes through in bounded memory. A delimiter may be split across chunks anywhere.
 */

export interface PartInfo {
  name: string;
  filename?: string;
}

/** Where one part's bytes go. */
export interface PartSink {
  data(chunk: Buffer): void;
  end(): void;
}

export class MultipartError extends Error {}

/** Part headers are a few lines; anything longer is not a form a printer would accept. */
const MAX_HEADER_BYTES = 16 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

export function boundaryOf(contentType: string | undefined): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
}

type State = 'body' | 'after-delimiter' | 'headers' | 'done';

export class MultipartParser {
  /** Every delimiter is CRLF + `--boundary`; the first one's CRLF is supplied (see `pending`). */
  private readonly delimiter: Buffer;
  /** Unparsed bytes: at most one delimiter's length of body, or one part's headers. */
  private pending: Buffer = CRLF;
  private state: State = 'body';
  /** The current part's sink; none in the preamble. */
  private sink: PartSink | undefined;
  private stopped = false;

  constructor(
    boundary: string,
    private readonly onPart: (info: PartInfo) => PartSink,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  /** True once the closing delimiter (`--boundary--`) was read. */
  get complete(): boolean {
    return this.state === 'done';
  }

  /** Stops parsing for good (the request was answered); later writes are ignored. */
  stop(): void {
    this.stopped = true;
  }

  /** Throws MultipartError on a malformed body. */
  write(chunk: Buffer): void {
    if (this.stopped || this.state === 'done') return;
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    while (!this.stopped && this.step());
  }

  /** One state transition; false when more bytes are needed. */
  private step(): boolean {
    switch (this.state) {
      case 'body':
        return this.body();
      case 'after-delimiter':
        return this.afterDelimiter();
      case 'headers':
        return this.headers();
      case 'done':
        this.pending = Buffer.alloc(0); // the epilogue is ignored
        return false;
    }
  }

  private body(): boolean {
    const at = this.pending.indexOf(this.delimiter);
    if (at < 0) {
      // The tail may be the start of a delimiter split across chunks: keep it, pass the rest on.
      const safe = Math.max(0, this.pending.length - (this.delimiter.length - 1));
      if (safe > 0) {
        this.sink?.data(this.pending.subarray(0, safe));
        this.pending = this.pending.subarray(safe);
      }
      return false;
    }
    if (at > 0) this.sink?.data(this.pending.subarray(0, at));
    this.sink?.end();
    this.sink = undefined;
    this.pending = this.pending.subarray(at + this.delimiter.length);
    this.state = 'after-delimiter';
    return true;
  }

  private afterDelimiter(): boolean {
    if (this.pending.length < 2) return false;
    const two = this.pending.subarray(0, 2).toString('latin1');
    if (two === '--') {
      this.state = 'done';
      return true;
    }
    if (two !== '\r\n') throw new MultipartError('malformed delimiter line');
    this.pending = this.pending.subarray(2);
    this.state = 'headers';
    return true;
  }

  private headers(): boolean {
    // A part without any header line starts its body right after the delimiter line's CRLF.
    const end = this.pending.subarray(0, 2).equals(CRLF) ? -2 : this.pending.indexOf(HEADER_END);
    if (end === -1) {
      if (this.pending.length > MAX_HEADER_BYTES) throw new MultipartError('part headers too long');
      return false;
    }
    const text = end < 0 ? '' : this.pending.subarray(0, end).toString('utf8');
    this.pending = this.pending.subarray(end < 0 ? 2 : end + HEADER_END.length);
    const info = partInfo(text);
    this.sink = info ? this.onPart(info) : undefined;
    this.state = 'body';
    return true;
  }
}

function partInfo(headers: string): PartInfo | undefined {
  const disposition = /(?:^|\r\n)content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
  const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
  const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
  return name === undefined ? undefined : { name, filename };
}
