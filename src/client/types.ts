/**
 * Public types of the PrusaLink client. Everything a node or a TypeScript user sees.
 * Field names follow the v1 API (snake_case) so that the normalized shape reads like Prusa's docs.
 */

/** The three printer families the client tells apart (see docs: "Families and generations"). */
export type Family = 'buddy' | 'mini-legacy' | 'pi';

/** v1 printer states (Prusa-Connect-SDK `State`), plus UNKNOWN which Buddy can emit. */
export type PrinterState =
  | 'IDLE'
  | 'BUSY'
  | 'PRINTING'
  | 'PAUSED'
  | 'FINISHED'
  | 'STOPPED'
  | 'ERROR'
  | 'ATTENTION'
  | 'READY'
  | 'UNKNOWN';

export interface ClientOptions {
  /** A name, an IPv4/IPv6 address (brackets optional), or a URL with scheme and port. */
  host: string;
  /** Overrides the port of `host`. Default 80 (443 with https). */
  port?: number;
  protocol?: 'http' | 'https';
  /** Accept a self-signed certificate (https only). Default false. */
  allowSelfSigned?: boolean;
  /** X-Api-Key authentication. Takes precedence over Digest when both are given. */
  apiKey?: string;
  /** Digest user, default `maker`. */
  user?: string;
  /** Digest password (on Buddy the PrusaLink password from the printer's menu). */
  password?: string;
  /** Connect + answer timeout for ordinary requests, ms. Default 10000. */
  timeout?: number;
  /** An upload fails when no byte moved for this long, ms. Default 30000. */
  uploadStallTimeout?: number;
  /** Responses larger than this are refused (PROTOCOL), bytes. Default 8 MiB. */
  maxResponseBytes?: number;
  /** Constant for the life of the client (Pi nonces are bound to it). */
  userAgent?: string;
}

/** What detection learnt about a printer; cached by the client until a reconnect. */
export interface PrinterProfile {
  family: Family;
  /** `/api/version` as the printer sent it. */
  version: Record<string, unknown>;
  /** Firmware or PrusaLink version when the printer tells it (e.g. `6.3.1`, `0.8.1`, `4.4.1`). */
  firmware?: string;
  /** Human name of the printer/server (`text` of /api/version). */
  text?: string;
  /**
   * The printer model by name (`MK4S`, `Core One`, `MK3S`, `MINI`), when the printer tells it: Buddy ≥ 6.5.1
   * (`printer`), Pi PrusaLink (`original`), MINI 4.4 (`text`). An unknown Buddy code is kept as sent (`9.1.0`).
   */
  model?: string;
  hostname?: string;
  capabilities: {
    v1: boolean;
    uploadByPut: boolean;
    multipartUpload: boolean;
    folders: boolean;
    digest: boolean;
  };
  /** Storages in URL form, writable first: `usb`, or `local` and `sdcard`. */
  storages: StorageInfo[];
  /** The storage used when a path names none. */
  defaultStorage: string;
  authScheme: 'apikey' | 'digest';
}

export interface StorageInfo {
  /** URL segment: `usb`, `local`, `sdcard`. */
  name: string;
  /** Name as the printer displays it. */
  display_name?: string;
  type?: string;
  read_only: boolean;
  available: boolean;
  free_space?: number;
  total_space?: number;
}

/** Thumbnail and download references, resolved to absolute paths on the printer (not URLs). */
export interface FileRefs {
  icon?: string;
  thumbnail?: string;
  download?: string;
}

export interface FileEntry {
  type: 'FOLDER' | 'PRINT_FILE' | 'FIRMWARE' | 'FILE';
  /** Name usable in a URL (8.3 alias on Buddy). */
  name: string;
  /** Long name for people (equals `name` where the printer has no aliases). */
  display_name: string;
  /**
   * Full path usable with every call, always in the printer's own URL form: 8.3 aliases on Buddy and MINI 4.4.1
   * (`/usb/DIR/FILE~1.GCO`), whichever form the folder was asked for in; the same form as `JobFile.path`.
   */
  path: string;
  /** Full path with long names, for people, e.g. `/usb/Dir long/Long name.gcode`. */
  display_path: string;
  size?: number;
  /** Epoch seconds. */
  m_timestamp?: number;
  read_only?: boolean;
  refs?: FileRefs;
  /** Folders only, when listed recursively. */
  children?: FileEntry[];
}

