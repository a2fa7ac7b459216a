/**
 * fileQueueStorage(dir): the queue as one JSON file, `<dir>/queue.json`, and the bytes of 'buffer' jobs as one file
 * each, `<dir>/spool/<jobId>.bin`.
 *
 * A save is atomic: the new state goes into a temporary file that is fsynced, then renamed over queue.json, then the
 * folder is fsynced so the rename itself survives a power cut. A crash at any point leaves queue.json whole, old or
 * new; a temporary file left behind by a crash is ignored (and removed by the next save). Saves of one storage run
 * one after the other, so an older state never lands after a newer one.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { QueueError } from './errors';
import type { PersistedQueue, QueueStorage } from './types';

export const QUEUE_FILE = 'queue.json';
const SPOOL = 'spool';
const STALE_TEMP_MS = 60_000;

export function fileQueueStorage(dir: string): QueueStorage {
  if (typeof dir !== 'string' || dir.trim() === '') throw new QueueError('BAD_INPUT', 'fileQueueStorage needs a folder path');
  return new FileQueueStorage(path.resolve(dir));
}

class FileQueueStorage implements QueueStorage {
  private readonly file: string;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string) {
    this.file = path.join(dir, QUEUE_FILE);
  }

  async load(): Promise<PersistedQueue | undefined> {
    await removeStaleTemps(this.dir);
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const data = JSON.parse(text) as PersistedQueue;
    if (!data || data.version !== 1 || !Array.isArray(data.jobs)) {
      throw new Error(`${this.file} is not a print queue (version 1) file`);
    }
    return data;
  }

  save(state: PersistedQueue): Promise<void> {
    const text = JSON.stringify(state, null, 1) + '\n';
    const mine = this.chain.then(() => this.write(text));
    this.chain = mine.catch(() => undefined);
    return mine;
  }

  private async write(text: string): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `${QUEUE_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    await writeSynced(tmp, text);
    await fsp.rename(tmp, this.file);
    await syncFolder(this.dir);
  }

  async saveBytes(jobId: string, data: Buffer): Promise<void> {
    const folder = path.join(this.dir, SPOOL);
    await fsp.mkdir(folder, { recursive: true });
    const file = this.spoolFile(jobId);
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeSynced(tmp, data);
    await fsp.rename(tmp, file);
    await syncFolder(folder);
  }

  loadBytes(jobId: string): Promise<Buffer> {
    return fsp.readFile(this.spoolFile(jobId));
  }

  async deleteBytes(jobId: string): Promise<void> {
    await fsp.rm(this.spoolFile(jobId), { force: true });
  }

  /** Job ids come from the persisted state, which a user may edit: only plain names reach the file system. */
  private spoolFile(jobId: string): string {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(jobId)) throw new QueueError('BAD_INPUT', `job id "${jobId}" is not a spool name`);
    return path.join(this.dir, SPOOL, `${jobId}.bin`);
  }
}

async function writeSynced(file: string, data: string | Buffer): Promise<void> {
  const handle = await fsp.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The rename is durable only once the folder's entry is on disk; some systems cannot open a folder, which is fine. */
async function syncFolder(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some file systems refuse fsync on a folder; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}

/**
 * Temporary files a crash left behind. Only old ones: during a redeploy the old node may still be saving into the
 * same folder while the new one loads.
 */
async function removeStaleTemps(dir: string): Promise<void> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const temps = names.filter((n) => n.startsWith(`${QUEUE_FILE}.`) && n.endsWith('.tmp')).map((n) => path.join(dir, n));
  const old = Date.now() - STALE_TEMP_MS;
  for (const t of temps) {
    const st = await fsp.stat(t).catch(() => undefined);
    if (st && st.mtimeMs < old) await fsp.rm(t, { force: true });
  }
}
