/**
 * What the printer is doing and what it is: its status, its job and a transfer in progress, each normalised from
 * whichever API the printer speaks; its info; its camera's last picture. Keeps what spares requests or corrects the
 * printer across calls: the current job's file and the last status (MINI 4.4.1's filament change, below).
 */
import { ifNotFound } from './errors';
import type { ClientContext } from './context';
import { folderPathForms } from './files/listing';
import { hasAliases } from './files/paths';
import { jobFromLegacy, jobFromV1, legacyState, num, obj, printerFromLegacy, printerFromV1, str, transferFrom, type Json } from './normalize';
import type { Job, JobFile, PrinterInfo, PrinterProfile, PrinterStatus, TransferStatus } from './types';

// Stryker disable all: outside the mutation suite's scope (docs/testing.md); the simulator suites cover this part.
export class StatusReader {
  /** The file of the current job, fetched once per job id (keeps status() at one request). */
  private jobFileCache?: { id: number; file?: JobFile };
  /** Last status seen: MINI 4.4.1 hides a running print behind idle telemetry during a filament change. */
  private lastStatus?: PrinterStatus;

  constructor(private readonly ctx: ClientContext) {}

  /**
   * One request in steady state on v1 printers (the job's file is fetched once per job id); two on legacy-only ones.
   * `probe` is detection's /api/v1/status answer, when this call waited for that detection: it is used instead.
   */
  async status(p: PrinterProfile, probe?: { json: Json }): Promise<PrinterStatus> {
    const s = p.capabilities.v1 ? await this.statusV1(p, probe) : await this.statusLegacy(p);
    const status = p.model ? { ...s, model: p.model } : s;
    // What a flow does with its msg must not change what this client remembers. Only the MINI 4.4.1 filament-change
    // check reads the last status back: that family keeps it and hands out a copy. Elsewhere the status is built
    // afresh from the answer and the remembered job file is copied into it (statusV1): no copy of the whole, which
    // a farm polling 1,000 printers a second paid for on every poll.
    if (p.family !== 'mini-legacy') return status;
    this.lastStatus = status;
    return structuredClone(status);
  }

  async job(p: PrinterProfile): Promise<Job | null> {
    if (p.capabilities.v1) {
      const job = await this.fetchJobV1(p);
      if (job?.id !== undefined) this.jobFileCache = { id: job.id, file: job.file };
      return job && structuredClone(job);
    }
    const { json } = await this.ctx.getJson('/api/job');
    const text = str(json.state) ?? '';
    let state = legacyState({ state: { text } });
    if (p.family === 'mini-legacy') {
      // The legacy job text says "Printing" through MINI 4.4.1's filament change; /api/printer knows better.
      const st = await this.status(p);
      if (st.job) return st.job;
      state = st.state;
    }
    return jobFromLegacy(json, state === 'UNKNOWN' ? 'PRINTING' : state, p.storages, p.defaultStorage) ?? null;
  }

  private async statusV1(p: PrinterProfile, probe: { json: Json } | undefined): Promise<PrinterStatus> {
    const { json } = probe ?? (await this.ctx.getJson('/api/v1/status'));
    const printer = printerFromV1(json.printer);
    const status: PrinterStatus = { state: printer.state, printer };
    const rawJob = obj(json.job);
    if (rawJob) {
      const job = jobFromV1({ ...rawJob, state: printer.state }, p.storages, p.defaultStorage) as Job;
      delete job.file;
      if (job.id !== undefined) {
        if (this.jobFileCache?.id !== job.id) {
          const full = await this.fetchJobV1(p);
          this.jobFileCache = { id: job.id, file: full?.id === job.id ? full.file : undefined };
        }
        if (this.jobFileCache.file) job.file = structuredClone(this.jobFileCache.file);
      }
      status.job = job;
    }
    const transfer = transferFrom(json.transfer);
    if (transfer) status.transfer = transfer;
    return status;
  }

  private async statusLegacy(p: PrinterProfile): Promise<PrinterStatus> {
    const [printerRes, jobRes] = await Promise.all([this.ctx.getJson('/api/printer'), this.ctx.getJson('/api/job')]);
    const printer = printerFromLegacy(printerRes.json);
    const status: PrinterStatus = { state: printer.state, printer };
    const job = jobFromLegacy(jobRes.json, printer.state, p.storages, p.defaultStorage);
    if (job) status.job = job;
    return p.family === 'mini-legacy' ? applyMiniFilamentChange(status, printerRes.json, this.lastStatus) : status;
  }

  private async fetchJobV1(p: PrinterProfile): Promise<Job | null> {
    const { status, json } = await this.ctx.getJson('/api/v1/job', [204]);
    if (status === 204) return null;
    const job = jobFromV1(json, p.storages, p.defaultStorage);
    if (!job) return null;
    if (job.file) {
      const cached = job.id !== undefined && this.jobFileCache?.id === job.id ? this.jobFileCache.file : undefined;
      job.file = cached ?? (await this.withLongFolderNames(p, job.file));
    }
    return job;
  }

