/**
 * The printer's profile: what it is (family, firmware, model, storages, capabilities) detected from /api/version and
 * the endpoints that answer (docs §3; never gated on `api`), with the longest URL it takes, and kept until the
 * printer becomes unreachable or a v1 endpoint disappears (a firmware change). Concurrent callers share one detection.
 */
import { PrusaLinkError, isPrusaLinkError } from './errors';
import { parseJson, type ClientContext } from './context';
import { obj, str, storageFromV1, type Json } from './normalize';
import type { HttpResponse, Transport } from './transport/transport';
import type { Family, PrinterProfile, StorageInfo } from './types';

/** How old detection's /api/v1/status answer may be for the first status() to use it instead of asking again. */
const STATUS_PROBE_REUSE_MS = 1000;

export class ProfileCache {
  private cached?: PrinterProfile;
  private detecting?: Promise<PrinterProfile>;
  /** Detection's /api/v1/status answer, for the status() call that waited for that detection. */
  private statusProbe?: Detection['statusProbe'];

  constructor(private readonly ctx: ClientContext) {
    // A printer that went away may come back with other firmware: detect it again.
    ctx.transport.whenUnreachable(() => this.forget());
  }

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

  /**
   * Detection's /api/v1/status answer, if still fresh; taken once, by the first status() after detection. Only a
   * call that waited for that detection may use it (`waited`): after an earlier detect(), a status is asked anew.
   */
  takeStatusProbe(waited: boolean): { json: Json } | undefined {
    const probe = this.statusProbe;
    this.statusProbe = undefined;
    if (!waited || !probe || performance.now() - probe.at > STATUS_PROBE_REUSE_MS) return undefined;
    try {
      // An empty 200 answer is an empty object, as getJson takes it.
      const json = obj(parseJson(probe.res, { method: 'GET', path: '/api/v1/status', printer: this.ctx.label }) ?? {});
      return json ? { json } : undefined;
    } catch {
      return undefined; // malformed: ask again, and let that request report it
    }
  }
}

// ---- detection ----------------------------------------------------------------------------------------------

export interface Detection {
  profile: PrinterProfile;
  /** The v1 status probe's answer and when it came (performance.now()): the first status() may reuse it. */
  statusProbe?: { res: HttpResponse; at: number };
}

export async function detectProfile(t: Transport): Promise<Detection> {
  const ctx = (path: string) => ({ method: 'GET', path, printer: t.label });
  const versionRes = await t.send({ method: 'GET', target: '/api/version' });
  const version = obj(parseJson(versionRes, ctx('/api/version')) ?? {});
  if (!version) throw new PrusaLinkError('PROTOCOL', '/api/version did not return a JSON object', ctx('/api/version'));
  const text = str(version.text) ?? '';
  const caps = obj(version.capabilities);
  const uploadByPut = caps?.['upload-by-put'] === true;

  let family: Family;
  if (/^PrusaLink MINI/i.test(text) && !caps) family = 'mini-legacy';
  else if (t.auth.realm === 'Administrator' || version.original !== undefined || version.sdk !== undefined || /^PrusaLink \d/.test(text))
    family = 'pi';
  else family = 'buddy';

  let storages: StorageInfo[] = [];
  if (uploadByPut) {
    const res = await t.send({ method: 'GET', target: '/api/v1/storage', accept: [404] });
    if (res.status === 200) {
      const list = obj(parseJson(res, ctx('/api/v1/storage')))?.storage_list;
      if (Array.isArray(list)) storages = list.map(storageFromV1).filter((s): s is StorageInfo => s !== undefined);
    }
  }
  if (storages.length === 0) {
    storages =
      family === 'pi'
        ? [
            { name: 'local', display_name: 'PrusaLink gcodes', read_only: false, available: true },
            { name: 'sdcard', display_name: 'SD Card', read_only: true, available: true },
          ]
        : [{ name: 'usb', read_only: false, available: true }];
  }
  // Writable and available first: the default storage is the first one.
  storages.sort((a, b) => rank(a) - rank(b));

  let v1 = false;
  let statusProbe: Detection['statusProbe'];
  if (family !== 'mini-legacy') {
    const res = await t.send({ method: 'GET', target: '/api/v1/status', accept: [404] });
    v1 = res.status === 200;
    if (v1) statusProbe = { res, at: performance.now() };
  }

  const profile: PrinterProfile = {
    family,
    version,
    capabilities: {
      v1,
      uploadByPut,
      multipartUpload: !(family === 'buddy' && uploadByPut),
      folders: family !== 'mini-legacy' && (uploadByPut || family === 'pi'),
      digest: family !== 'mini-legacy',
    },
    storages,
    defaultStorage: storages[0].name,
    authScheme: t.auth.mode === 'apikey' ? 'apikey' : 'digest',
  };
  const firmware = firmwareOf(family, version, text);
  if (firmware) profile.firmware = firmware;
  if (text) profile.text = text;
  const model = printerModelOf(family, version);
  if (model) profile.model = model;
  const hostname = str(version.hostname);
  if (hostname) profile.hostname = hostname;
  return statusProbe ? { profile, statusProbe } : { profile };
}

