/**
 * The simulated printer's file storage: a tree of folders and files, in memory or mirrored in a real folder,
 * with optional FAT 8.3 aliases (Buddy and MINI 4.4.1). The tree is in store-tree.ts, the bytes in store-bytes.ts;
 * this file is what the printer's HTTP side calls.
 */
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import { StoreError, type FileStoreApi, type StoredEntry, type StoreOptions, type UploadWriter } from './types';
import { readGcodeInfo, type PrintFileInfo } from './gcode';
import { isBgcode, readBgcodeInfo } from './bgcode';
import { nowSeconds, StoreTree, type StoreNode } from './store-tree';
import { appendToBuffer, bufferStream, diskPath, seedFromDisk, withSource } from './store-bytes';

export class FileStore implements FileStoreApi {
  private readonly tree: StoreTree;
  private used = 0;

  constructor(private readonly options: StoreOptions) {
    this.tree = new StoreTree(options);
    if (options.dir) {
      fs.mkdirSync(options.dir, { recursive: true });
      this.used += seedFromDisk(this.tree, this.tree.root, options.dir);
    }
  }

  resolve(segments: string[]): StoredEntry | undefined {
    const node = this.tree.find(segments);
    return node && this.tree.entryOf(node);
  }

  list(segments: string[]): StoredEntry[] {
    return this.tree.sortedChildren(this.tree.folderAt(segments)).map((child) => this.tree.entryOf(child));
  }

  walk(segments: string[] = []): StoredEntry[] {
    const out: StoredEntry[] = [];
    const visit = (folder: StoreNode): void => {
      for (const child of this.tree.sortedChildren(folder)) {
        out.push(this.tree.entryOf(child));
        if (child.kind === 'folder') visit(child);
      }
    };
    visit(this.tree.folderAt(segments));
    return out;
  }

  mkdir(segments: string[], opts: { recursive: boolean }): StoredEntry {
    this.assertWritable();
    if (segments.length === 0) {
      if (opts.recursive) return this.tree.entryOf(this.tree.root);
      throw new StoreError('exists', 'the storage root exists');
    }
    const parent = this.parentFor(segments, opts.recursive);
    const name = segments[segments.length - 1];
    const existing = this.tree.child(parent, name);
    if (existing) {
      if (existing.kind === 'folder' && opts.recursive) return this.tree.entryOf(existing);
      throw new StoreError('exists', `${name} already exists`);
    }
    return this.tree.entryOf(this.addFolder(parent, name));
  }

  beginWrite(segments: string[], size: number, opts: { overwrite: boolean }): UploadWriter {
    const node = this.createFile(segments, opts.overwrite);
    node.partial = true;
    const discard = this.options.discardUploads === true;
    node.discarded = discard;
    const fd = this.options.dir && !discard ? fs.openSync(this.diskPath(node), 'w') : undefined;
    let open = true;
    const close = (): void => {
      open = false;
      if (fd !== undefined) fs.closeSync(fd);
    };
    return {
      entry: this.tree.entryOf(node),
      write: (chunk: Buffer): void => {
        if (!open) throw new Error('upload already finished or aborted');
        if (node.removed) return; // deleted while uploading: the bytes have nowhere to go
        if (fd !== undefined) {
          fs.writeSync(fd, chunk);
        } else if (!discard) {
          node.content = appendToBuffer(node, chunk, size);
        }
        node.size += chunk.length;
        this.used += chunk.length;
      },
      finish: (): void => {
        if (!open) return;
        close();
        if (node.content && node.content.length !== node.size) node.content = Buffer.from(node.content.subarray(0, node.size));
        node.partial = false;
        node.mtime = nowSeconds();
      },
      abort: (): void => {
        if (!open) return;
        close();
        if (node.removed) return;
        if (fd !== undefined) fs.rmSync(this.diskPath(node), { force: true });
        this.detach(node);
      },
    };
  }

  put(segments: string[], content: Buffer, opts: { overwrite?: boolean; mtime?: number } = {}): StoredEntry {
    const node = this.createFile(segments, opts.overwrite === true);
    if (this.options.dir) {
      const file = this.diskPath(node);
      fs.writeFileSync(file, content);
      if (opts.mtime !== undefined) fs.utimesSync(file, opts.mtime, opts.mtime);
    } else {
      node.content = Buffer.from(content);
    }
    node.size = content.length;
    if (opts.mtime !== undefined) node.mtime = opts.mtime;
    this.used += content.length;
    return this.tree.entryOf(node);
  }

