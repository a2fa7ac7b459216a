/** Router of Pi PrusaLink 0.8.1 (Raspberry Pi with an MK3): full v1 + legacy, cameras, `local` and `sdcard`. */
import { authenticate } from '../auth/authenticate';
import { readCommand } from '../http/body';
import type { Exchange } from '../http/exchange';
import type { StoredEntry } from '../model/types';
import type { FamilyHandler } from './family';
import { jobById, legacyJobCommand } from './job-control';
import { legacyJob, legacyPrinter, legacyTransfer } from './legacy-render';
import { piDelete, piGetFile, piPut, piRaw, piStartPrint, piStore, piThumbnail } from './pi-files';
import { PI_STORAGE_NAMES, piCameras, piInfo, piJob, piRefs, piStatus, piStorage, piTransfer } from './pi-render';
import { piMultipartUpload } from './pi-multipart';
import { listedStore } from './pi-listing';
import { snapshotPng } from './snapshot-png';

export const piFamily: FamilyHandler = async (ex: Exchange) => {
  const [top, ...rest] = ex.segments;
  if (top !== 'api') return notFoundHtml(ex);
  // HEAD on v1 files is not authenticated on Pi PrusaLink.
  const openHead = ex.method === 'HEAD' && rest[0] === 'v1' && rest[1] === 'files';
  if (!openHead && !authenticate(ex)) return;
  if (ex.badPath) return ex.error(404, 'Not found');
  if (rest[0] === 'v1') return v1(ex, rest.slice(1));
  return legacy(ex, rest);
};

async function v1(ex: Exchange, api: string[]): Promise<void> {
  const rt = ex.rt;
  const m = ex.method;
  const [first, ...rest] = api;
  if (first === 'files') {
    const [storage, ...segs] = rest;
    if (m === 'GET' || m === 'HEAD') return piGetFile(ex, storage, segs);
    if (m === 'PUT') return piPut(ex, storage, segs);
    if (m === 'POST') return piStartPrint(ex, storage, segs);
    if (m === 'DELETE') return piDelete(ex, storage, segs);
    return ex.error(405, 'Method not allowed');
  }
  if (first === 'job' && rest.length > 0) return jobById(ex, rest);
  if (first === 'cameras') {
    if (rest.length === 0) return ex.json(200, piCameras(rt));
    if (rest[rest.length - 1] === 'snap' && rt.opts.camera && rest.length <= 2) {
      return ex.send(200, snapshotPng(), { 'Content-Type': 'image/png' });
    }
    return ex.error(404, 'Camera not found');
  }
  if (first === 'transfer' && rest.length === 0 && m === 'DELETE') {
    rt.transfer?.cancel?.();
    return ex.empty(204);
  }
  if (rest.length > 0) return ex.error(404, 'Not found');
  const render: Record<string, () => Record<string, unknown> | undefined> = {
    info: () => piInfo(rt),
    status: () => piStatus(rt),
    job: () => piJob(rt),
    storage: () => piStorage(rt),
    transfer: () => piTransfer(rt),
  };
  const fn = first !== undefined ? render[first] : undefined;
  if (!fn) return ex.error(404, 'Not found');
  if (m !== 'GET' && m !== 'HEAD') return ex.error(405, 'Method not allowed');
  rt.tick();
  const body = fn();
  if (body === undefined) return ex.empty(204);
  ex.json(200, body);
}

