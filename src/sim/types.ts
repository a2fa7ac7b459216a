/** Public API of the PrusaLink printer simulator (programmatic use in tests, benchmarks and the demo). */
import type { SimState } from './model/types';

export type SimFamily = 'buddy' | 'mini-legacy' | 'pi';

export interface SimOptions {
  family: SimFamily;
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Buddy: the PrusaLink password (Digest and X-Api-Key). Pi: the Digest password. Default `password`. */
  password?: string;
  /** Pi: Digest user (default `maker`). Buddy: always `maker`. */
  user?: string;
  /** MINI 4.4.1: the API key (default `apikey`). Pi: an optional API key (none when absent). */
  apiKey?: string;
  /** Simulated seconds per real second. Default 1. */
  speed?: number;
  /** Keep the printer's files in this folder instead of memory. */
  filesDir?: string;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Token for the `/_sim/` control endpoints (header `X-Sim-Token`). Default: random. */
  controlToken?: string;
  /** Buddy: nonce lifetime in seconds (300 on current firmware, 5 on ≤ 5.1). Default 300. */
  nonceLifetime?: number;
  /** Upload bodies are read and thrown away (benchmarks). */
  discardUploads?: boolean;
  /** Seed files: path (long names, below the storage root) → content. */
  files?: Record<string, string | Buffer>;
  /** Hostname reported by the printer. */
  hostname?: string;
  /** Pi: a camera is attached (`/api/v1/cameras` lists it, `/api/v1/cameras/snap` returns a PNG). Default false. */
  camera?: boolean;
  /**
   * Pi: ms a new upload stays out of the file tree after its 201 (GET/HEAD 404, left out of listings), as PrusaLink
   * 0.8.1 does (114–225 ms observed). Default 150; 0: listed at once.
   */
  piListingDelayMs?: number;
  /** Buddy: fixed random half of the Digest nonce (32-bit), as after a reboot; for test vectors. Default: random. */
  nonceRandom?: number;
  /**
   * Pause, resume and stop take effect this many real ms after the printer's 204, as on the real PrusaLink, which
   * answers once the command is queued (observed on the Pi, issue 14.5). A command the state does not allow is still
   * refused at once. Default 0: at once.
   */
  jobCommandDelayMs?: number;
  /**
   * Buddy: the firmware version whose answers to give (e.g. `5.0.2`, `6.3.2`, `6.4.1`, `6.5.3`; from 4.7.0).
   * Default: the newest the model runs (6.6.0; the MINI's last is 6.4.0).
   */
  firmware?: string;
  /** Buddy: the model (MK4, MK4S, MK3.5, MK3.9, MINI, XL, Core One, …). Default MK4. */
  model?: string;
}

/**
 * Buddy: printer situations whose reported state depends on the firmware generation (§8.1). `preheat`: a print's
 * preheat/calibration screen; `power-loss`: waiting to resume after a power loss; `no-tool`: a tool changer with no
 * tool picked (a print goes on). The situation ends with the next state change.
 */
export type SimSituation = 'preheat' | 'power-loss' | 'no-tool';

/** Faults a test can switch on; every one is off by default. */
export interface SimFaults {
  /** Added before every answer, ms. */
  latencyMs?: number;
  /** Accept requests and never answer. */
  hang?: boolean;
  /** Reset the connection after this many body bytes of an upload. */
  resetAfterBytes?: number;
  /** Answer every API request with this status (500 or 503). */
  status?: 500 | 503;
  /** Answer uploads with 409 "Another transfer in progress". */
  transferInProgress?: boolean;
  /**
   * Every correct Digest answer gets 401 stale=true once, with a nonce of its own that is accepted once, from that
   * same request (method and target), within 10 s: concurrent requests each pass on their single retry.
   */
  staleNonceAlways?: boolean;
  /** JSON bodies are broken (`'malformed'`) or cut in half (`'truncated'`). */
  badJson?: 'malformed' | 'truncated';
  /** JSON answers padded to this many bytes (a response far larger than any real one). */
  hugeResponseBytes?: number;
  /** Bodies are sent a few bytes at a time with this delay between chunks, ms. */
  slowBodyMs?: number;
  /** Upload with Print-After-Upload answers this error status although the file is stored and the print starts. */
  printAfterUploadTrap?: number;
}

export interface RecordedRequest {
  method: string;
  /** Raw request-target as received (encoded path and query). */
  url: string;
  /** Decoded path without the query. */
  path: string;
  /** Which credentials came with it. */
  auth: 'none' | 'apikey' | 'digest';
  /** Whether authentication succeeded. */
  authOk: boolean;
  status: number;
  /** Request body bytes received. */
  bodyBytes: number;
  headers: Record<string, string | string[] | undefined>;
  /** When the request arrived, ms. */
  time: number;
  /** When its answer was sent, ms (unset while it runs, or when it ended without an answer). */
  endTime?: number;
}

export interface SimControl {
  readonly state: SimState;
  setState(state: SimState, reason?: string): void;
  /** Starts a print of a stored file (long-name path below the storage root). */
  startPrint(path: string): void;
  /** Filament runout during a print (MINI 4.4.1 then hides the truth in /api/printer). */
  filamentRunout(): void;
  /** Buddy: enters a situation (see SimSituation); a print must be running. */
  situation(situation: SimSituation): void;
  /** MINI 4.4.1: whether the screen is on its main page (prints start only from there). Default true. */
  setMainScreen(onMain: boolean): void;
  setFaults(faults: SimFaults): void;
  clearFaults(): void;
  /** Stop listening (connection refused) until `listen()`. */
  refuse(): Promise<void>;
  listen(): Promise<void>;
  /** New nonce secret, as after a reboot. */
  reboot(): void;
  setSpeed(speed: number): void;
  requests(): RecordedRequest[];
  clearRequests(): void;
  /** Adds a file to the store (long-name path below the storage root). */
  addFile(path: string, content: string | Buffer): void;
  /** Long-name paths of every stored file and folder (folders end with `/`). */
  listFiles(): string[];
  readFile(path: string): Buffer | undefined;
}

export interface SimPrinter {
  family: SimFamily;
  /** Buddy: the firmware version and model simulated. */
  firmware?: string;
  model?: string;
  /** Base URL, e.g. `http://127.0.0.1:39517`. */
  url: string;
  host: string;
  port: number;
  /** The credentials clients use for this printer. */
  credentials: { user?: string; password?: string; apiKey?: string };
  /** Token for the HTTP control endpoints under `/_sim/`. */
  controlToken: string;
  control: SimControl;
  /** Stops listening, ends every connection and timer. Resolves when nothing is left open. */
  stop(): Promise<void>;
}

