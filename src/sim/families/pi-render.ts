/** JSON shapes of Pi PrusaLink 0.8.1 (prusa/link/web/main.py, files.py): nulls stripped, `read_only`, full paths. */
import type { FileStoreApi, StoredEntry } from '../model/types';
import type { SimRuntime } from '../runtime';
import { statusTransfer, transferFigures } from './transfer-figures';
import { round1, round2 } from './buddy-render';
import { isPrintable } from './file-kinds';

export const PI_STORAGE_NAMES: Record<string, string> = { local: 'PrusaLink gcodes', sdcard: 'SD Card' };

/** `/PrusaLink gcodes/dir/x.gcode`: Pi paths start with the storage's display name. */
export function piFullPath(storage: string, entry: StoredEntry): string {
  return `/${PI_STORAGE_NAMES[storage]}${entry.segments.length ? '/' + entry.segments.join('/') : ''}`;
}

/** Refs hold unencoded spaces, as the real ones do; `sdcard` files have every ref null. */
export function piRefs(storage: string, entry: StoredEntry): Record<string, string | null> {
  if (storage !== 'local') return { download: null, icon: null, thumbnail: null };
  const full = piFullPath(storage, entry);
  return { download: `/api/files/local${full}/raw`, icon: null, thumbnail: `/api/thumbnails${full}.orig.png` };
}

export function piChild(storage: string, entry: StoredEntry): Record<string, unknown> {
  const base = { name: entry.name, display_name: entry.name, read_only: entry.readOnly, m_timestamp: entry.mtime };
  if (entry.kind === 'folder') return { ...base, type: 'FOLDER' };
  return { ...base, type: isPrintable(entry.name, 'pi') ? 'PRINT_FILE' : 'FILE', size: entry.size, refs: piRefs(storage, entry) };
}

export function piFileInfo(store: FileStoreApi, storage: string, entry: StoredEntry): Record<string, unknown> {
  if (entry.kind === 'file') {
    return { ...piChild(storage, entry), meta: entry.partial ? {} : store.metadata(entry.segments) };
  }
  const children = store.list(entry.segments).filter((c) => !c.name.startsWith('.')).map((c) => piChild(storage, c));
  const name = entry.segments.length === 0 ? PI_STORAGE_NAMES[storage] : entry.name;
  return {
    name,
    display_name: name,
    type: 'FOLDER',
    read_only: storage !== 'local',
    // The spec's GenericFileInfo requires m_timestamp; prusalink-api.md (§4.6) names its absence on Buddy's /usb root only.
    m_timestamp: entry.mtime,
    children,
  };
}

function storageList(rt: SimRuntime): Record<string, unknown>[] {
  const local = rt.stores['local'];
  const files = local.walk().filter((e) => e.kind === 'file');
  const total = 16_000_000_000;
  return [
    {
      type: 'LOCAL',
      path: '/local',
      name: PI_STORAGE_NAMES['local'],
      available: true,
      read_only: false,
      free_space: total - local.usedBytes(),
      total_space: total,
      print_files: files.filter((e) => isPrintable(e.name, 'pi')).length,
      system_files: 0,
    },
    { type: 'SDCARD', path: '/sdcard', name: PI_STORAGE_NAMES['sdcard'], available: true, read_only: true },
  ];
}

export function piStorage(rt: SimRuntime): Record<string, unknown> {
  return { storage_list: storageList(rt) };
}

export function piStatus(rt: SimRuntime): Record<string, unknown> {
  const t = rt.model.telemetry();
  const out: Record<string, unknown> = {
    storage: storageList(rt).map(({ path, name, read_only, free_space }) => strip({ path, name, read_only, free_space })),
    printer: {
      state: rt.model.state,
      temp_bed: round1(t.temp_bed),
      target_bed: round1(t.target_bed),
      temp_nozzle: round1(t.temp_nozzle),
      target_nozzle: round1(t.target_nozzle),
      axis_z: round1(t.axis_z),
      axis_x: round1(t.axis_x),
      axis_y: round1(t.axis_y),
      flow: t.flow,
      speed: t.speed,
      fan_hotend: t.fan_hotend,
      fan_print: t.fan_print,
      status_connect: { ok: true, message: 'OK' },
      status_printer: { ok: true, message: 'OK' },
    },
  };
  const job = rt.model.job;
  if (job) {
    out['job'] = strip({
      id: job.id,
      progress: round2(job.progress),
      time_remaining: job.time_remaining >= 0 ? Math.round(job.time_remaining) : undefined,
      time_printing: Math.round(job.time_printing),
    });
  }
  if (rt.transfer) out['transfer'] = statusTransfer(rt.transfer, 'data_transferred');
  if (rt.opts.camera) out['camera'] = { id: CAMERA_ID };
  return out;
}

export function piJob(rt: SimRuntime): Record<string, unknown> | undefined {
  const job = rt.model.job;
  if (!job) return undefined;
  const f = job.file;
  const full = piFullPath('local', f);
  return strip({
    id: job.id,
    state: rt.model.state,
    progress: round2(job.progress),
    time_remaining: job.time_remaining >= 0 ? Math.round(job.time_remaining) : undefined,
    time_printing: Math.round(job.time_printing),
    inaccurate_estimates: false,
    file: {
      name: f.name,
      display_name: f.name,
      path: full,
      display_path: full,
      size: f.size,
      m_timestamp: f.mtime,
      refs: piRefs('local', f),
      meta: rt.primary.resolve(f.segments) ? rt.primary.metadata(f.segments) : {},
    },
  });
}

export function piTransfer(rt: SimRuntime): Record<string, unknown> | undefined {
  const tr = rt.transfer;
  if (!tr) return undefined;
  const figures = transferFigures(tr);
  return {
    type: 'FROM_CLIENT',
    url: tr.url,
    display_name: tr.displayName,
    path: tr.dir,
    size: tr.size,
    progress: figures.progress,
    // prusalink-api.md §4.5: Buddy's keys ("transferred", as the spec) plus url; only status.transfer says data_transferred.
    transferred: tr.transferred,
    time_remaining: figures.time_remaining,
    time_transferring: figures.time_transferring,
    to_print: tr.toPrint,
  };
}

export function piInfo(rt: SimRuntime): Record<string, unknown> {
  return {
    name: 'Prusa MK3S',
    location: '',
    farm_mode: false,
    network_error_chime: false,
    nozzle_diameter: 0.4,
    min_extrusion_temp: 170,
    serial: 'CZPX2719X004XC12345',
    hostname: rt.opts.hostname,
    port: rt.port,
  };
}

export const CAMERA_ID = 'sim-camera-1';

export function piCameras(rt: SimRuntime): Record<string, unknown> {
  if (!rt.opts.camera) return { camera_list: [] };
  return {
    camera_list: [
      {
        camera_id: CAMERA_ID,
        config: { name: 'Simulated camera', driver: 'V4L2', resolution: { width: 64, height: 48 } },
        connected: true,
        detected: true,
        stored: true,
        linked: false,
      },
    ],
  };
}

/** Pi PrusaLink strips nulls and unknown values from its answers. */
function strip<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === null) delete o[k];
  return o;
}