async function legacy(ex: Exchange, api: string[]): Promise<void> {
  const rt = ex.rt;
  const m = ex.method;
  const [first, ...rest] = api;
  if (first === 'version' && rest.length === 0) {
    const v: Record<string, unknown> = {
      api: '2.0.0',
      server: '0.8.1',
      original: 'PrusaLink I3MK3S',
      text: 'PrusaLink 0.8.1',
      firmware: '3.14.1-8237',
      sdk: '0.8.1',
      capabilities: { 'upload-by-put': true },
      hostname: rt.opts.hostname,
    };
    if (ex.query.get('system') === '1') Object.assign(v, { python: '3.11.2', system: 'Linux (simulated)' });
    return ex.json(200, v);
  }
  if (first === 'printer' && rest.length === 0) {
    rt.tick();
    return ex.json(200, legacyPrinter(rt));
  }
  if (first === 'job' && rest.length === 0) {
    if (m === 'POST') return legacyJobCommand(ex);
    rt.tick();
    return ex.json(200, legacyJob(rt));
  }
  if (first === 'transfer' && rest.length === 0 && (m === 'GET' || m === 'HEAD')) {
    const body = legacyTransfer(rt, 'local');
    return body === undefined ? ex.empty(204) : ex.json(200, body);
  }
  if (first === 'thumbnails') return piThumbnail(ex, rest);
  if (first === 'files') return legacyFiles(ex, rest);
  ex.error(404, 'Not found');
}

async function legacyFiles(ex: Exchange, rest: string[]): Promise<void> {
  const rt = ex.rt;
  const m = ex.method;
  if (rest.length === 0) {
    const files = Object.keys(PI_STORAGE_NAMES).map((storage) => legacyFolder(ex, storage, listedStore(rt, rt.stores[storage]).resolve([])!));
    return ex.json(200, { files, free: 16_000_000_000 - rt.primary.usedBytes(), total: 16_000_000_000 });
  }
  const [storage, ...segs] = rest;
  if (storage === 'local' && segs[segs.length - 1] === 'raw' && m === 'GET') return piRaw(ex, segs.slice(0, -1));
  if (storage === 'local' && segs.length === 0 && m === 'POST') return piMultipartUpload(ex);
  const store = piStore(ex, storage);
  if (!store) return;
  if (m === 'DELETE') return piDelete(ex, storage, segs);
  if (m === 'POST') {
    const cmd = await readCommand(ex, 10_000);
    if (!cmd) return;
    const print = cmd['command'] === 'print' || (cmd['command'] === 'select' && cmd['print'] === true);
    if (!print) return ex.error(400, 'Unsupported command');
    return piStartPrint(ex, storage, segs);
  }
  const entry = store.resolve(segs);
  if (!entry) return ex.error(404, 'File not found');
  ex.json(200, entry.kind === 'folder' ? legacyFolder(ex, storage, entry) : legacyFile(storage, entry));
}

function legacyFile(storage: string, entry: StoredEntry): Record<string, unknown> {
  const refs = piRefs(storage, entry);
  return {
    name: entry.name,
    display: entry.name,
    path: entry.segments.join('/'),
    origin: storage,
    size: entry.size,
    date: entry.mtime,
    type: 'machinecode',
    typePath: ['machinecode', 'gcode'],
    refs: { resource: `/api/files/${storage}/${entry.segments.join('/')}`, download: refs['download'], thumbnailBig: refs['thumbnail'] },
  };
}

function legacyFolder(ex: Exchange, storage: string, entry: StoredEntry): Record<string, unknown> {
  const store = listedStore(ex.rt, ex.rt.stores[storage]);
  const name = entry.segments.length === 0 ? PI_STORAGE_NAMES[storage] : entry.name;
  const children = store
    .list(entry.segments)
    .map((c) => (c.kind === 'folder' ? legacyFolder(ex, storage, c) : legacyFile(storage, c)));
  return {
    name,
    display: name,
    path: entry.segments.join('/'),
    origin: storage,
    type: 'folder',
    typePath: ['folder'],
    refs: { resource: `/api/files/${storage}/${entry.segments.join('/')}` },
    children,
  };
}

/** Unknown URLs get an HTML 404 page on Pi PrusaLink (observed). */
function notFoundHtml(ex: Exchange): void {
  const html = '<html><head><title>404 - Not Found</title></head><body><h1>404 - Not Found</h1></body></html>';
  ex.send(404, Buffer.from(html), { 'Content-Type': 'text/html; charset=utf-8' });
}
