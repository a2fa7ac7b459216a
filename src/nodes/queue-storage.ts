/**
 * Where a queue node keeps its queue. Node-RED's context store when a persistent one is configured (the user chose
 * where state lives), else a JSON file of its own under the user directory. Either way the bytes of Buffer jobs go
 * to files beside it: a context store is made for small values, not for megabytes of G-code.
 */
import * as os from 'node:os';
import * as nodePath from 'node:path';
import type { Node, NodeAPI } from 'node-red';
import { fileQueueStorage, type PersistedQueue, type QueueStorage } from '../queue';

/** The context key the queue is stored under (one node context per queue node). */
export const CONTEXT_KEY = 'prusalink-queue';

interface ContextStoreSetting {
  module?: unknown;
}

/**
 * The name of a persistent context store, or undefined when every store is `memory` (Node-RED's default, lost on
 * restart). The `default` store wins when it persists; otherwise the first store that does.
 */
export function persistentStoreOf(contextStorage: unknown): string | undefined {
  if (!contextStorage || typeof contextStorage !== 'object') return undefined;
  const stores = contextStorage as Record<string, unknown>;
  const persists = (name: string): boolean => {
    let entry = stores[name];
    if (typeof entry === 'string') entry = stores[entry]; // `default: 'file'` names another store
    const module = (entry as ContextStoreSetting | undefined)?.module;
    return module !== undefined && module !== 'memory';
  };
  if ('default' in stores && persists('default')) return typeof stores.default === 'string' ? stores.default : 'default';
  return Object.keys(stores).find((name) => name !== 'default' && persists(name));
}

/** The folder of one queue node's own files (queue file, spool), stable across restarts and redeploys. */
export function queueFolder(RED: NodeAPI, nodeId: string): string {
  // Node-RED always sets userDir; an embedding that does not gets Node-RED's own default folder.
  const userDir = (RED.settings as { userDir?: string }).userDir ?? nodePath.join(os.homedir(), '.node-red');
  return nodePath.join(userDir, 'prusalink-queue', nodeId.replace(/[^\w.-]/g, '_'));
}

/** A QueueStorage on the node's context in `store`; bytes in the file spool. */
export function contextQueueStorage(node: Node, store: string, spool: QueueStorage): QueueStorage {
  const context = node.context();
  return {
    load: () =>
      new Promise<PersistedQueue | undefined>((resolve, reject) => {
        context.get(CONTEXT_KEY, store, (err: Error | undefined, value: unknown) => (err ? reject(err) : resolve((value as PersistedQueue | undefined) ?? undefined)));
      }),
    save: (state) =>
      new Promise<void>((resolve, reject) => {
        // A deep copy: the store may keep the object and serialise it later, after the engine changed it again.
        context.set(CONTEXT_KEY, JSON.parse(JSON.stringify(state)), store, (err: Error | undefined) => (err ? reject(err) : resolve()));
      }),
    saveBytes: (jobId, data) => spool.saveBytes(jobId, data),
    loadBytes: (jobId) => spool.loadBytes(jobId),
    deleteBytes: (jobId) => spool.deleteBytes(jobId),
  };
}

export type StorageSetting = 'auto' | 'file';

/** The storage a node's setting asks for, and where it is, for the log. */
export function queueStorageFor(RED: NodeAPI, node: Node, setting: StorageSetting | undefined): { storage: QueueStorage; where: string } {
  const folder = queueFolder(RED, node.id);
  const files = fileQueueStorage(folder);
  const store = setting === 'file' ? undefined : persistentStoreOf((RED.settings as { contextStorage?: unknown }).contextStorage);
  if (store === undefined) return { storage: files, where: folder };
  return { storage: contextQueueStorage(node, store, files), where: `context store "${store}"` };
}
