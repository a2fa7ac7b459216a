/**
 * The bytes of the simulated storage's files: an upload's buffer in memory mode, streams and random-access
 * sources over a file held in memory or mirrored on disk, and the seeding of a tree from a real folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { ByteSource } from './gcode';
import { isValidName, namesOf, type StoreNode, type StoreTree } from './store-tree';

const STREAM_CHUNK = 64 * 1024;
/** An upload's declared size is trusted only this far for the first allocation; the buffer grows if needed. */
const MAX_PREALLOCATION = 256 * 1024 * 1024;

export function bufferStream(buffer: Buffer): Readable {
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

/** Copies an upload chunk into the node's buffer, allocated once from the declared size and grown if exceeded. */
export function appendToBuffer(node: StoreNode, chunk: Buffer, declaredSize: number): Buffer {
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

/** Where a node lives on disk when the store mirrors the folder `dir`. */
export function diskPath(dir: string, node: StoreNode): string {
  return path.join(dir, ...namesOf(node));
}

/** Runs `use` over the node's bytes: its buffer in memory mode (or when discarded), else the file under `dir`. */
export function withSource<T>(dir: string | undefined, node: StoreNode, use: (src: ByteSource) => T): T {
  if (!dir || node.discarded) {
    const bytes = node.content ? node.content.subarray(0, node.size) : Buffer.alloc(0);
    return use({ size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) });
  }
  const fd = fs.openSync(diskPath(dir, node), 'r');
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

/** Adds what the real folder `dir` holds under `folder`, with the disk's times; answers the bytes added. */
export function seedFromDisk(tree: StoreTree, folder: StoreNode, dir: string): number {
  let added = 0;
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const dirent of entries) {
    if (!isValidName(dirent.name) || tree.child(folder, dirent.name)) continue; // case clash on a FAT-like store
    const full = path.join(dir, dirent.name);
    if (dirent.isDirectory()) {
      const node = tree.attach(folder, 'folder', dirent.name);
      added += seedFromDisk(tree, node, full);
      node.mtime = Math.floor(fs.statSync(full).mtimeMs / 1000);
    } else if (dirent.isFile()) {
      const stat = fs.statSync(full);
      const node = tree.attach(folder, 'file', dirent.name);
      node.size = stat.size;
      node.mtime = Math.floor(stat.mtimeMs / 1000);
      added += stat.size;
    }
  }
  folder.mtime = Math.floor(fs.statSync(dir).mtimeMs / 1000);
  return added;
}
