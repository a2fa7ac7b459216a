/**
 * What every part of the client shares for one printer: its transport, its scheduler and its label. Every module
 * takes this (first argument of its functions, or the only argument of its constructor) rather than the client, so
 * each depends only on the plumbing it uses.
 */
import { PrusaLinkError, abortedError } from './errors';
import { parseUserPath, type PrinterPath } from './files/paths';
import { obj, type Json } from './normalize';
import type { HttpResponse, RequestSpec, Transport } from './transport/transport';
import type { PrinterProfile } from './types';

export class ClientContext {
  constructor(
    readonly label: string,
    readonly transport: Transport,
    readonly scheduler: Scheduler,
  ) {}

  /** One ordinary request, when the scheduler gives it a slot. */
  request(spec: RequestSpec): Promise<HttpResponse> {
    return this.scheduler.run(false, () => this.transport.send(spec));
  }

  /** A GET whose 200 answer must be a JSON object; an accepted other status gives `{}`. */
  async getJson(target: string, accept?: number[]): Promise<{ status: number; json: Json }> {
    const res = await this.request({ method: 'GET', target, accept });
    if (res.status !== 200) return { status: res.status, json: {} };
    // An empty 200 answer carries no fields: an empty object.
    const json = obj(parseJson(res, { method: 'GET', path: target, printer: this.label }) ?? {});
    if (!json)
      throw new PrusaLinkError('PROTOCOL', 'the printer sent JSON of an unexpected shape', { method: 'GET', path: target, printer: this.label, status: 200 });
    return { status: res.status, json };
  }

  /**
   * A coded error of this printer. Given the error it replaces, it keeps that error's request, status and printer
   * words, and the error itself as its cause (reduced by PrusaLinkError to its code and words: nothing of a request).
   */
  err(code: PrusaLinkError['code'], message: string, from: { method?: string; path?: string; status?: number } | PrusaLinkError = {}): PrusaLinkError {
    const { method, path, status } = from;
    if (!(from instanceof PrusaLinkError)) return new PrusaLinkError(code, message, { method, path, status, printer: this.label });
    return new PrusaLinkError(code, message, { method, path, status, printerMessage: from.printerMessage, cause: from, printer: this.label });
  }

  /** Validation errors raised before any request carry the printer label too. */
  labelled<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof PrusaLinkError && !e.printer)
        throw new PrusaLinkError(e.code, e.message, { status: e.status, printerMessage: e.printerMessage, printer: this.label });
      throw e;
    }
  }

  /** The user's path on this printer; a storage it does not have is refused. */
  parse(p: PrinterProfile, path: string): PrinterPath {
    return this.labelled(() => {
      const parsed = parseUserPath(path ?? '', p.storages.map((s) => s.name), p.defaultStorage);
      if (!p.storages.some((s) => s.name === parsed.storage)) throw new PrusaLinkError('INVALID_PATH', `unknown storage "${parsed.storage}"`);
      return parsed;
    });
  }
}

/**
 * Parses a JSON answer; malformed or truncated JSON is a PROTOCOL error. An empty body is no JSON: it gives
 * `undefined`, and the caller says what that means.
 */
export function parseJson(res: HttpResponse, ctx: { method: string; path: string; printer: string }): unknown {
  const text = res.body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new PrusaLinkError('PROTOCOL', 'the printer sent malformed JSON', { ...ctx, status: res.status, cause: err });
  }
}

// ---- the scheduler ------------------------------------------------------------------------------------------

/**
 * Per-printer request scheduler: at most two requests in flight (Buddy serves three connections, shared with its
 * web UI and Prusa Connect, docs §9), and one upload at a time (printers take one transfer at a time). While an
 * upload runs, one other request may go along with it, so that status polling goes on during a long upload.
 * Strict FIFO so an upload is not starved by polling.
 */

interface Waiter {
  upload: boolean;
  start: () => void;
  fail: (err: Error) => void;
}

export class Scheduler {
  private active = 0;
  private uploadActive = false;
  private readonly queue: Waiter[] = [];
  private closed = false;

  constructor(private readonly maxParallel = 2) {}

  /** Runs `fn` when a slot is free; `upload` marks a transfer, of which only one runs at a time. */
  run<T>(upload: boolean, fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(abortedError('closed'));
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        this.active += 1;
        if (upload) this.uploadActive = true;
        fn()
          .then(resolve, reject)
          .finally(() => {
            this.active -= 1;
            if (upload) this.uploadActive = false;
            this.pump();
          });
      };
      this.queue.push({ upload, start, fail: reject });
      this.pump();
    });
  }

  /** Rejects everything still waiting (running work is aborted by its owner). */
  close(): void {
    this.closed = true;
    for (const w of this.queue.splice(0)) w.fail(abortedError('closed'));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0];
      const canStart = this.active < this.maxParallel && !(head.upload && this.uploadActive);
      if (!canStart) return;
      this.queue.shift();
      head.start();
    }
  }
}
