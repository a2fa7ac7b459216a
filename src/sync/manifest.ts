/**
 * What the sync uploaded, per printer and printer folder: the local size, time and sha256 of each file when it was
 * sent, and what the printer then listed. It lets a later sync decide "unchanged" without reading any content when
 * the printer's listing gives no usable size or time (Buddy lists no size; MINI 4.4.1 lists little).
 */
import { randomBytes } from 'node:crypto';
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

/**
 * The save in progress per manifest file in this process. Syncs of one folder to several printers run at once
 * (two sync nodes, one inject); each save reads the file again and writes it in turn, so none drops the other's
 * records and no two share a temporary file.
 */
const savesInProgress = new Map<string, Promise<void>>();

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

  /** The printer folders this sync asked records of: the only part of the file its save replaces. */
  private readonly used: Array<[string, string]> = [];

  /** The records of one printer folder, live: edits go into the manifest. */
  records(printerId: string, remoteFolder: string): Record<string, ManifestRecord> {
    this.used.push([printerId, remoteFolder]);
    const printer = (this.data.printers[printerId] ??= {});
    return (printer[remoteFolder] ??= {});
  }

  /**
   * Writes only when something changed, through a temporary file so that a crash never leaves half a manifest.
   * The folders of this sync replace theirs in the file as it is now: another printer's sync of the same folder
   * may have saved since this one loaded it.
   */
  async save(): Promise<void> {
    prune(this.data);
    const text = JSON.stringify(this.data, null, 1) + '\n';
    if (text === this.loadedText || (this.loadedText === '' && Object.keys(this.data.printers).length === 0)) return;
    const previous = savesInProgress.get(this.file) ?? Promise.resolve();
    const mine = previous.then(() => this.merge());
    const settled = mine.catch(() => undefined);
    savesInProgress.set(this.file, settled);
    try {
      await mine;
    } finally {
      if (savesInProgress.get(this.file) === settled) savesInProgress.delete(this.file);
    }
  }

  private async merge(): Promise<void> {
    const current = (await Manifest.load(this.file, [])).data;
    for (const [id, folder] of this.used) {
      const records = this.data.printers[id]?.[folder];
      const printer = (current.printers[id] ??= {});
      if (records) printer[folder] = records;
      else delete printer[folder];
    }
    prune(current);
    await fsp.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    await fsp.writeFile(tmp, JSON.stringify(current, null, 1) + '\n');
    await fsp.rename(tmp, this.file);
  }
}

/** Drops printer folders without records and printers without folders. */
function prune(data: ManifestFile): void {
  for (const [id, folders] of Object.entries(data.printers)) {
    for (const [folder, records] of Object.entries(folders)) if (Object.keys(records).length === 0) delete folders[folder];
    if (Object.keys(folders).length === 0) delete data.printers[id];
  }
}

function empty(): ManifestFile {
  return { version: 1, printers: {} };
}
