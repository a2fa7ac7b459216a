/**
 * Where an upload comes from and where it goes, from the node's fields and the msg.
 *
 * Reading a file on the Node-RED server is what the node must be SET to do (source `file`), never something a msg
 * infers: an mqtt payload left as a string, plus a msg.filename, once uploaded the server's own flows_cred.json.
 * A local path from the msg is only taken when the node names a base folder, and is confined to it (local-file.ts).
 */
import * as nodePath from 'node:path';
import { nodeWins } from './msg-fields';

/** `payload`: msg.payload must be a Buffer. `file`: a local file named in the node, or msg.filename inside the base folder. */
export type UploadSourceSetting = 'payload' | 'file';

export interface UploadFields {
  /** Blank on nodes made before the setting: a local file typed in the node means `file`, otherwise `payload`. */
  source?: string;
  /** Local file to send (source `file`). */
  filename?: string;
  /** Source `file`: the folder msg.filename may name a file in; blank: msg.filename never names a local file. */
  baseFolder?: string;
  /** Target folder on the printer (node field, else msg.folder). Blank: the storage root. */
  folder?: string;
  /** Target file name (node field, else msg.target, else the local file's or msg.filename's base name). */
  target?: string;
}

export type PlannedSource =
  | { buffer: Buffer }
  /** A local file named in the node: read as set. */
  | { file: string }
  /** A local path from msg.filename: to be confined to `base` before anything reads it. */
  | { msgFile: string; base: string };

export interface UploadPlan {
  source: PlannedSource;
  /** Printer path: `folder/name`, relative to the default storage unless the folder is a full path. */
  path: string;
  /** msg properties the node's settings override (warned about once per node, as every node does: msg-fields.ts). */
  ignored: string[];
}

export type UploadProblem =
  | { problem: 'notBuffer'; kind: ValueKind }
  | { problem: 'noPayload' | 'noLocalFile' | 'msgFileRefused' | 'target' | 'empty' };

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

export function sourceSetting(fields: UploadFields): UploadSourceSetting {
  if (fields.source === 'payload' || fields.source === 'file') return fields.source;
  return text(fields.filename) ? 'file' : 'payload';
}

/** What msg.payload is, for the error that names it (a key of the catalog's `types`). */
export type ValueKind = 'string' | 'object' | 'array' | 'number' | 'boolean' | 'null' | 'other';

export function kindOf(v: unknown): ValueKind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'string' || t === 'object' || t === 'number' || t === 'boolean' ? t : 'other';
}

export function planUpload(
  fields: UploadFields,
  msg: { payload?: unknown; filename?: unknown; target?: unknown; folder?: unknown },
): UploadPlan | UploadProblem {
  const ignored: string[] = [];
  let source: PlannedSource;
  let localName: string | undefined;
  const fromMsg = text(msg.filename);
  if (sourceSetting(fields) === 'payload') {
    if (msg.payload === undefined) return { problem: 'noPayload' };
    if (!Buffer.isBuffer(msg.payload)) return { problem: 'notBuffer', kind: kindOf(msg.payload) };
    if (msg.payload.length === 0) return { problem: 'empty' }; // Buddy answers an empty body with a puzzling 501
    source = { buffer: msg.payload };
    localName = fromMsg;
  } else {
    const inNode = text(fields.filename);
    const base = text(fields.baseFolder);
    if (Buffer.isBuffer(msg.payload)) ignored.push('payload');
    if (inNode) {
      if (nodeWins(inNode, fromMsg).ignored) ignored.push('filename');
      source = { file: inNode };
      localName = inNode;
    } else if (fromMsg === undefined) {
      return { problem: 'noLocalFile' };
    } else if (!base) {
      return { problem: 'msgFileRefused' };
    } else {
      source = { msgFile: fromMsg, base };
      localName = fromMsg;
    }
  }
  // The node's target and folder win over the msg's, as in every node; a msg value passed over is said (msg-fields.ts).
  const target = nodeWins(text(fields.target), text(msg.target));
  const folderPicked = nodeWins(text(fields.folder), text(msg.folder));
  if (target.ignored) ignored.push('target');
  if (folderPicked.ignored) ignored.push('folder');
  const name = target.value ?? (localName ? nodePath.basename(localName) : undefined);
  if (!name) return { problem: 'target' };
  const folder = (folderPicked.value ?? '').replace(/\/+$/, '');
  return { source, path: folder ? `${folder}/${name}` : name, ignored };
}
