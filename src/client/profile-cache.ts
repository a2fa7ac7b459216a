/**
 * The printer's profile, detected once and kept until the printer becomes unreachable or a v1 endpoint disappears
 * (a firmware change). Concurrent callers share one detection.
 */
import type { ClientContext } from './context';
import { detectProfile, type Detection } from './detect';
import { isPrusaLinkError } from './errors';
import { parseJson } from './http';
import { obj, type Json } from './normalize';
import type { PrinterProfile } from './types';
import { urlLimitOf } from './url-limit';

/** How old detection's /api/v1/status answer may be for the first status() to use it instead of asking again. */
const STATUS_PROBE_REUSE_MS = 1000;

export class ProfileCache {
  private cached?: PrinterProfile;
  private detecting?: Promise<PrinterProfile>;
  /** Detection's /api/v1/status answer, for the status() call that waited for that detection. */
  private statusProbe?: Detection['statusProbe'];

  constructor(private readonly ctx: ClientContext) {}

  /** Whether a profile is at hand (a call made now does not wait for detection). */
  get known(): boolean {
    return this.cached !== undefined;
  }

  /** Drops the profile: the next call detects again. */
  forget(): void {
    this.cached = undefined;
  }

  detect(force = false): Promise<PrinterProfile> {
    if (this.cached && !force) return Promise.resolve(this.cached);
    if (!this.detecting) {
      const t = this.ctx.transport;
      this.detecting = this.ctx.scheduler
        .run(false, async () => {
          // The firmware may have changed: the old limit must not refuse the probe for the new one.
          t.maxTargetChars = undefined;
          const detection = await detectProfile(t);
          return { ...detection, urlLimit: await urlLimitOf(t, detection.profile) };
        })
        .then(({ profile: p, statusProbe, urlLimit }) => {
          this.cached = p;
          this.statusProbe = statusProbe;
          t.maxTargetChars = urlLimit;
          return p;
        })
        .finally(() => {
          this.detecting = undefined;
        });
    }
    return this.detecting;
  }

  /** Runs `fn` with the profile; a v1 endpoint answering 404 means the printer changed (firmware): detect again, once. */
  async withProfile<T>(fn: (p: PrinterProfile) => Promise<T>): Promise<T> {
    const p = await this.detect();
    try {
      return await fn(p);
    } catch (err) {
      if (isPrusaLinkError(err, 'NOT_FOUND') && /^\/api\/v1\/(status|info|job|storage|transfer)$/.test(err.path ?? '')) {
        this.cached = undefined;
        const again = await this.detect(true);
        if (again.family !== p.family || again.capabilities.v1 !== p.capabilities.v1) return fn(again);
      }
      throw err;
    }
  }

  /** Detection's /api/v1/status answer, if still fresh; taken once, by the first status() after detection. */
  takeStatusProbe(): { json: Json } | undefined {
    const probe = this.statusProbe;
    this.statusProbe = undefined;
    if (!probe || performance.now() - probe.at > STATUS_PROBE_REUSE_MS) return undefined;
    try {
      const json = parseJson<Json>(probe.res, { method: 'GET', path: '/api/v1/status', printer: this.ctx.label });
      return obj(json) ? { json } : undefined;
    } catch {
      return undefined; // malformed: ask again, and let that request report it
    }
  }
}