export interface Listing {
  /** The folder listed, as a full path in the printer's own URL form (8.3 aliases on Buddy and MINI 4.4.1). */
  path: string;
  /** The folder listed with long names, for people. */
  display_path: string;
  entries: FileEntry[];
  /** False where the printer cannot list folders (MINI 4.4.1): folders may exist but are not shown. */
  foldersListed: boolean;
}

export interface JobFile {
  name: string;
  display_name: string;
  /** Full path of the file itself (not its directory), in the printer's URL form as FileEntry.path (8.3 on Buddy). */
  path: string;
  /** Long-name form as FileEntry.display_path. */
  display_path?: string;
  size?: number;
  m_timestamp?: number;
  refs?: FileRefs;
}

export interface Job {
  id?: number;
  state: PrinterState;
  /** 0..100. */
  progress: number;
  /** Seconds. */
  time_remaining?: number;
  /** Seconds. */
  time_printing?: number;
  file?: JobFile;
}

export interface TransferStatus {
  id?: number;
  type?: string;
  display_name?: string;
  path?: string;
  size?: number;
  /** 0..100. */
  progress?: number;
  transferred?: number;
  time_remaining?: number;
  time_transferring?: number;
  to_print?: boolean;
}

/** One normalized shape for every family. Absent means "the printer did not report it". */
export interface PrinterStatus {
  state: PrinterState;
  /** The printer model by name, as in the profile (absent when the printer does not tell it). */
  model?: string;
  /** Why the state is what it is when the client knows more than the printer says (e.g. `filament change`). */
  reason?: string;
  printer: {
    state: PrinterState;
    temp_nozzle?: number;
    target_nozzle?: number;
    temp_bed?: number;
    target_bed?: number;
    axis_x?: number;
    axis_y?: number;
    axis_z?: number;
    flow?: number;
    speed?: number;
    fan_hotend?: number;
    fan_print?: number;
    material?: string;
  };
  job?: Job;
  transfer?: TransferStatus;
}

export interface PrinterInfo {
  nozzle_diameter?: number;
  mmu?: boolean;
  serial?: string;
  hostname?: string;
  name?: string;
  location?: string;
  min_extrusion_temp?: number;
}

export interface UploadProgress {
  bytes: number;
  total: number;
  /** 0..100 */
  percent: number;
}

export interface UploadOptions {
  overwrite?: boolean;
  printAfterUpload?: boolean;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
  /**
   * MINI 4.4.1 cannot upload into a folder. By default such an upload is refused before a byte is sent; with this
   * flag the file goes to the root of the storage instead and `UploadResult.warning` says so.
   */
  toRootIfUnsupported?: boolean;
}

export interface UploadResult {
  /** The stored file, as the printer lists it after the upload (when it could be read back). */
  file?: FileEntry;
  path: string;
  size: number;
  /** True when a print was asked for and the printer started it. */
  printStarted: boolean;
  /**
   * True when the printer answered the upload with an error but the file was stored and the print
   * started anyway (the firmware trap); reported as a success, never retried.
   */
  recoveredFromError?: boolean;
  /** Something the caller should know although the upload succeeded (e.g. stored in the root instead of a folder). */
  warning?: string;
}

/** Source of an upload: a local file path, a Buffer, or a stream whose size is known. */
export type UploadSource =
  | { file: string }
  | { buffer: Buffer }
  | { stream: NodeJS.ReadableStream; size: number };

export type ErrorCode =
  | 'AUTH_FAILED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'PRINTER_BUSY'
  | 'NOT_READY'
  | 'FOLDER_NOT_EMPTY'
  | 'FILE_EXISTS'
  | 'FILE_BUSY'
  | 'TRANSFER_IN_PROGRESS'
  | 'UNSUPPORTED_FILE'
  | 'UNSUPPORTED'
  | 'INVALID_PATH'
  | 'INVALID_ARGUMENT'
  | 'NAME_TOO_LONG'
  | 'NO_JOB'
  | 'TIMEOUT'
  | 'UNREACHABLE'
  | 'TLS'
  | 'ABORTED'
  | 'SERVER_ERROR'
  | 'PROTOCOL';
