/**
 * The simulated printer's file storage: a tree of folders and files, in memory or mirrored in a real folder,
 * with optional FAT 8.3 aliases (Buddy and MINI 4.4.1).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { StoreError, type FileStoreApi, type StoredEntry, type StoreOptions, type UploadWriter } from './types';
import { fatAlias } from './fat-alias';
import { readGcodeInfo, type ByteSource, type PrintFileInfo } from './gcode';
import { isBgcode, readBgcodeInfo } from './bgcode';

interface Node {
  kind: 'file' | 'folder';
  name: string;
  alias: string;
  mtime: number;
  /** Bytes written so far (the final size once complete). */
  size: number;
  partial: boolean;
  parent: Node | undefined;
  /** Folders: children by name key (see nameKey). */
  children: Map<string, Node>;
  /** Folders with aliases: children by upper-case alias. */
  byAlias: Map<string, Node>;
  /** Memory mode: the bytes; may be longer than `size` while an upload is written. */
  content?: Buffer;
  /** Uploaded with discardUploads: only the size is known. */
  discarded: boolean;
  /** Parsed thumbnails and metadata, filled on first use. */
  info?: PrintFileInfo;
  removed: boolean;
}

const STREAM_CHUNK = 64 * 1024;
/** An upload's declared size is trusted only this far for the first allocation; the buffer grows if needed. */
const MAX_PREALLOCATION = 256 * 1024 * 1024;

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Rejects names that would escape the storage folder or cannot exist on a file system (Buddy answers `..` with 404). */
function isValidName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

