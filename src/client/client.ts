/** PrusaLinkClient: one typed API over Buddy, MINI 4.4.1 (legacy API) and Pi PrusaLink printers. */
import type { Readable } from 'node:stream';
import { parseAddress, type PrinterAddress } from './address';
import { Authenticator } from './auth';
import { detectProfile } from './detect';
import { PrusaLinkError, isPrusaLinkError } from './errors';
import { Transport, parseJson, type HttpResponse, type RequestSpec } from './http';
import { Scheduler } from './scheduler';
import {
  fileFromLegacy,
  fileFromV1,
  jobFromLegacy,
  jobFromV1,
  legacyState,
  obj,
  printerFromLegacy,
  printerFromV1,
  storageFromV1,
  num,
  str,
  toState,
  transferFrom,
  type Json,
} from './normalize';
import { checkPrintable, checkUploadLimits, encodeSegments, fullPath, baseName, isBinaryGcode, parseUserPath, type PrinterPath } from './paths';
import { multipartBody, prepareSource, streamUpload } from './upload';
import { folderAliasesFromChildren, folderForms, isShortName, refFolderAliases, type FolderHints, type PathForms } from './path-forms';
import { applyMiniFilamentChange } from './mini-quirks';
import { cameraSnapshot } from './camera';
import type {
  ClientOptions,
  FileEntry,
  Job,
  JobFile,
  Listing,
  PrinterInfo,
  PrinterProfile,
  PrinterStatus,
  StorageInfo,
  TransferStatus,
  UploadOptions,
  UploadResult,
  UploadSource,
} from './types';

const DEFAULTS = { timeout: 10_000, uploadStallTimeout: 30_000, maxResponseBytes: 8 * 1024 * 1024 };
/** How old detection's /api/v1/status answer may be for the first status() to use it instead of asking again. */
const STATUS_PROBE_REUSE_MS = 1000;
const DEFAULT_USER_AGENT = 'node-red-prusalink/0.1 (PrusaLinkClient)';

export class PrusaLinkClient {
  readonly label: string;
  private readonly address: PrinterAddress;
  private readonly transport: Transport;
  private readonly scheduler = new Scheduler(2);
  private readonly opts: Required<Pick<ClientOptions, 'timeout' | 'uploadStallTimeout' | 'maxResponseBytes'>>;
  private cachedProfile?: PrinterProfile;
  private detecting?: Promise<PrinterProfile>;
  /** The file of the current job, fetched once per job id (keeps status() at one request). */
  private jobFileCache?: { id: number; file?: JobFile };
  /** Last status seen: MINI 4.4.1 hides a running print behind idle telemetry during a filament change. */
  private lastStatus?: PrinterStatus;
  /** Detection's /api/v1/status answer, for the status() call that waited for that detection. */
  private statusProbe?: { res: HttpResponse; at: number };

  constructor(options: ClientOptions) {
    if (!options || typeof options !== 'object') throw new PrusaLinkError('INVALID_ARGUMENT', 'options are required');
    this.address = parseAddress(options.host, options.port, options.protocol);
    this.label = this.address.label;
    const positive = (v: number | undefined, name: string, def: number): number => {
      if (v === undefined) return def;
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
        throw new PrusaLinkError('INVALID_ARGUMENT', `${name} must be a positive number of ${name === 'maxResponseBytes' ? 'bytes' : 'milliseconds'}`);
      return v;
    };
    this.opts = {
      timeout: positive(options.timeout, 'timeout', DEFAULTS.timeout),
      uploadStallTimeout: positive(options.uploadStallTimeout, 'uploadStallTimeout', DEFAULTS.uploadStallTimeout),
      maxResponseBytes: positive(options.maxResponseBytes, 'maxResponseBytes', DEFAULTS.maxResponseBytes),
    };
    for (const k of ['apiKey', 'user', 'password', 'userAgent'] as const) {
      if (options[k] !== undefined && typeof options[k] !== 'string') throw new PrusaLinkError('INVALID_ARGUMENT', `${k} must be a string`);
    }
    if (options.allowSelfSigned && this.address.protocol !== 'https')
      throw new PrusaLinkError('INVALID_ARGUMENT', 'allowSelfSigned applies to https only');
    this.transport = new Transport({
      address: this.address,
      allowSelfSigned: options.allowSelfSigned === true,
      timeout: this.opts.timeout,
      maxResponseBytes: this.opts.maxResponseBytes,
      userAgent: options.userAgent || DEFAULT_USER_AGENT,
      auth: new Authenticator({ apiKey: options.apiKey, user: options.user, password: options.password }),
      onUnreachable: () => {
        this.cachedProfile = undefined;
      },
    });
  }

