/** Where an upload comes from and where it goes, from the node's fields and the msg. */
import * as nodePath from 'node:path';
import type { UploadSource } from '../client/types';

export interface UploadFields {
  /** Local file to send (node field, else msg.filename when msg.payload is not a Buffer). */
  filename?: string;
  /** Target folder on the printer (node field, else msg.folder). Blank: the storage root. */
  folder?: string;
  /** Target file name (node field, else msg.target, else the local file's or msg.filename's base name). */
  target?: string;
}

export interface UploadPlan {
  source: UploadSource;
  /** Printer path: `folder/name`, relative to the default storage unless the folder is a full path. */
  path: string;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Returns null with the name of what is missing when no plan can be made. */
export function planUpload(
  fields: UploadFields,
  msg: { payload?: unknown; filename?: unknown; target?: unknown; folder?: unknown },
): UploadPlan | { missing: 'source' | 'target' } {
  let source: UploadSource;
  let name: string | undefined;
  const localFile = text(fields.filename);
  if (localFile) {
    source = { file: localFile };
    name = text(fields.target) ?? text(msg.target) ?? nodePath.basename(localFile);
  } else if (Buffer.isBuffer(msg.payload)) {
    source = { buffer: msg.payload };
    const fromMsg = text(msg.filename);
    name = text(fields.target) ?? text(msg.target) ?? (fromMsg ? nodePath.basename(fromMsg) : undefined);
  } else if (text(msg.filename)) {
    const file = text(msg.filename) as string;
    source = { file };
    name = text(fields.target) ?? text(msg.target) ?? nodePath.basename(file);
  } else {
    return { missing: 'source' };
  }
  if (!name) return { missing: 'target' };
  const folder = (text(fields.folder) ?? text(msg.folder) ?? '').replace(/\/+$/, '');
  return { source, path: folder ? `${folder}/${name}` : name };
}
