/**
 * PrusaLinkClient: one typed API over Buddy, MINI 4.4.1 (legacy API) and Pi PrusaLink printers. This is the facade:
 * each method finds the printer's profile and hands over to the module that does the work.
 */
import { Authenticator } from './auth';
import { cameraSnapshot } from './camera';
import { resolveOptions } from './client-options';
import { ClientContext } from './context';
import { createFolder, deleteAllFiles, deletePath } from './file-changes';
import { refuseMiniFolder } from './mini-folders';
import { fetchThumbnail, openDownload } from './file-content';
import { fileEntry, fileExists, listFolder, listStorages } from './files';
import { Transport } from './http';
import { controlJob, startPrint } from './job-control';
import { printerInfo } from './printer-info';
import { ProfileCache } from './profile-cache';
import { Scheduler } from './scheduler';
import { StatusReader, currentTransfer } from './status';
import { UploadFlow } from './upload-flow';
import type {
  ClientOptions,
  FileEntry,
  Job,
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

export class PrusaLinkClient {
  readonly label: string;
  private readonly ctx: ClientContext;
  private readonly profiles: ProfileCache;
  private readonly statusReader: StatusReader;
  private readonly uploads: UploadFlow;

  constructor(options: ClientOptions) {
    const opts = resolveOptions(options);
    this.label = opts.address.label;
    const transport = new Transport({
      address: opts.address,
      allowSelfSigned: options.allowSelfSigned === true,
      timeout: opts.timeout,
      maxResponseBytes: opts.maxResponseBytes,
      userAgent: opts.userAgent,
      auth: new Authenticator({ apiKey: options.apiKey, user: options.user, password: options.password }),
      // A printer that went away may come back with other firmware: detect it again.
      onUnreachable: () => this.profiles.forget(),
    });
    this.ctx = new ClientContext(this.label, transport, new Scheduler(2));
    this.profiles = new ProfileCache(this.ctx);
    this.statusReader = new StatusReader(this.ctx, this.profiles);
    this.uploads = new UploadFlow(this.ctx, opts.uploadStallTimeout, this);
  }

  detect(force = false): Promise<PrinterProfile> {
    return this.profiles.detect(force);
  }

  // ---- printer ---------------------------------------------------------------------------------------------

  async version(): Promise<Record<string, unknown>> {
    return (await this.ctx.getJson('/api/version')).json;
  }

  async info(): Promise<PrinterInfo> {
    return this.profiles.withProfile((p) => printerInfo(this.ctx, p));
  }

  /** One request in steady state on v1 printers (the job's file is fetched once per job id); two on legacy-only ones. */
  status(): Promise<PrinterStatus> {
    return this.statusReader.status();
  }

  job(): Promise<Job | null> {
    return this.statusReader.job();
  }

  pause(): Promise<void> {
    return this.profiles.withProfile((p) => controlJob(this.ctx, p, 'pause'));
  }
  resume(): Promise<void> {
    return this.profiles.withProfile((p) => controlJob(this.ctx, p, 'resume'));
  }
  stop(): Promise<void> {
    return this.profiles.withProfile((p) => controlJob(this.ctx, p, 'stop'));
  }

  async transfer(): Promise<TransferStatus | null> {
    return this.profiles.withProfile((p) => currentTransfer(this.ctx, p));
  }

  // ---- storage and files -----------------------------------------------------------------------------------

  async storage(): Promise<StorageInfo[]> {
    return this.profiles.withProfile((p) => listStorages(this.ctx, p));
  }

  async list(path = '', opts: { recursive?: boolean } = {}): Promise<Listing> {
    return this.profiles.withProfile((p) => listFolder(this.ctx, p, path, opts.recursive === true));
  }

  async fileInfo(path: string): Promise<FileEntry> {
    return this.profiles.withProfile((p) => {
      refuseMiniFolder(this.ctx, p, path, 'describe');
      return fileEntry(this.ctx, p, path);
    });
  }

  async exists(path: string): Promise<boolean> {
    return this.profiles.withProfile((p) => fileExists(this.ctx, p, path));
  }

  async createFolder(path: string): Promise<void> {
    return this.profiles.withProfile((p) => createFolder(this.ctx, p, path));
  }

  async delete(path: string, opts: { recursive?: boolean } = {}): Promise<void> {
    return this.profiles.withProfile((p) => {
      refuseMiniFolder(this.ctx, p, path, 'delete', opts.recursive === true);
      return deletePath(this.ctx, p, path, opts.recursive === true);
    });
  }

  /** Deletes every file (not folder) directly in `folder`, like PrusaLinkPy's rm(). */
  async deleteAllFiles(folder: string): Promise<{ deleted: string[] }> {
    return deleteAllFiles(this, folder);
  }

  async print(path: string): Promise<void> {
    return this.profiles.withProfile((p) => startPrint(this.ctx, p, path));
  }

  async thumbnail(path: string, size: 'small' | 'large' = 'small'): Promise<Buffer> {
    return this.profiles.withProfile((p) => fetchThumbnail(this.ctx, p, path, size));
  }

  async download(path: string): Promise<NodeJS.ReadableStream> {
    return this.profiles.withProfile((p) => openDownload(this.ctx, p, path));
  }

  // ---- upload ----------------------------------------------------------------------------------------------

  async upload(source: UploadSource, path: string, opts: UploadOptions = {}): Promise<UploadResult> {
    const p = await this.profiles.detect();
    return this.uploads.upload(p, source, path, opts);
  }

  close(): void {
    this.ctx.scheduler.close();
    this.ctx.transport.close();
  }

  // ---- camera ----------------------------------------------------------------------------------------------

  /** The last picture of the printer's camera (Pi PrusaLink only): the default camera, or `cameraId`. PNG or JPEG. */
  async cameraSnapshot(cameraId?: string): Promise<Buffer> {
    return this.profiles.withProfile((p) => cameraSnapshot(p, (spec) => this.ctx.request(spec), this.label, cameraId));
  }
}
