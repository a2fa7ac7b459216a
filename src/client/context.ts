/**
 * What every part of the client shares for one printer: its transport, its scheduler and its label. The parts take
 * this rather than the client itself, so each depends only on the plumbing it uses.
 */
import { PrusaLinkError } from './errors';
import { parseJson, type HttpResponse, type RequestSpec, type Transport } from './http';
import { obj, type Json } from './normalize';
import { parseUserPath, type PrinterPath } from './paths';
import type { Scheduler } from './scheduler';
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
    const json = res.status === 200 ? parseJson<Json>(res, { method: 'GET', path: target, printer: this.label }) : {};
    if (res.status === 200 && !obj(json))
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
