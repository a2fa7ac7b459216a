/** Lists the local folder: every file below it with size and modification time, without reading any content. */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

export interface LocalFile {
  /** Relative, `/`-separated. */
  rel: string;
  abs: string;
  size: number;
  /** Whole milliseconds, so that the value survives a JSON round trip unchanged. */
  mtimeMs: number;
}

/**
 * Dot-files and dot-folders (the manifest, `.git`, editor swap files) are left out. Symbolic links are not followed,
 * so a link cannot loop the scan or pull in files from outside the folder.
 */
export async function scanLocal(root: string): Promise<LocalFile[]> {
  const files: LocalFile[] = [];
  async function walk(dir: string, relDir: string): Promise<void> {
    const entries = await fsp.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const abs = path.join(dir, e.name);
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(abs, rel);
      else if (e.isFile()) {
        const st = await fsp.stat(abs);
        files.push({ rel, abs, size: st.size, mtimeMs: Math.floor(st.mtimeMs) });
      }
    }
  }
  await walk(root, '');
  return files;
}

/** Re-reads size and time of one file (to see whether it changed while it was being uploaded). */
export async function restat(file: LocalFile): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const st = await fsp.stat(file.abs);
    return { size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
  } catch {
    return undefined;
  }
}
