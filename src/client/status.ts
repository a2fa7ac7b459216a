/**
 * What the printer is doing: its status, its job and a transfer in progress, each normalised from whichever API the
 * printer speaks. Keeps what spares requests or corrects the printer across calls: the current job's file and the
 * last status.
 */
import type { ClientContext } from './context';
import { folderPathForms } from './entry-forms';
import { ifNotFound } from './errors';
import { hasAliases } from './file-targets';
import { applyMiniFilamentChange } from './mini-quirks';
import { jobFromLegacy, jobFromV1, legacyState, obj, printerFromLegacy, printerFromV1, str, transferFrom } from './normalize';
import type { ProfileCache } from './profile-cache';
import type { Job, JobFile, PrinterProfile, PrinterStatus, TransferStatus } from './types';

export class StatusReader {
  /** The file of the current job, fetched once per job id (keeps status() at one request). */
  private jobFileCache?: { id: number; file?: JobFile };
  /** Last status seen: MINI 4.4.1 hides a running print behind idle telemetry during a filament change. */
  private lastStatus?: PrinterStatus;

  constructor(
    private readonly ctx: ClientContext,
    private readonly profiles: ProfileCache,
  ) {}

  /** One request in steady state on v1 printers (the job's file is fetched once per job id); two on legacy-only ones. */
  async status(): Promise<PrinterStatus> {
    // Only a call that waits for detection may take its /api/v1/status answer: after an earlier detect(), ask anew.
    const detecting = !this.profiles.known;
    const status = await this.profiles.withProfile(async (p) => {
      const s = p.capabilities.v1 ? await this.statusV1(p, detecting) : await this.statusLegacy(p);
      return p.model ? { ...s, model: p.model } : s;
    });
    this.lastStatus = status;
    // The caller gets a copy: what a flow does with its msg must not change what this client remembers
    // (the job's file, the last status the MINI 4.4.1 filament-change check reads back).
    return structuredClone(status);
  }

  async job(): Promise<Job | null> {
    return this.profiles.withProfile(async (p) => {
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
        const st = await this.status();
        if (st.job) return st.job;
        state = st.state;
      }
      return jobFromLegacy(json, state === 'UNKNOWN' ? 'PRINTING' : state, p.storages, p.defaultStorage) ?? null;
    });
  }

  private async statusV1(p: PrinterProfile, mayReuseProbe: boolean): Promise<PrinterStatus> {
    const probe = this.profiles.takeStatusProbe();
    const { json } = (mayReuseProbe ? probe : undefined) ?? (await this.ctx.getJson('/api/v1/status'));
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
        if (this.jobFileCache.file) job.file = this.jobFileCache.file;
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