  // ---- detection -------------------------------------------------------------------------------------------

  detect(force = false): Promise<PrinterProfile> {
    if (this.cachedProfile && !force) return Promise.resolve(this.cachedProfile);
    if (!this.detecting) {
      this.detecting = this.scheduler
        .run(false, () => detectProfile(this.transport))
        .then(({ profile: p, statusProbe }) => {
          this.cachedProfile = p;
          this.statusProbe = statusProbe;
          this.transport.maxTargetChars = p.family === 'buddy' ? 168 : undefined;
          return p;
        })
        .finally(() => {
          this.detecting = undefined;
        });
    }
    return this.detecting;
  }

  /** Runs `fn` with the profile; a v1 endpoint answering 404 means the printer changed (firmware): detect again, once. */
  private async withProfile<T>(fn: (p: PrinterProfile) => Promise<T>): Promise<T> {
    const p = await this.detect();
    try {
      return await fn(p);
    } catch (err) {
      if (isPrusaLinkError(err, 'NOT_FOUND') && /^\/api\/v1\/(status|info|job|storage|transfer)$/.test(err.path ?? '')) {
        this.cachedProfile = undefined;
        const again = await this.detect(true);
        if (again.family !== p.family || again.capabilities.v1 !== p.capabilities.v1) return fn(again);
      }
      throw err;
    }
  }

  // ---- plumbing --------------------------------------------------------------------------------------------

  private request(spec: RequestSpec): Promise<HttpResponse> {
    return this.scheduler.run(false, () => this.transport.send(spec));
  }

  private async getJson(target: string, accept?: number[]): Promise<{ status: number; json: Json }> {
    const res = await this.request({ method: 'GET', target, accept });
    const json = res.status === 200 ? parseJson<Json>(res, { method: 'GET', path: target, printer: this.label }) : {};
    if (res.status === 200 && !obj(json))
      throw new PrusaLinkError('PROTOCOL', 'the printer sent JSON of an unexpected shape', { method: 'GET', path: target, printer: this.label, status: 200 });
    return { status: res.status, json };
  }

  private err(code: PrusaLinkError['code'], message: string, extra: { method?: string; path?: string; status?: number } = {}): PrusaLinkError {
    return new PrusaLinkError(code, message, { ...extra, printer: this.label });
  }