  remove(segments: string[], opts: { recursive: boolean }): void {
    this.assertWritable();
    if (segments.length === 0) throw new StoreError('read-only', 'the storage root cannot be removed');
    const node = this.tree.find(segments);
    if (!node) throw new StoreError('not-found', 'no such file or folder');
    if (node.kind === 'folder' && node.children.size > 0 && !opts.recursive) {
      throw new StoreError('not-empty', `${node.name} is not empty`);
    }
    if (this.options.dir) fs.rmSync(this.diskPath(node), { recursive: true, force: true });
    this.detach(node);
  }

  read(segments: string[]): Buffer {
    const node = this.tree.fileAt(segments);
    if (this.options.dir && !node.discarded) return fs.readFileSync(this.diskPath(node));
    return node.content ? node.content.subarray(0, node.size) : Buffer.alloc(0);
  }

  readStream(segments: string[]): Readable {
    const node = this.tree.fileAt(segments);
    if (this.options.dir && !node.discarded) return fs.createReadStream(this.diskPath(node));
    return bufferStream(this.read(segments));
  }

  thumbnail(segments: string[], size: 'small' | 'large'): Buffer | undefined {
    const info = this.infoOf(segments);
    if (!info || info.thumbnails.length === 0) return undefined;
    const area = (t: { width: number; height: number }): number => t.width * t.height;
    const pick = info.thumbnails.reduce((best, t) =>
      (size === 'small' ? area(t) < area(best) : area(t) > area(best)) ? t : best,
    );
    return pick.png;
  }

  metadata(segments: string[]): Record<string, string | number> {
    return { ...this.infoOf(segments)?.metadata };
  }

  usedBytes(): number {
    return this.used;
  }

  // ----------------------------------------------------------------------------------------------------------

  private addFolder(parent: StoreNode, name: string): StoreNode {
    const node = this.tree.attach(parent, 'folder', name);
    if (this.options.dir) fs.mkdirSync(this.diskPath(node));
    return node;
  }

  private detach(node: StoreNode): void {
    this.used -= this.tree.detach(node);
  }

  /** The folder that will hold `segments`' last element; missing folders are created when `create`. */
  private parentFor(segments: string[], create: boolean): StoreNode {
    let node = this.tree.root;
    for (const segment of segments.slice(0, -1)) {
      const next = this.tree.child(node, segment);
      if (next && next.kind === 'file') throw new StoreError('parent-is-file', `${next.name} is a file`);
      if (next) node = next;
      else if (create) node = this.addFolder(node, segment);
      else throw new StoreError('not-found', `no folder ${segment}`);
    }
    return node;
  }

  private createFile(segments: string[], overwrite: boolean): StoreNode {
    this.assertWritable();
    if (segments.length === 0) throw new StoreError('is-folder', 'the storage root is a folder');
    const parent = this.parentFor(segments, true);
    const name = segments[segments.length - 1];
    const existing = this.tree.child(parent, name);
    if (existing) {
      if (existing.kind === 'folder') throw new StoreError('is-folder', `${existing.name} is a folder`);
      if (!overwrite || existing.partial) throw new StoreError('exists', `${existing.name} already exists`);
      // Like Buddy, an overwrite replaces the old file; the new one may get a different alias.
      if (this.options.dir) fs.rmSync(this.diskPath(existing), { force: true });
      this.detach(existing);
    }
    return this.tree.attach(parent, 'file', name);
  }

  private assertWritable(): void {
    if (this.options.readOnly) throw new StoreError('read-only', 'the storage is read-only');
  }

  private diskPath(node: StoreNode): string {
    return diskPath(this.options.dir as string, node);
  }

  private infoOf(segments: string[]): PrintFileInfo | undefined {
    const node = this.tree.find(segments);
    if (!node || node.kind !== 'file' || node.partial) return undefined;
    node.info ??= withSource(this.options.dir, node, (src) => (isBgcode(src) ? readBgcodeInfo(src) : readGcodeInfo(src)));
    return node.info;
  }
}