function rank(s: StorageInfo): number {
  return (s.available ? 0 : 2) + (s.read_only ? 1 : 0);
}

function firmwareOf(family: Family, version: Record<string, unknown>, text: string): string | undefined {
  if (family === 'pi') return str(version.server) ?? /^PrusaLink (\S+)/.exec(text)?.[1];
  return str(version.firmware);
}

// ---- the model by name ---------------------------------------------------------------------------------------

/**
 * The printer model by name, from whatever the printer tells (facts document §1, §8.1). Nothing requires it: Buddy
 * below 6.5.1 does not send `printer`, so a Buddy MK4 on 6.4 has no model here (trap 18).
 */
/** `/api/version.printer` (`type.version.subversion`, Buddy ≥ 6.5.1) → the model's name (§8.1). */
const BUDDY_MODEL_CODES: Readonly<Record<string, string>> = {
  '1.4.0': 'MK4',
  '1.4.1': 'MK4S',
  '1.3.5': 'MK3.5',
  '1.3.6': 'MK3.5S',
  '1.3.9': 'MK3.9',
  '1.3.10': 'MK3.9S',
  '2.1.0': 'MINI',
  '3.1.0': 'XL',
  '7.1.0': 'Core One',
  '8.1.0': 'Core One L',
  '7.10.0': 'Core One INDX',
};

/** Pi PrusaLink's `original` names the printer type of the SDK (`PrusaLink I3MK3S`); the Prusa names of those types. */
const PI_PRINTER_TYPES: Readonly<Record<string, string>> = {
  I3MK3S: 'MK3S',
  I3MK3: 'MK3',
  I3MK25S: 'MK2.5S',
  I3MK25: 'MK2.5',
};

export function printerModelOf(family: Family, version: Record<string, unknown>): string | undefined {
  if (family === 'mini-legacy') return typeof version['text'] === 'string' && /\bMINI\b/.test(version['text']) ? 'MINI' : undefined;
  if (family === 'pi') {
    const original = nonEmpty(version['original']);
    if (!original) return undefined;
    const type = original.replace(/^PrusaLink\s+/i, '');
    return PI_PRINTER_TYPES[type.toUpperCase()] ?? type;
  }
  const code = nonEmpty(version['printer']);
  // A code this table does not know yet (a model newer than the facts document) is kept as it came.
  return code === undefined ? undefined : (BUDDY_MODEL_CODES[code] ?? code);
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

// ---- the URL limit ------------------------------------------------------------------------------------------

/**
 * The longest request URL a printer takes (facts document §9, `MAX_URL_LEN`): 100 characters on Buddy ≤ 5.0.x and
 * MINI 4.4, 168 from 5.1.0; Pi PrusaLink has no such limit. A longer URL gets 414, so the client refuses it first.
 */
const OLD_BUDDY_MAX_URL = 100;
const BUDDY_MAX_URL = 168;
/** A probe longer than the old limit and within the new one. */
const PROBE_CHARS = 120;

/**
 * From what detection learnt; when that cannot tell (Buddy 4.7 to 6.4 do not send their version), one GET of
 * /api/version with an ignored query of {@link PROBE_CHARS} characters: 414 means the old limit.
 */
export async function urlLimitOf(t: Transport, p: PrinterProfile): Promise<number | undefined> {
  if (p.family === 'pi') return undefined;
  if (p.family === 'mini-legacy') return OLD_BUDDY_MAX_URL;
  // 4.6.x is the only Buddy with PUT and without v1 status, and it is older than 5.1.
  if (!p.capabilities.v1) return OLD_BUDDY_MAX_URL;
  const version = /^(\d+)\.(\d+)/.exec(p.firmware ?? '');
  if (version) return Number(version[1]) > 5 || (Number(version[1]) === 5 && Number(version[2]) >= 1) ? BUDDY_MAX_URL : OLD_BUDDY_MAX_URL;
  const base = '/api/version?url-limit-probe=';
  try {
    const res = await t.send({ method: 'GET', target: base + 'x'.repeat(PROBE_CHARS - base.length), accept: [414] });
    return res.status === 414 ? OLD_BUDDY_MAX_URL : BUDDY_MAX_URL;
  } catch (err) {
    // Another HTTP answer to the probe says nothing about the limit: keep the usual one rather than fail detection.
    if (isPrusaLinkError(err) && err.status !== undefined) return BUDDY_MAX_URL;
    throw err;
  }
}
