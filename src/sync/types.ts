/** Public types of the folder sync: options, the client calls it needs, and the summary it returns. */
import type {
  ErrorCode,
  Listing,
  PrinterProfile,
  PrinterStatus,
  UploadOptions,
  UploadResult,
  UploadSource,
} from '../client/types';

/** The part of PrusaLinkClient the sync uses (a structural type, so any client with these calls works). */
export interface SyncClient {
  /** `host:port`; names the printer in the manifest unless SyncOptions.printerId does. */
  readonly label?: string;
  detect(): Promise<PrinterProfile>;
  list(path?: string, opts?: { recursive?: boolean }): Promise<Listing>;
  upload(source: UploadSource, path: string, opts?: UploadOptions): Promise<UploadResult>;
  createFolder(path: string): Promise<unknown>;
  delete(path: string, opts?: { recursive?: boolean }): Promise<unknown>;
  status(): Promise<PrinterStatus>;
}

export interface SyncOptions {
  /** The local folder to mirror. */
  localFolder: string;
  /** The printer folder, e.g. `/usb/prints`, or `prints` on the default storage. Default: the storage root. */
  remoteFolder?: string;
  /** Delete printer files (and emptied folders) that are no longer in the local folder. Default false. */
  deleteExtras?: boolean;
  /** Report what would be done; send no write request and leave the manifest alone. Default false. */
  dryRun?: boolean;
  /** Default `<localFolder>/.prusalink-sync.json`. */
  manifestPath?: string;
  /** Names the printer in the manifest (several printers may share one local folder). Default: the client's `label` (`host:port`). */
  printerId?: string;
  /**
   * Local paths known to have changed (from a `watch` node): their content is hashed even when size and modification
   * time look unchanged. Only a hint: the sync is complete and correct without it.
   */
  changedPaths?: string[];
  onProgress?: (p: SyncProgress) => void;
  signal?: AbortSignal;
}

export interface SyncProgress {
  /** Write operations finished so far (folders, uploads, deletes). */
  done: number;
  total: number;
  /** Local relative path of the operation about to run, or just finished when done === total. */
  path: string;
  action: 'create-folder' | 'upload' | 'delete';
}

export interface SyncedItem {
  /** Relative to the local folder, `/`-separated, long names. */
  path: string;
  /** Full printer path the operation used. */
  remote: string;
  size?: number;
  /** Uploads: why the file was sent. */
  reason?: 'new' | 'changed' | 'changed-on-printer';
}

export type SkipCode = 'FILE_PRINTING' | 'FOLDERS_UNSUPPORTED' | 'UNSUPPORTED_FILE' | 'NAME_CONFLICT' | 'CANNOT_REPLACE';

export interface SkippedItem {
  path: string;
  code: SkipCode;
  reason: string;
}

export interface FailedItem {
  path: string;
  code: ErrorCode | 'LOCAL_IO';
  message: string;
}

export interface SyncSummary {
  printer: string;
  localFolder: string;
  /** Full printer path of the synced folder. */
  remoteFolder: string;
  dryRun: boolean;
  /** Folders created on the printer (would be, in a dry run). */
  created: SyncedItem[];
  uploaded: SyncedItem[];
  deleted: SyncedItem[];
  /** Relative paths found identical. */
  unchanged: string[];
  /** Printer files missing locally, left in place because deleteExtras is off. */
  kept: string[];
  skipped: SkippedItem[];
  failed: FailedItem[];
  /** Non-fatal trouble, e.g. an unreadable manifest that was started afresh. */
  warnings: string[];
  /** Client calls made, by kind: what the sync cost the printer. */
  requests: { list: number; status: number; createFolder: number; upload: number; delete: number };
}
