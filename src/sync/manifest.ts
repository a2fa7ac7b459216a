/**
 * What the sync uploaded, per printer and printer folder: the local size, time and sha256 of each file when it was
 * sent, and what the printer then listed. It lets a later sync decide "unchanged" without reading any content when
 * the printer's listing gives no usable size or time (Buddy lists no size; MINI 4.4.1 lists little).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

export interface ManifestRecord {
  /** Local size and modification time (ms) of the uploaded content. */
  size: number;
  mtime: number;
  sha256: string;
  /** Printer listing's size and m_timestamp for the file, once seen: a change there means someone replaced it. */
  remoteSize?: number;
  remoteMtime?: number;
}

interface ManifestFile {
  version: 1;
  /** printerId → printer folder (full path) → local relative path → record. */
  printers: Record<string, Record<string, Record<string, ManifestRecord>>>;
}

export const MANIFEST_NAME = '.prusalink-sync.json';

export class Manifest {
  private constructor(
    private readonly file: string,
    private readonly data: ManifestFile,
    private readonly loadedText: string,
  ) {}

  /** A missing manifest is an empty one; an unreadable one too, with a warning (it only saves work, never decides). */
  static async load(file: string, warnings: string[]): Promise<Manifest> {
    let text = '';
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push(`manifest ${file} could not be read (${(err as Error).message}); starting afresh`);
      return new Manifest(file, empty(), '');
    }
    try {
      const data = JSON.parse(text) as ManifestFile;
      if (data?.version === 1 && data.printers && typeof data.printers === 'object') return new Manifest(file, data, text);
    } catch {
      // fall through to the warning
    }
    warnings.push(`manifest ${file} is not a sync manifest; starting afresh`);
    return new Manifest(file, empty(), '');
  }

  /** The records of one printer folder, live: edits go into the manifest. */
  records(printerId: string, remoteFolder: string): Record<string, ManifestRecord> {
    const printer = (this.data.printers[printerId] ??= {});
    return (printer[remoteFolder] ??= {});
  }

  /** Writes only when something changed, through a temporary file so that a crash never leaves half a manifest. */
  async save(): Promise<void> {
    this.prune();
    const text = JSON.stringify(this.data, null, 1) + '\n';
    if (text === this.loadedText || (this.loadedText === '' && Object.keys(this.data.printers).length === 0)) return;
    await fsp.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fsp.writeFile(tmp, text);
    await fsp.rename(tmp, this.file);
  }

  private prune(): void {
    for (const [id, folders] of Object.entries(this.data.printers)) {
      for (const [folder, records] of Object.entries(folders)) if (Object.keys(records).length === 0) delete folders[folder];
      if (Object.keys(folders).length === 0) delete this.data.printers[id];
    }
  }
}

function empty(): ManifestFile {
  return { version: 1, printers: {} };
}
