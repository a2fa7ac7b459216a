/**
 * The folder tree behind the simulated storage: nodes by name (case-insensitive where FAT is simulated) and by
 * 8.3 alias, lookups by path segments, attaching and detaching, and the entry a node is shown as. It knows
 * nothing of bytes or of the disk: the store (store.ts) writes those.
 */
import { StoreError, type StoredEntry } from './types';
import { fatAlias } from './fat-alias';
import type { PrintFileInfo } from './gcode';

export interface StoreNode {
  kind: 'file' | 'folder';
  name: string;
  alias: string;
  mtime: number;
  /** Bytes written so far (the final size once complete). */
  size: number;
  partial: boolean;
  parent: StoreNode | undefined;
  /** Folders: children by name key (see nameKey). */
  children: Map<string, StoreNode>;
  /** Folders with aliases: children by upper-case alias. */
  byAlias: Map<string, StoreNode>;
  /** Memory mode: the bytes; may be longer than `size` while an upload is written. */
  content?: Buffer;
  /** Uploaded with discardUploads: only the size is known. */
  discarded: boolean;
  /** Parsed thumbnails and metadata, filled on first use. */
  info?: PrintFileInfo;
  removed: boolean;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Rejects names that would escape the storage folder or cannot exist on a file system (Buddy answers `..` with 404). */
export function isValidName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

function byKindThenName(a: StoreNode, b: StoreNode): number {
  if (a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function newNode(kind: StoreNode['kind'], name: string, alias: string, parent: StoreNode | undefined): StoreNode {
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

/** The names from the root down to `node` (the root itself has none). */
export function namesOf(node: StoreNode): string[] {
  const names: string[] = [];
  for (let n: StoreNode = node; n.parent; n = n.parent) names.unshift(n.name);
  return names;
}

export class StoreTree {
  readonly root: StoreNode = newNode('folder', '', '', undefined);

  constructor(private readonly options: { aliases?: boolean; readOnly?: boolean }) {}

  /** FAT compares long names case-insensitively; a Pi's ext4 does not. */
  private nameKey(name: string): string {
    return this.options.aliases ? name.toLowerCase() : name;
  }

  child(folder: StoreNode, segment: string): StoreNode | undefined {
    if (!isValidName(segment)) return undefined;
    return (
      folder.children.get(this.nameKey(segment)) ??
      (this.options.aliases ? folder.byAlias.get(segment.toUpperCase()) : undefined)
    );
  }

  find(segments: string[]): StoreNode | undefined {
    let node: StoreNode | undefined = this.root;
    for (const segment of segments) {
      if (node.kind !== 'folder') return undefined;
      node = this.child(node, segment);
      if (!node) return undefined;
    }
    return node;
  }

  attach(parent: StoreNode, kind: StoreNode['kind'], name: string): StoreNode {
    if (!isValidName(name)) throw new StoreError('not-found', 'invalid name');
    const alias = this.options.aliases ? fatAlias(name, (candidate) => parent.byAlias.has(candidate)) : name;
    const node = newNode(kind, name, alias, parent);
    parent.children.set(this.nameKey(name), node);
    if (this.options.aliases) parent.byAlias.set(alias, node);
    parent.mtime = node.mtime;
    return node;
  }

  /** Takes `node` and everything under it out of the tree; answers the bytes they held. */
  detach(node: StoreNode): number {
    const parent = node.parent as StoreNode;
    parent.children.delete(this.nameKey(node.name));
    parent.byAlias.delete(node.alias);
    parent.mtime = nowSeconds();
    let freed = 0;
    const forget = (n: StoreNode): void => {
      n.removed = true;
      freed += n.size;
      n.content = undefined;
      for (const c of n.children.values()) forget(c);
    };
    forget(node);
    return freed;
  }

  sortedChildren(folder: StoreNode): StoreNode[] {
    return [...folder.children.values()].sort(byKindThenName);
  }

  folderAt(segments: string[]): StoreNode {
    const node = this.find(segments);
    if (!node) throw new StoreError('not-found', 'no such folder');
    if (node.kind !== 'folder') throw new StoreError('not-folder', `${node.name} is a file`);
    return node;
  }

  fileAt(segments: string[]): StoreNode {
    const node = this.find(segments);
    if (!node) throw new StoreError('not-found', 'no such file');
    if (node.kind !== 'file') throw new StoreError('is-folder', `${node.name} is a folder`);
    return node;
  }

  entryOf(node: StoreNode): StoredEntry {
    const segments: string[] = [];
    const aliasSegments: string[] = [];
    for (let n: StoreNode = node; n.parent; n = n.parent) {
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
}
