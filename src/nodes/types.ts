/**
 * Shapes shared by the config node and the flow nodes. Kept apart from the node modules because a
 * module written with `export =` cannot export anything else (TS2309).
 */
import type { Node, NodeDef, NodeMessage } from 'node-red';
import type { PrusaLinkClient } from '../client';
import type { PrinterStatus } from '../client/types';

export interface PrinterDef extends NodeDef {
  host: string;
  port: string | number;
  protocol: 'http' | 'https';
  allowSelfSigned: boolean;
  /** Which credential authenticates: `apikey` (X-Api-Key) or `digest` (user + password). */
  auth: 'apikey' | 'digest';
  /** Request timeout, seconds. */
  timeout: string | number;
  /** Default poll interval of status nodes that leave theirs blank, seconds. */
  pollInterval: string | number;
}

/**
 * The Digest user is a text credential rather than a plain property: on Pi PrusaLink it is chosen in
 * the setup wizard, so it is half of a login, and an exported flow should not carry it.
 */
export interface PrinterCredentials {
  apiKey?: string;
  user?: string;
  password?: string;
}

/** What the shared poller tells each node that watches a printer. */
export type PollUpdate =
  | { kind: 'status'; status: PrinterStatus }
  | { kind: 'down'; error: CodedError };

export interface PollWatcher {
  onPoll(update: PollUpdate): void;
}

export interface CodedError extends Error {
  code: string;
}

export interface PrinterNode extends Node<PrinterCredentials> {
  /** Printer name for people and for msg.printer: the node's name, else `host:port`. */
  printerName: string;
  /** Default poll interval, ms. */
  pollIntervalMs: number;
  /** False when the host is empty: a printer not configured (yet), which nobody polls and nobody is told about. */
  configured: boolean;
  /** Protocol, host and port the stored credentials belong to (see addressKey): Test connection sends them nowhere else. */
  addressKey: string;
  /** The shared client; throws the configuration error when the node's settings are unusable. */
  getClient(): PrusaLinkClient;
  /** Starts (or speeds up) the shared poller for this watcher. */
  watch(watcher: PollWatcher, intervalMs: number): void;
  /** Stops polling for this watcher; the poller stops when no watcher is left. */
  unwatch(watcher: PollWatcher): void;
}

/** Every flow node references its printer with this property. */
export interface FlowNodeDef extends NodeDef {
  printer: string;
}

/** An input msg as our nodes read it: any property may be there. */
export type InputMsg = NodeMessage & Record<string, unknown>;