function byKindThenName(a: Node, b: Node): number {
  if (a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function bufferStream(buffer: Buffer): Readable {
  let position = 0;
  return new Readable({
    read() {
      if (position >= buffer.length) {
        this.push(null);
        return;
      }
      const end = Math.min(buffer.length, position + STREAM_CHUNK);
      this.push(buffer.subarray(position, end));
      position = end;
    },
  });
}

export class FileStore implements FileStoreApi {
  private readonly root: Node;
  private used = 0;

  constructor(private readonly options: StoreOptions) {
    this.root = this.newNode('folder', '', '', undefined);
    if (options.dir) {
      fs.mkdirSync(options.dir, { recursive: true });
      this.seedFromDisk(this.root, options.dir);
    }
  }

  resolve(segments: string[]): StoredEntry | undefined {
    const node = this.find(segments);
    return node && this.entryOf(node);
  }

  list(segments: string[]): StoredEntry[] {
    return this.sortedChildren(this.folderAt(segments)).map((child) => this.entryOf(child));
  }

  walk(segments: string[] = []): StoredEntry[] {
    const out: StoredEntry[] = [];
    const visit = (folder: Node): void => {
      for (const child of this.sortedChildren(folder)) {
        out.push(this.entryOf(child));
        if (child.kind === 'folder') visit(child);
      }
    };
    visit(this.folderAt(segments));
    return out;
  }

  mkdir(segments: string[], opts: { recursive: boolean }): StoredEntry {
    this.assertWritable();
    if (segments.length === 0) {
      if (opts.recursive) return this.entryOf(this.root);
      throw new StoreError('exists', 'the storage root exists');
    }
    const parent = this.parentFor(segments, opts.recursive);
    const name = segments[segments.length - 1];
    const existing = this.child(parent, name);
    if (existing) {
      if (existing.kind === 'folder' && opts.recursive) return this.entryOf(existing);
      throw new StoreError('exists', `${name} already exists`);
    }
    return this.entryOf(this.addFolder(parent, name));
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
      entry: this.entryOf(node),
      write: (chunk: Buffer): void => {
        if (!open) throw new Error('upload already finished or aborted');
        if (node.removed) return; // deleted while uploading: the bytes have nowhere to go
        if (fd !== undefined) {
          fs.writeSync(fd, chunk);
        } else if (!discard) {
          node.content = this.appendToBuffer(node, chunk, size);
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
    return this.entryOf(node);
  }

  remove(segments: string[], opts: { recursive: boolean }): void {
    this.assertWritable();
    if (segments.length === 0) throw new StoreError('read-only', 'the storage root cannot be removed');
    const node = this.find(segments);
    if (!node) throw new StoreError('not-found', 'no such file or folder');
    if (node.kind === 'folder' && node.children.size > 0 && !opts.recursive) {
      throw new StoreError('not-empty', `${node.name} is not empty`);
    }
    if (this.options.dir) fs.rmSync(this.diskPath(node), { recursive: true, force: true });
    this.detach(node);
  }

  read(segments: string[]): Buffer {
    const node = this.fileAt(segments);
    if (this.options.dir && !node.discarded) return fs.readFileSync(this.diskPath(node));
    return node.content ? node.content.subarray(0, node.size) : Buffer.alloc(0);
  }

  readStream(segments: string[]): Readable {
    const node = this.fileAt(segments);
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

  // --- tree -------------------------------------------------------------------------------------------------

  private newNode(kind: Node['kind'], name: string, alias: string, parent: Node | undefined): Node {
    return {
      kind,
      name,
      alias,
      mtime: nowSeconds(),
      size: 0,
      partial: false,
      parent,
      children: new Map(),
      byAlias: new Map(),
      discarded: false,
      removed: false,
    };
  }

  /** FAT compares long names case-insensitively; a Pi's ext4 does not. */
  private nameKey(name: string): string {
    return this.options.aliases ? name.toLowerCase() : name;
  }

  private child(folder: Node, segment: string): Node | undefined {
    if (!isValidName(segment)) return undefined;
    return (
      folder.children.get(this.nameKey(segment)) ??
      (this.options.aliases ? folder.byAlias.get(segment.toUpperCase()) : undefined)
    );
  }

  private find(segments: string[]): Node | undefined {
    let node: Node | undefined = this.root;
    for (const segment of segments) {
      if (node.kind !== 'folder') return undefined;
      node = this.child(node, segment);
      if (!node) return undefined;
    }
    return node;
  }

  private attach(parent: Node, kind: Node['kind'], name: string): Node {
    if (!isValidName(name)) throw new StoreError('not-found', 'invalid name');
    const alias = this.options.aliases ? fatAlias(name, (candidate) => parent.byAlias.has(candidate)) : name;
    const node = this.newNode(kind, name, alias, parent);
    parent.children.set(this.nameKey(name), node);
    if (this.options.aliases) parent.byAlias.set(alias, node);
    parent.mtime = node.mtime;
    return node;
  }

  private addFolder(parent: Node, name: string): Node {
    const node = this.attach(parent, 'folder', name);
    if (this.options.dir) fs.mkdirSync(this.diskPath(node));
    return node;
  }

  private detach(node: Node): void {
    const parent = node.parent as Node;
    parent.children.delete(this.nameKey(node.name));
    parent.byAlias.delete(node.alias);
    parent.mtime = nowSeconds();
    const forget = (n: Node): void => {
      n.removed = true;
      this.used -= n.size;
      n.content = undefined;
      for (const c of n.children.values()) forget(c);
    };
    forget(node);
  }

  private sortedChildren(folder: Node): Node[] {
    return [...folder.children.values()].sort(byKindThenName);
  }

  private folderAt(segments: string[]): Node {
    const node = this.find(segments);
    if (!node) throw new StoreError('not-found', 'no such folder');
    if (node.kind !== 'folder') throw new StoreError('not-folder', `${node.name} is a file`);
    return node;
  }

  private fileAt(segments: string[]): Node {
    const node = this.find(segments);
    if (!node) throw new StoreError('not-found', 'no such file');
    if (node.kind !== 'file') throw new StoreError('is-folder', `${node.name} is a folder`);
    return node;
  }

  /** The folder that will hold `segments`' last element; missing folders are created when `create`. */
  private parentFor(segments: string[], create: boolean): Node {
    let node = this.root;
    for (const segment of segments.slice(0, -1)) {
      const next = this.child(node, segment);
      if (next && next.kind === 'file') throw new StoreError('parent-is-file', `${next.name} is a file`);
      if (next) node = next;
      else if (create) node = this.addFolder(node, segment);
      else throw new StoreError('not-found', `no folder ${segment}`);
    }
    return node;
  }

  private createFile(segments: string[], overwrite: boolean): Node {
    this.assertWritable();
    if (segments.length === 0) throw new StoreError('is-folder', 'the storage root is a folder');
    const parent = this.parentFor(segments, true);
    const name = segments[segments.length - 1];
    const existing = this.child(parent, name);
    if (existing) {
      if (existing.kind === 'folder') throw new StoreError('is-folder', `${existing.name} is a folder`);
      if (!overwrite || existing.partial) throw new StoreError('exists', `${existing.name} already exists`);
      // Like Buddy, an overwrite replaces the old file; the new one may get a different alias.
      if (this.options.dir) fs.rmSync(this.diskPath(existing), { force: true });
      this.detach(existing);
    }
    return this.attach(parent, 'file', name);
  }

  private assertWritable(): void {
    if (this.options.readOnly) throw new StoreError('read-only', 'the storage is read-only');
  }

  private entryOf(node: Node): StoredEntry {
    const segments: string[] = [];
    const aliasSegments: string[] = [];
    for (let n: Node = node; n.parent; n = n.parent) {
      segments.unshift(n.name);
      aliasSegments.unshift(n.alias);
    }
    return {
      kind: node.kind,
      name: node.name,
      alias: node.alias,
      segments,
      aliasSegments,
      size: node.kind === 'file' ? node.size : 0,
      mtime: node.mtime,
      readOnly: this.options.readOnly === true,
      partial: node.partial,
    };
  }

  // --- content ----------------------------------------------------------------------------------------------

  /** Copies an upload chunk into the node's buffer, allocated once from the declared size and grown if exceeded. */
  private appendToBuffer(node: Node, chunk: Buffer, declaredSize: number): Buffer {
    let buffer = node.content;
    const needed = node.size + chunk.length;
    if (!buffer || buffer.length < needed) {
      const capacity = buffer ? Math.max(needed, buffer.length * 2) : Math.max(needed, Math.min(declaredSize, MAX_PREALLOCATION));
      const grown = Buffer.allocUnsafe(capacity);
      if (buffer) buffer.copy(grown, 0, 0, node.size);
      buffer = grown;
    }
    chunk.copy(buffer, node.size);
    return buffer;
  }

  private diskPath(node: Node): string {
    const names: string[] = [];
    for (let n: Node = node; n.parent; n = n.parent) names.unshift(n.name);
    return path.join(this.options.dir as string, ...names);
  }

  private infoOf(segments: string[]): PrintFileInfo | undefined {
    const node = this.find(segments);
    if (!node || node.kind !== 'file' || node.partial) return undefined;
    node.info ??= this.withSource(node, (src) => (isBgcode(src) ? readBgcodeInfo(src) : readGcodeInfo(src)));
    return node.info;
  }

  private withSource<T>(node: Node, use: (src: ByteSource) => T): T {
    if (!this.options.dir || node.discarded) {
      const bytes = node.content ? node.content.subarray(0, node.size) : Buffer.alloc(0);
      return use({ size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) });
    }
    const fd = fs.openSync(this.diskPath(node), 'r');
    try {
      const size = fs.fstatSync(fd).size;
      return use({
        size,
        read: (offset, length) => {
          const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
          const got = fs.readSync(fd, buffer, 0, buffer.length, offset);
          return buffer.subarray(0, got);
        },
      });
    } finally {
      fs.closeSync(fd);
    }
  }

  private seedFromDisk(folder: Node, dir: string): void {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const dirent of entries) {
      if (!isValidName(dirent.name) || this.child(folder, dirent.name)) continue; // case clash on a FAT-like store
      const full = path.join(dir, dirent.name);
      if (dirent.isDirectory()) {
        const node = this.attach(folder, 'folder', dirent.name);
        this.seedFromDisk(node, full);
        node.mtime = Math.floor(fs.statSync(full).mtimeMs / 1000);
      } else if (dirent.isFile()) {
        const stat = fs.statSync(full);
        const node = this.attach(folder, 'file', dirent.name);
        node.size = stat.size;
        node.mtime = Math.floor(stat.mtimeMs / 1000);
        this.used += stat.size;
      }
    }
    folder.mtime = Math.floor(fs.statSync(dir).mtimeMs / 1000);
  }
}