  /** Buddy names the job's folder by aliases only: its display_path gets the long names (looked up once per job). */
  private async withLongFolderNames(p: PrinterProfile, file: JobFile): Promise<JobFile> {
    const [storage, ...rest] = file.path.split('/').filter(Boolean);
    const dir = rest.slice(0, -1);
    if (!hasAliases(p) || dir.length === 0 || !storage) return file;
    // A folder that is gone has no long names to find.
    const forms = await ifNotFound(folderPathForms(this.ctx, p, { storage, segments: dir }, { aliases: dir }), undefined);
    return forms ? { ...file, display_path: `${forms.display_path}/${file.display_name}` } : file;
  }
}

export async function currentTransfer(ctx: ClientContext, p: PrinterProfile): Promise<TransferStatus | null> {
  const target = p.capabilities.v1 ? '/api/v1/transfer' : '/api/transfer';
  const { status, json } = await ctx.getJson(target, [204, 404]);
  if (status !== 200) return null;
  return transferFrom(json) ?? null;
}

/** What the printer is: /api/v1/info, or on legacy-only printers what /api/version told at detection. */
export async function printerInfo(ctx: ClientContext, p: PrinterProfile): Promise<PrinterInfo> {
  const src: Json = p.capabilities.v1 ? (await ctx.getJson('/api/v1/info')).json : p.version;
  const out: PrinterInfo = {};
  const n = num(src.nozzle_diameter);
  if (n !== undefined) out.nozzle_diameter = n;
  if (typeof src.mmu === 'boolean') out.mmu = src.mmu;
  for (const k of ['serial', 'hostname', 'name', 'location'] as const) {
    const v = str(src[k]);
    if (v) out[k] = v;
  }
  const t = num(src.min_extrusion_temp);
  if (t !== undefined) out.min_extrusion_temp = t;
  return out;
}

// ---- camera -------------------------------------------------------------------------------------------------

/**
 * Camera snapshots. Only Pi PrusaLink has cameras (docs §4.7); Buddy answers 404 on every camera path, so the
 * family decides, not a probe. The printer keeps the last picture each camera took: a GET returns it (204 while
 * none has been taken yet) and never triggers a new shot.
 */
export async function cameraSnapshot(ctx: ClientContext, p: PrinterProfile, cameraId?: string): Promise<Buffer> {
  if (p.family !== 'pi') throw ctx.err('UNSUPPORTED', 'this printer has no camera API (only PrusaLink on a Raspberry Pi has cameras)');
  const id = typeof cameraId === 'string' ? cameraId.trim() : '';
  const target = id ? `/api/v1/cameras/${encodeURIComponent(id)}/snap` : '/api/v1/cameras/snap';
  const res = await ctx.request({ method: 'GET', target, accept: [404] });
  const req = { method: 'GET', path: target, status: res.status };
  if (res.status === 404) throw ctx.err('NOT_FOUND', id ? `the printer has no camera "${id}"` : 'the printer has no camera', req);
  if (res.status === 204 || res.body.length === 0) throw ctx.err('NOT_FOUND', 'the camera has not taken a picture yet', req);
  const type = (res.headers['content-type'] ?? '').toLowerCase();
  if (type && !type.startsWith('image/')) throw ctx.err('PROTOCOL', `the printer sent ${type} instead of a picture`, req);
  return res.body;
}

// Stryker restore all
// ---- MINI 4.4.1 ----------------------------------------------------------------------------------------------

/**
 * MINI firmware 4.4.1 bug (issue 9): during a filament change /api/printer reports zeroed telemetry and an idle
 * "Operational" state although the print is under way. Only the whole pattern, together with a job that is still
 * known, is taken as that dialog.
 */
function isRunoutLie(printer: Json): boolean {
  const t = obj(printer.telemetry);
  if (!t) return false;
  const flags = obj(obj(printer.state)?.flags) ?? {};
  const text = str(obj(printer.state)?.text) ?? '';
  return (
    num(t['temp-bed']) === 0 &&
    num(t['temp-nozzle']) === 0 &&
    num(t['print-speed']) === 100 &&
    num(t['z-height']) === 0 &&
    str(t.material) === '---' &&
    text === 'Operational' &&
    flags.printing !== true
  );
}

const ACTIVE = new Set(['PRINTING', 'PAUSED', 'ATTENTION']);

export function applyMiniFilamentChange(status: PrinterStatus, printerJson: Json, last?: PrinterStatus): PrinterStatus {
  if (!isRunoutLie(printerJson)) return status;
  const job = status.job ?? (last?.job && ACTIVE.has(last.state) ? { ...last.job } : undefined);
  if (!job) return status;
  const printer: PrinterStatus['printer'] = { state: 'ATTENTION' };
  return { state: 'ATTENTION', reason: 'filament change', printer, job: { ...job, state: 'ATTENTION' } };
}
