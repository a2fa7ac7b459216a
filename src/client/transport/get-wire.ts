/**
 * The GET wire: a GET whose answer is read into memory (status polls, jobs, listings, info), on node:http/https
 * `request()` directly. Not through axios: at 1,000 printers polled once a second axios's own work per request
 * (merging configs, its adapter's listeners, setKeepAlive on the socket of every request) cost three to four times
 * the CPU of the request itself on node:http (bench/RESULTS.md, "One instance watching 1,000 printers"). What axios
 * did for these requests is done here: the size limit and a cut-off answer. The transport keeps the rest (auth,
 * timeout through `signal`, the retry on a dropped idle connection, the error mapping); everything else (JSON
 * commands, downloads) stays on axios, uploads on upload-wire.ts.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { flatHeaders, type HttpResponse } from './http-message';

export interface GetRequestOptions {
  protocol: 'http' | 'https';
  hostname: string;
  port: number;
  agent: http.Agent;
  target: string;
  headers: Record<string, string>;
  signal: AbortSignal;
  /** The answer's body is read up to this size; more is a GetAnswerError. */
  maxResponseBytes: number;
}

/** An answer that could not be read whole: the transport maps it to a PROTOCOL error with these words. */
export class GetAnswerError extends Error {
  override readonly name = 'GetAnswerError';
  /** The code axios gave the same failures, kept for whoever reads an error's cause. */
  readonly code = 'ERR_BAD_RESPONSE';
}

/**
 * A failure of the request itself (refused, reset, ...), with what `isIdleConnectionReset` reads: whether it rode a
 * kept-alive connection and whether any answer had begun. Only those two facts: nothing of the request is kept.
 */
function withRequestFacts(err: Error, req: http.ClientRequest, answered: boolean): Error {
  Object.defineProperty(err, 'request', { value: { reusedSocket: req.reusedSocket, res: answered ? {} : undefined }, enumerable: false });
  return err;
}

const decoders: Record<string, (buf: Buffer, opts: zlib.ZlibOptions, cb: (err: Error | null, out: Buffer) => void) => void> = {
  gzip: zlib.gunzip,
  'x-gzip': zlib.gunzip,
  deflate: zlib.unzip,
  br: zlib.brotliDecompress,
};

/**
 * The body as sent, decoded: we ask for no encoding, but a proxy on the way may compress anyway (axios decoded it). A
 * coding we cannot read is a GetAnswerError naming it, not bytes handed on to fail later as "malformed JSON".
 */
function decoded(body: Buffer, headers: Record<string, string>, maxBytes: number): Promise<Buffer> {
  const coding = (headers['content-encoding'] ?? '').toLowerCase(); // Node's parser trims header values
  if (coding === '' || coding === 'identity') return Promise.resolve(body);
  const decode = decoders[coding];
  if (!decode) return Promise.reject(new GetAnswerError(`the answer is encoded as "${coding}", which this client cannot read`));
  return new Promise((resolve, reject) => {
    decode(body, { maxOutputLength: maxBytes }, (err, out) => {
      if (err instanceof RangeError) return reject(new GetAnswerError(`the answer is larger than ${maxBytes} bytes`));
      if (err) return reject(new GetAnswerError(`the answer could not be decoded (${coding}: ${err.message})`));
      delete headers['content-encoding'];
      delete headers['content-length'];
      resolve(out);
    });
  });
}

/** Sends the GET and resolves with the answer, read; rejects with the request's error or a GetAnswerError. */
export function sendGet(o: GetRequestOptions): Promise<HttpResponse> {
  // Before request(): the agent would open a connection at once, and the destroyed request's "socket hang up" would
  // find no error listener yet.
  if (o.signal.aborted) return Promise.reject(o.signal.reason);
  return new Promise<HttpResponse>((resolve, reject) => {
    let answered = false;
    // http.request takes the https agent too: the agent given (the transport's, by the address) makes the connection.
    const req = http.request({
      protocol: `${o.protocol}:`,
      hostname: o.hostname,
      port: o.port,
      agent: o.agent,
      // Stryker disable next-line StringLiteral: equivalent, Node sends GET for an empty method (docs/testing.md)
      method: 'GET',
      path: o.target,
      headers: o.headers,
    });
    // A promise settles once: a fail() after the end (the close that follows a too-large answer) only repeats the
    // destroy, which does nothing the second time.
    const fail = (err: unknown): void => {
      o.signal.removeEventListener('abort', onAbort);
      req.destroy();
      reject(err);
    };
    const onAbort = (): void => fail(o.signal.reason);
    o.signal.addEventListener('abort', onAbort);
    req.on('error', (err) => fail(withRequestFacts(err, req, answered)));
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > o.maxResponseBytes) return fail(new GetAnswerError(`the answer is larger than ${o.maxResponseBytes} bytes`));
        chunks.push(c);
      });
      res.once('end', () => {
        const headers = flatHeaders(res.headers);
        decoded(Buffer.concat(chunks, size), headers, o.maxResponseBytes).then(
          (body) => {
            o.signal.removeEventListener('abort', onAbort);
            resolve({ status: res.statusCode ?? 0, headers, body });
          },
          fail,
        );
      });
      // Closed before its end: the printer cut the answer off (or we destroyed it, and then already failed). Node
      // sends the response no 'error' when nobody listens, so 'close' is the one signal.
      res.once('close', () => {
        if (!res.complete) fail(new GetAnswerError('the answer was cut off'));
      });
    });
    req.end();
  });
}
