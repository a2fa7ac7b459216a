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
import https from 'node:https';
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
function withRequestFacts(err: unknown, req: http.ClientRequest, answered: boolean): unknown {
  if (typeof err === 'object' && err !== null) {
    Object.defineProperty(err, 'request', { value: { reusedSocket: req.reusedSocket, res: answered ? {} : undefined }, enumerable: false });
  }
  return err;
}

/** Sends the GET and resolves with the answer, read; rejects with the request's error or a GetAnswerError. */
export function sendGet(o: GetRequestOptions): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    let answered = false;
    const req = (o.protocol === 'https' ? https : http).request({
      protocol: `${o.protocol}:`,
      hostname: o.hostname,
      port: o.port,
      agent: o.agent,
      method: 'GET',
      path: o.target,
      headers: o.headers,
    });
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      o.signal.removeEventListener('abort', onAbort);
      return true;
    };
    const fail = (err: unknown): void => {
      if (!settle()) return;
      req.destroy();
      reject(err);
    };
    const onAbort = (): void => fail(o.signal.reason);
    if (o.signal.aborted) return fail(o.signal.reason);
    o.signal.addEventListener('abort', onAbort, { once: true });
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
        if (settle()) resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks, size) });
      });
      // Closed before its end: the printer cut the answer off (or we destroyed it, and then already failed).
      res.once('close', () => {
        if (!res.complete) fail(new GetAnswerError('the answer was cut off'));
      });
      res.once('error', () => fail(new GetAnswerError('the answer was cut off')));
    });
    req.end();
  });
}