  /** Validation errors raised before any request carry the printer label too. */
  private labelled<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof PrusaLinkError && !e.printer)
        throw new PrusaLinkError(e.code, e.message, { status: e.status, printerMessage: e.printerMessage, printer: this.label });
      throw e;
    }
  }

  private parse(p: PrinterProfile, path: string): PrinterPath {
    return this.labelled(() => {
      const parsed = parseUserPath(path ?? '', p.storages.map((s) => s.name), p.defaultStorage);
      if (!p.storages.some((s) => s.name === parsed.storage)) throw new PrusaLinkError('INVALID_PATH', `unknown storage "${parsed.storage}"`);
      return parsed;
    });
  }

  private v1FilesTarget(pp: PrinterPath): string {
    const rest = encodeSegments(pp.segments);
    return `/api/v1/files/${encodeURIComponent(pp.storage)}${rest ? '/' + rest : ''}`;
  }

  private legacyFilesTarget(pp: PrinterPath): string {
    const rest = encodeSegments(pp.segments);
    return `/api/files/${encodeURIComponent(pp.storage)}${rest ? '/' + rest : ''}`;
  }

  private usesV1Files(p: PrinterProfile): boolean {
    return p.capabilities.uploadByPut;
  }

  // ---- printer ---------------------------------------------------------------------------------------------

  async version(): Promise<Record<string, unknown>> {
    return (await this.getJson('/api/version')).json;
  }

  async info(): Promise<PrinterInfo> {
    return this.withProfile(async (p) => {
      const src: Json = p.capabilities.v1 ? (await this.getJson('/api/v1/info')).json : p.version;
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
    });
  }

  /** One request in steady state on v1 printers (the job's file is fetched once per job id); two on legacy-only ones. */
  async status(): Promise<PrinterStatus> {
    // Only a call that waits for detection may take its /api/v1/status answer: after an earlier detect(), ask anew.
    const detecting = !this.cachedProfile;
    const status = await this.withProfile((p) => (p.capabilities.v1 ? this.statusV1(p, detecting) : this.statusLegacy(p)));
    this.lastStatus = status;
    return status;
  }

  private async statusV1(p: PrinterProfile, mayReuseProbe: boolean): Promise<PrinterStatus> {
    const probe = this.takeStatusProbe();
    const { json } = (mayReuseProbe ? probe : undefined) ?? (await this.getJson('/api/v1/status'));
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

  /** Detection's /api/v1/status answer, if still fresh; taken once, by the first status() after detection. */
  private takeStatusProbe(): { json: Json } | undefined {
    const probe = this.statusProbe;
    this.statusProbe = undefined;
    if (!probe || performance.now() - probe.at > STATUS_PROBE_REUSE_MS) return undefined;
    try {
      const json = parseJson<Json>(probe.res, { method: 'GET', path: '/api/v1/status', printer: this.label });
      return obj(json) ? { json } : undefined;
    } catch {
      return undefined; // malformed: ask again, and let that request report it
    }
  }

  private async statusLegacy(p: PrinterProfile): Promise<PrinterStatus> {
    const [printerRes, jobRes] = await Promise.all([this.getJson('/api/printer'), this.getJson('/api/job')]);
    const printer = printerFromLegacy(printerRes.json);
    const status: PrinterStatus = { state: printer.state, printer };
    const job = jobFromLegacy(jobRes.json, printer.state, p.storages, p.defaultStorage);
    if (job) status.job = job;
    return p.family === 'mini-legacy' ? applyMiniFilamentChange(status, printerRes.json, this.lastStatus) : status;
  }

  private async fetchJobV1(p: PrinterProfile): Promise<Job | null> {
    const { status, json } = await this.getJson('/api/v1/job', [204]);
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
    if (!this.hasAliases(p) || dir.length === 0 || !storage) return file;
    try {
      const forms = await this.forms(p, { storage, segments: dir }, { aliases: dir });
      return { ...file, display_path: `${forms.display_path}/${file.display_name}` };
    } catch (e) {
      if (isPrusaLinkError(e, 'NOT_FOUND')) return file; // the folder is gone: no long names to find
      throw e;
    }
  }

  async job(): Promise<Job | null> {
    return this.withProfile(async (p) => {
      if (p.capabilities.v1) {
        const job = await this.fetchJobV1(p);
        if (job?.id !== undefined) this.jobFileCache = { id: job.id, file: job.file };
        return job;
      }
      const { json } = await this.getJson('/api/job');
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

  private async currentJobId(p: PrinterProfile, action: string): Promise<number | undefined> {
    if (p.capabilities.v1) {
      const { json } = await this.getJson('/api/v1/status');
      const id = num(obj(json.job)?.id);
      if (id === undefined) throw this.err('NO_JOB', `cannot ${action}: no print job is running`);
      return id;
    }
    const { json } = await this.getJson('/api/job');
    if (!obj(json.job)?.file) throw this.err('NO_JOB', `cannot ${action}: no print job is running`);
    return undefined;
  }

  private async jobControl(action: 'pause' | 'resume' | 'stop'): Promise<void> {
    return this.withProfile(async (p) => {
      const id = await this.currentJobId(p, action);
      try {
        if (id !== undefined) {
          const target = action === 'stop' ? `/api/v1/job/${id}` : `/api/v1/job/${id}/${action}`;
          await this.request({ method: action === 'stop' ? 'DELETE' : 'PUT', target });
        } else {
          const body = action === 'stop' ? { command: 'cancel' } : { command: 'pause', action };
          await this.request({ method: 'POST', target: '/api/job', json: body });
        }
      } catch (e) {
        if (isPrusaLinkError(e) && e.status === 409)
          throw this.err('NOT_READY', `cannot ${action} the print in the printer's current state${e.printerMessage ? ': ' + e.printerMessage : ''} (HTTP 409)`, e);
        if (isPrusaLinkError(e) && e.status === 404 && id !== undefined)
          throw this.err('NO_JOB', `cannot ${action}: the job ${id} has ended or changed (HTTP 404)`, e);
        throw e;
      }
    });
  }

  pause(): Promise<void> {
    return this.jobControl('pause');
  }
  resume(): Promise<void> {
    return this.jobControl('resume');
  }
  stop(): Promise<void> {
    return this.jobControl('stop');
  }

  async transfer(): Promise<TransferStatus | null> {
    return this.withProfile(async (p) => {
      const target = p.capabilities.v1 ? '/api/v1/transfer' : '/api/transfer';
      const { status, json } = await this.getJson(target, [204, 404]);
      if (status !== 200) return null;
      return transferFrom(json) ?? null;
    });
  }

  // ---- storage and files -----------------------------------------------------------------------------------

  async storage(): Promise<StorageInfo[]> {
    return this.withProfile(async (p) => {
      if (!this.usesV1Files(p)) return p.storages.map((s) => ({ ...s }));
      const { json } = await this.getJson('/api/v1/storage');
      const list = Array.isArray(json.storage_list) ? json.storage_list : [];
      return list.map(storageFromV1).filter((s): s is StorageInfo => s !== undefined);
    });
  }

  async list(path = '', opts: { recursive?: boolean } = {}): Promise<Listing> {
    return this.withProfile(async (p) => {
      const pp = this.parse(p, path);
      if (!this.usesV1Files(p)) {
        const { here, entries } = await this.listLegacy(p, pp);
        return { ...here, entries, foldersListed: p.family !== 'mini-legacy' };
      }
      const { here, entries } = await this.listV1(p, pp, undefined, opts.recursive === true);
      return { ...here, entries, foldersListed: true };
    });
  }

  /** One folder's entries; `known` are the folder's forms when the caller has them (a child of a listed folder). */
  private async listV1(p: PrinterProfile, pp: PrinterPath, known: PathForms | undefined, recursive: boolean): Promise<{ here: PathForms; entries: FileEntry[] }> {
    const target = this.v1FilesTarget(pp);
    const { json } = await this.getJson(target);
    if (str(json.type) && json.type !== 'FOLDER') throw this.err('INVALID_PATH', `${fullPath(pp)} is a file, not a folder`, { method: 'GET', path: target });
    const children = Array.isArray(json.children) ? json.children : [];
    const here = known ?? (await this.forms(p, pp, { aliases: folderAliasesFromChildren(children, pp.storage), ownAlias: str(json.name), ownDisplay: str(json.display_name) }));
    const entries = children.map((c) => fileFromV1(c, here)).filter((e): e is FileEntry => e !== undefined);
    if (recursive) {
      // Sequential on purpose: the printer serves few connections and a walk must not starve other calls.
      for (const e of entries) {
        if (e.type !== 'FOLDER') continue;
        e.children = (await this.listV1(p, { storage: pp.storage, segments: segmentsOf(e.path) }, e, true)).entries;
      }
    }
    return { here, entries };
  }

  private async listLegacy(p: PrinterProfile, pp: PrinterPath): Promise<{ here: PathForms; entries: FileEntry[] }> {
    const target = pp.segments.length === 0 && p.family === 'mini-legacy' ? '/api/files' : this.legacyFilesTarget(pp);
    const { json } = await this.getJson(target);
    const files: unknown[] = Array.isArray(json.files) ? json.files : Array.isArray(json.children) ? json.children : [];
    const here = await this.forms(p, pp, { aliases: folderAliasesFromChildren(files, pp.storage) });
    return { here, entries: files.map((f) => fileFromLegacy(f, here)).filter((e): e is FileEntry => e !== undefined) };
  }

  private hasAliases(p: PrinterProfile): boolean {
    return p.family !== 'pi';
  }

  /**
   * Both forms of a folder (path-forms.ts): the printer's alias path and the long-name path. Pi PrusaLink has no
   * aliases: both are the path as given. MINI 4.4.1 cannot list folders, so nothing is looked up there.
   */
  private forms(p: PrinterProfile, pp: PrinterPath, hints: FolderHints): Promise<PathForms> {
    if (!this.hasAliases(p) || pp.segments.length === 0) return Promise.resolve({ path: fullPath(pp), display_path: fullPath(pp) });
    const list = this.usesV1Files(p)
      ? async (aliases: string[]) => {
          const { json } = await this.getJson(this.v1FilesTarget({ storage: pp.storage, segments: aliases }));
          return Array.isArray(json.children) ? (json.children as unknown[]) : [];
        }
      : undefined;
    return folderForms(pp.storage, pp.segments, hints, list);
  }

  /** A v1 file or folder answer for `pp` (GET, or Buddy's upload answer) as an entry in both path forms. */
  private async entryFromV1(p: PrinterProfile, pp: PrinterPath, json: Json): Promise<FileEntry | undefined> {
    const parentPP: PrinterPath = { storage: pp.storage, segments: pp.segments.slice(0, -1) };
    const children = Array.isArray(json.children) ? json.children : [];
    const aliases = json.type === 'FOLDER' ? folderAliasesFromChildren(children, pp.storage)?.slice(0, -1) : refFolderAliases(str(obj(json.refs)?.download), pp.storage);
    const parent = await this.forms(p, parentPP, { aliases });
    const typed = baseName(pp);
    // A folder answer may lack its long name; a segment that is not an 8.3 name is one.
    const display_name = str(json.display_name) ?? (this.hasAliases(p) && isShortName(typed) ? undefined : typed);
    return fileFromV1({ ...json, name: str(json.name) ?? typed, display_name }, parent);
  }

  async fileInfo(path: string): Promise<FileEntry> {
    return this.withProfile((p) => this.fileInfoIn(p, path));
  }

  private async fileInfoIn(p: PrinterProfile, path: string): Promise<FileEntry> {
    const pp = this.parse(p, path);
    const parentPP: PrinterPath = { storage: pp.storage, segments: pp.segments.slice(0, -1) };
    if (!this.usesV1Files(p)) {
      const name = baseName(pp);
      const { entries } = await this.listLegacy(p, parentPP);
      const lower = name.toLowerCase();
      const hit = entries.find((e) => e.name.toLowerCase() === lower || e.display_name === name);
      if (!hit) throw this.err('NOT_FOUND', `no such file: ${fullPath(pp)}`, { method: 'GET', path: this.legacyFilesTarget(pp), status: 404 });
      return hit;
    }
    const target = this.v1FilesTarget(pp);
    const { json } = await this.getJson(target);
    if (pp.segments.length === 0) {
      return { type: 'FOLDER', name: pp.storage, display_name: pp.storage, path: fullPath(pp), display_path: fullPath(pp), read_only: json.ro === true || json.read_only === true };
    }
    const entry = await this.entryFromV1(p, pp, json);
    if (!entry) throw this.err('PROTOCOL', 'the printer sent a file description of an unexpected shape', { method: 'GET', path: target });
    return entry;
  }

  async exists(path: string): Promise<boolean> {
    return this.withProfile(async (p) => {
      if (!this.usesV1Files(p)) {
        try {
          await this.fileInfoIn(p, path);
          return true;
        } catch (e) {
          if (isPrusaLinkError(e, 'NOT_FOUND')) return false;
          throw e;
        }
      }
      const pp = this.parse(p, path);
      const res = await this.request({ method: 'HEAD', target: this.v1FilesTarget(pp), accept: [404] });
      return res.status !== 404;
    });
  }

  async createFolder(path: string): Promise<void> {
    return this.withProfile(async (p) => {
      if (!p.capabilities.folders || !this.usesV1Files(p))
        throw this.err('UNSUPPORTED', 'this printer cannot create folders through PrusaLink (MINI firmware 4.4 has no folder API)');
      const pp = this.parse(p, path);
      if (pp.segments.length === 0) throw this.err('INVALID_PATH', 'a folder name is required');
      await this.request({ method: 'PUT', target: this.v1FilesTarget(pp), headers: { 'Create-Folder': '?1', 'Content-Length': '0' } });
    });
  }

  async delete(path: string, opts: { recursive?: boolean } = {}): Promise<void> {
    return this.withProfile(async (p) => {
      const pp = this.parse(p, path);
      if (pp.segments.length === 0) throw this.err('INVALID_PATH', `refusing to delete the storage root ${fullPath(pp)}`);
      if (!this.usesV1Files(p)) {
        await this.request({ method: 'DELETE', target: this.legacyFilesTarget(pp) });
        return;
      }
      if (opts.recursive && p.family === 'pi') {
        await this.request({ method: 'DELETE', target: this.v1FilesTarget(pp), headers: { Force: '?1' } });
        return;
      }
      if (opts.recursive) await this.deleteChildren(pp);
      await this.request({ method: 'DELETE', target: this.v1FilesTarget(pp) });
    });
  }

  /** Buddy has no `Force`: empty a folder depth first (a non-empty folder answers 404 there). */
  private async deleteChildren(pp: PrinterPath): Promise<void> {
    const { json } = await this.getJson(this.v1FilesTarget(pp));
    if (json.type !== 'FOLDER') return;
    for (const c of Array.isArray(json.children) ? json.children : []) {
      const child = obj(c);
      const name = str(child?.name);
      if (!child || !name) continue;
      const cp: PrinterPath = { storage: pp.storage, segments: [...pp.segments, name] };
      if (child.type === 'FOLDER') await this.deleteChildren(cp);
      await this.request({ method: 'DELETE', target: this.v1FilesTarget(cp) });
    }
  }

  /** Deletes every file (not folder) directly in `folder`, like PrusaLinkPy's rm(). */
  async deleteAllFiles(folder: string): Promise<{ deleted: string[] }> {
    const listing = await this.list(folder);
    const deleted: string[] = [];
    for (const e of listing.entries) {
      if (e.type === 'FOLDER') continue;
      await this.delete(e.path);
      deleted.push(e.path);
    }
    return { deleted };
  }

  async print(path: string): Promise<void> {
    return this.withProfile(async (p) => {
      const pp = this.parse(p, path);
      this.labelled(() => checkPrintable(p.family, pp, path));
      try {
        if (p.capabilities.v1) await this.request({ method: 'POST', target: this.v1FilesTarget(pp) });
        else if (p.family === 'mini-legacy')
          await this.request({ method: 'POST', target: `/api/files/usb/${encodeSegments(pp.segments)}`, json: { command: 'start' } });
        else await this.request({ method: 'POST', target: this.legacyFilesTarget(pp), json: { command: 'select', print: true } });
      } catch (e) {
        throw this.printError(p, e);
      }
    });
  }

  private printError(p: PrinterProfile, e: unknown): unknown {
    if (!isPrusaLinkError(e) || e.status !== 409) return e;
    if (p.family === 'mini-legacy')
      return this.err(
        'NOT_READY',
        `the printer cannot start a print now${e.printerMessage ? ` ("${e.printerMessage}")` : ''}: return the printer to its main screen (close any menu or dialog on its display) and try again (HTTP 409)`,
        e,
      );
    if (e.code === 'PRINTER_BUSY' || e.code === 'NOT_READY')
      return this.err('NOT_READY', `the printer is not ready to print${e.printerMessage ? ': ' + e.printerMessage : ''} (HTTP 409)`, e);
    return e;
  }

  async thumbnail(path: string, size: 'small' | 'large' = 'small'): Promise<Buffer> {
    return this.withProfile(async (p) => {
      const entry = await this.fileInfoIn(p, path);
      const refs = entry.refs ?? {};
      const ref = size === 'small' ? (refs.icon ?? refs.thumbnail) : (refs.thumbnail ?? refs.icon);
      if (!ref) throw this.err('NOT_FOUND', `the printer offers no thumbnail for ${entry.path}`);
      const res = await this.request({ method: 'GET', target: encodeRef(ref), accept: [410] });
      if (res.status === 410) throw this.err('NOT_FOUND', `the printer has no thumbnail for ${entry.path} (HTTP 410)`, { status: 410, path: ref });
      return res.body;
    });
  }

  async download(path: string): Promise<NodeJS.ReadableStream> {
    return this.withProfile(async (p) => {
      const entry = await this.fileInfoIn(p, path);
      const ref = entry.refs?.download;
      if (!ref) throw this.err('NOT_FOUND', `the printer offers no download for ${entry.path} (is it still being uploaded?)`);
      // The slot stays taken until the caller has read (or destroyed) the stream.
      return new Promise<NodeJS.ReadableStream>((resolve, reject) => {
        this.scheduler
          .run(false, async () => {
            const res = await this.transport.send({ method: 'GET', target: encodeRef(ref), responseType: 'stream' });
            const stream = res.stream as Readable;
            resolve(stream);
            await new Promise<void>((done) => stream.once('close', () => done()));
          })
          .catch(reject);
      });
    });
  }

  // ---- upload ----------------------------------------------------------------------------------------------

  async upload(source: UploadSource, path: string, opts: UploadOptions = {}): Promise<UploadResult> {
    const p = await this.detect();
    let pp = this.parse(p, path);
    let warning: string | undefined;
    this.labelled(() => {
      checkPrintable(p.family, pp, path);
      checkUploadLimits(p.family, pp, path);
    });
    if (p.storages.find((s) => s.name === pp.storage)?.read_only)
      throw this.err('FORBIDDEN', `the storage "${pp.storage}" is read-only`);
    if (p.family === 'mini-legacy' && pp.segments.length > 1) {
      if (!opts.toRootIfUnsupported)
        throw this.err(
          'UNSUPPORTED',
          `this printer (MINI firmware 4.4) can only upload into the root of the USB stick, not into "${pp.segments.slice(0, -1).join('/')}"; upload to the root or set toRootIfUnsupported`,
        );
      warning = `this printer (MINI firmware 4.4) cannot upload into a folder: the file was stored as /${pp.storage}/${baseName(pp)} instead of ${fullPath(pp)}`;
      pp = { storage: pp.storage, segments: [baseName(pp)] };
    }
    const src = await prepareSource(source, this.label);
    const overwrite = opts.overwrite === true;
    const printAfter = opts.printAfterUpload === true;
    if (p.family === 'mini-legacy') await this.refuseExistingOnMini(p, pp, overwrite);
    try {
      const res = await this.scheduler.run(true, async () => {
        if (this.transport.auth.mode === 'digest') {
          // A fresh, verified nonce right before the body, so no upload is streamed only to collect a 401.
          await this.transport.send({ method: 'GET', target: '/api/version' });
        }
        return this.usesV1Files(p) ? this.putUpload(pp, src, overwrite, printAfter, opts) : this.multipartUpload(p, pp, src, printAfter, opts);
      });
      const result: UploadResult = { path: fullPath(pp), size: src.size, printStarted: printAfter };
      const file = await this.uploadedEntry(p, pp, res).catch(() => undefined); // the upload succeeded even so
      if (file) result.file = file;
      if (warning) result.warning = warning;
      return result;
    } catch (e) {
      if (!printAfter || !isPrusaLinkError(e) || e.code === 'ABORTED' || e.code === 'AUTH_FAILED') throw e;
      return this.reconcilePrintAfterUpload(pp, src.size, e, warning);
    }
  }

  /**
   * MINI 4.4.1 answers 409 to an upload whose name exists, but only after it has read the body (minutes at its
   * 54 KB/s), and it cannot replace a file. One listing of the root (the only folder it uploads to) refuses first.
   * With overwrite the file is NOT deleted for the caller: should the upload then fail, the file would be lost.
   */
  private async refuseExistingOnMini(p: PrinterProfile, pp: PrinterPath, overwrite: boolean): Promise<void> {
    const { entries } = await this.listLegacy(p, { storage: pp.storage, segments: [] });
    const wanted = baseName(pp).toLowerCase();
    const hit = entries.find((e) => e.name.toLowerCase() === wanted || e.display_name.toLowerCase() === wanted);
    if (!hit) return;
    const where = `${hit.display_path} already exists on the printer`;
    if (!overwrite) throw this.err('FILE_EXISTS', where);
    throw this.err(
      'FILE_EXISTS',
      `${where}, and this printer (MINI firmware 4.4) cannot replace a file. It is not deleted automatically, because a failed upload would then lose it: delete it first (e.g. with the rm node), then upload again`,
    );
  }

  private putUpload(pp: PrinterPath, src: Awaited<ReturnType<typeof prepareSource>>, overwrite: boolean, printAfter: boolean, opts: UploadOptions): Promise<HttpResponse> {
    // Headers are built here for this one call: nothing of an earlier call's options can leak in (trap §11.2).
    const headers: Record<string, string> = {
      'Content-Type': isBinaryGcode(baseName(pp)) ? 'application/gcode+binary' : 'text/x.gcode',
    };
    if (overwrite) headers['Overwrite'] = '?1';
    if (printAfter) headers['Print-After-Upload'] = '?1';
    return streamUpload(this.transport, {
      method: 'PUT',
      target: this.v1FilesTarget(pp),
      headers,
      parts: () => [src.part()],
      size: src.size,
      replayable: src.replayable,
      stallTimeout: this.opts.uploadStallTimeout,
      onProgress: opts.onProgress,
      signal: opts.signal,
    });
  }

  private multipartUpload(p: PrinterProfile, pp: PrinterPath, src: Awaited<ReturnType<typeof prepareSource>>, printAfter: boolean, opts: UploadOptions): Promise<HttpResponse> {
    const fields: Record<string, string> = {};
    if (p.family === 'pi' && pp.segments.length > 1) fields.path = pp.segments.slice(0, -1).join('/');
    if (printAfter) fields.print = 'true';
    const body = multipartBody(src, { fileName: baseName(pp), fields });
    return streamUpload(this.transport, {
      method: 'POST',
      target: `/api/files/${p.family === 'pi' ? encodeURIComponent(pp.storage) : 'local'}`,
      headers: { 'Content-Type': body.contentType },
      parts: body.parts,
      size: body.size,
      fileSize: src.size,
      replayable: src.replayable,
      stallTimeout: this.opts.uploadStallTimeout,
      onProgress: opts.onProgress,
      signal: opts.signal,
    });
  }

  private async uploadedEntry(p: PrinterProfile, pp: PrinterPath, res: HttpResponse): Promise<FileEntry | undefined> {
    if (res.body.length === 0) return undefined;
    let json: Json | undefined;
    try {
      json = obj(JSON.parse(res.body.toString('utf8')));
    } catch {
      return undefined;
    }
    if (!json) return undefined;
    if (str(json.name)) return this.entryFromV1(p, pp, json);
    const legacy = obj(obj(json.files)?.local);
    if (!legacy) return undefined;
    const parentPP: PrinterPath = { storage: pp.storage, segments: pp.segments.slice(0, -1) };
    const parent = await this.forms(p, parentPP, { aliases: refFolderAliases(str(obj(legacy.refs)?.download), pp.storage) });
    return fileFromLegacy(legacy, parent);
  }

  /**
   * The Print-After-Upload trap (docs §11.1): the printer may answer an error although it stored the file and
   * started printing it. Ask the printer before reporting; never retry (a retry could print twice).
   */
  private async reconcilePrintAfterUpload(pp: PrinterPath, size: number, original: PrusaLinkError, warning?: string): Promise<UploadResult> {
    let entry: FileEntry | undefined;
    let job: Job | null = null;
    try {
      job = await this.job();
      entry = await this.fileInfo(fullPath(pp)).catch((e) => {
        if (isPrusaLinkError(e, 'NOT_FOUND')) return undefined;
        throw e;
      });
    } catch {
      throw original; // the printer cannot tell us more: report what it said first
    }
    const jf = job?.file;
    const sameFile =
      entry !== undefined &&
      jf !== undefined &&
      (jf.path.toLowerCase() === entry.path.toLowerCase() ||
        (jf.name.toLowerCase() === entry.name.toLowerCase() && jf.display_name === entry.display_name));
    const running = job !== null && ['PRINTING', 'PAUSED', 'ATTENTION', 'BUSY'].includes(toState(job.state));
    if (sameFile && running) {
      const result: UploadResult = { path: fullPath(pp), size, printStarted: true, recoveredFromError: true, file: entry };
      if (warning) result.warning = warning;
      return result;
    }
    if (entry && original.status === 409 && (original.code === 'NOT_READY' || original.code === 'PRINTER_BUSY'))
      throw this.err(
        'NOT_READY',
        `the file was stored as ${entry.path} but the print did not start: the printer is not ready${original.printerMessage ? ` ("${original.printerMessage}")` : ''} (HTTP 409)`,
        original,
      );
    throw original;
  }

  close(): void {
    this.scheduler.close();
    this.transport.close();
  }

  // ---- camera ----------------------------------------------------------------------------------------------

  /** The last picture of the printer's camera (Pi PrusaLink only): the default camera, or `cameraId`. PNG or JPEG. */
  async cameraSnapshot(cameraId?: string): Promise<Buffer> {
    return this.withProfile((p) => cameraSnapshot(p, (spec) => this.request(spec), this.label, cameraId));
  }
}

/** `/usb/DIR/X.GCO` → `['DIR', 'X.GCO']` (the storage dropped). */
function segmentsOf(full: string): string[] {
  return full.split('/').filter(Boolean).slice(1);
}

/** Refs are paths as the printer wrote them (Pi leaves spaces unencoded): encode each segment, keep the query. */
function encodeRef(ref: string): string {
  const q = ref.indexOf('?');
  const pathPart = q >= 0 ? ref.slice(0, q) : ref;
  const query = q >= 0 ? ref.slice(q) : '';
  const segs = pathPart.split('/').map((s) => {
    let decoded = s;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      // a literal % that is not an escape: encode it as it is
    }
    return encodeURIComponent(decoded);
  });
  const out = segs.join('/');
  return (out.startsWith('/') ? out : '/' + out) + query;
}
