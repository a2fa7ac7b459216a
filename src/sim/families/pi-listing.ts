/**
 * Pi PrusaLink lists a new upload only 114–225 ms after its 201 (observed on 0.8.1: its file tree follows the disk
 * through a watcher). Until then the API's reads do not know the file: GET and HEAD answer 404, folder listings leave
 * it out, a print start, a thumbnail or a download of it get 404. Uploads and deletes act on the disk at once.
 */
import type { FileStoreApi, StoredEntry } from '../model/types';
import type { SimRuntime } from '../runtime';

class ListingDelay {
  /** Per store: the new file's path (long names) → the real time it appears in the listing. */
  private readonly until = new Map<FileStoreApi, Map<string, number>>();
  private readonly views = new Map<FileStoreApi, FileStoreApi>();

  constructor(private readonly delayMs: number) {}

  hide(store: FileStoreApi, entry: StoredEntry): void {
    if (this.delayMs <= 0) return;
    let paths = this.until.get(store);
    if (!paths) this.until.set(store, (paths = new Map()));
    paths.set(entry.segments.join('/'), Date.now() + this.delayMs);
  }

  private hidden(store: FileStoreApi, entry: StoredEntry): boolean {
    const paths = this.until.get(store);
    const key = entry.segments.join('/');
    const at = paths?.get(key);
    if (at === undefined) return false;
    if (Date.now() < at) return true;
    paths?.delete(key);
    return false;
  }

  /** The store as the API's reads see it: files still waiting for the listing are absent. */
  view(store: FileStoreApi): FileStoreApi {
    let v = this.views.get(store);
    if (v) return v;
    const visible = (e: StoredEntry | undefined) => (e && !this.hidden(store, e) ? e : undefined);
    v = Object.create(store) as FileStoreApi;
    v.resolve = (segments) => visible(store.resolve(segments));
    v.list = (segments) => store.list(segments).filter((e) => !this.hidden(store, e));
    v.walk = (segments) => store.walk(segments).filter((e) => !this.hidden(store, e));
    this.views.set(store, v);
    return v;
  }
}

const delays = new WeakMap<SimRuntime, ListingDelay>();

function delayOf(rt: SimRuntime): ListingDelay {
  let d = delays.get(rt);
  if (!d) delays.set(rt, (d = new ListingDelay(rt.opts.piListingDelayMs)));
  return d;
}

/** A file just stored by an upload: out of the listing for the configured delay. */
export function hideNewUpload(rt: SimRuntime, store: FileStoreApi, entry: StoredEntry): void {
  delayOf(rt).hide(store, entry);
}

/** The store as the Pi's API reads see it. */
export function listedStore(rt: SimRuntime, store: FileStoreApi): FileStoreApi {
  return delayOf(rt).view(store);
}
