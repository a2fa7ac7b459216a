/**
 * PrusaLinkClient: one typed API over Buddy, MINI 4.4.1 (legacy API) and Pi PrusaLink printers. This is the facade:
 * each method finds the printer's profile (profile.ts), then makes one call into the module that does the work. The
 * modules take the ClientContext (context.ts), never the client.
 */
import type { Readable } from 'node:stream';
import { Authenticator } from './auth';
import { ClientContext, Scheduler } from './context';
import { createFolder, deleteAllFiles, deletePath } from './files/changes';
import { describePath, fetchThumbnail, fileExists, listFolder, listStorages, openDownload } from './files/listing';
import { controlJob, startPrint } from './jobs';
import { resolveOptions } from './options';
import { ProfileCache } from './profile';
import { StatusReader, cameraSnapshot, currentTransfer, printerInfo } from './status';
import { Transport } from './transport/transport';
import { uploadFile } from './upload/upload';
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

  constructor(options: ClientOptions) {
    const opts = resolveOptions(options);
    this.label = opts.address.label;
    const transport = new Transport({
      address: opts.address,
      allowSelfSigned: options.allowSelfSigned === true,
      timeout: opts.timeout,
      maxResponseBytes: opts.maxResponseBytes,
      userAgent: opts.userAgent,
      uploadStallTimeout: opts.uploadStallTimeout,
      auth: new Authenticator({ apiKey: options.apiKey, user: options.user, password: options.password }),
    });
    this.ctx = new ClientContext(this.label, transport, new Scheduler(2));
    this.profiles = new ProfileCache(this.ctx);
    this.statusReader = new StatusReader(this.ctx);
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
    // Only a call that waits for detection may take its /api/v1/status answer: after an earlier detect(), ask anew.
    const detecting = !this.profiles.known;
    return this.profiles.withProfile((p) => this.statusReader.status(p, this.profiles.takeStatusProbe(detecting)));
  }

  job(): Promise<Job | null> {
    return this.profiles.withProfile((p) => this.statusReader.job(p));
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
    return this.profiles.withProfile((p) => describePath(this.ctx, p, path));
  }

  async exists(path: string): Promise<boolean> {
    return this.profiles.withProfile((p) => fileExists(this.ctx, p, path));
  }

  async createFolder(path: string): Promise<void> {
    return this.profiles.withProfile((p) => createFolder(this.ctx, p, path));
  }

  async delete(path: string, opts: { recursive?: boolean } = {}): Promise<void> {
    return this.profiles.withProfile((p) => deletePath(this.ctx, p, path, opts.recursive === true));
  }

  /** Deletes every file (not folder) directly in `folder`, like PrusaLinkPy's rm(). */
  async deleteAllFiles(folder: string): Promise<{ deleted: string[] }> {
    return this.profiles.withProfile((p) => deleteAllFiles(this.ctx, p, folder));
  }

  async print(path: string): Promise<void> {
    return this.profiles.withProfile((p) => startPrint(this.ctx, p, path));
  }

  async thumbnail(path: string, size: 'small' | 'large' = 'small'): Promise<Buffer> {
    return this.profiles.withProfile((p) => fetchThumbnail(this.ctx, p, path, size));
  }

  /** The file's bytes as a stream; it holds one of the printer's request slots until it is read or destroyed. */
  async download(path: string): Promise<Readable> {
    return this.profiles.withProfile((p) => openDownload(this.ctx, p, path));
  }

  // ---- upload ----------------------------------------------------------------------------------------------

  async upload(source: UploadSource, path: string, opts: UploadOptions = {}): Promise<UploadResult> {
    const p = await this.profiles.detect();
    return uploadFile(this.ctx, p, this.statusReader, source, path, opts);
  }

  close(): void {
    this.ctx.scheduler.close();
    this.ctx.transport.close();
  }

  // ---- camera ----------------------------------------------------------------------------------------------

  /** The last picture of the printer's camera (Pi PrusaLink only): the default camera, or `cameraId`. PNG or JPEG. */
  async cameraSnapshot(cameraId?: string): Promise<Buffer> {
    return this.profiles.withProfile((p) => cameraSnapshot(this.ctx, p, cameraId));
  }
}
