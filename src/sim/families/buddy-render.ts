/** JSON shapes of Buddy's v1 API (status_renderer.cpp, file_info.cpp, basic_gets.cpp, transfer_renderer.cpp). */
import type { FileStoreApi, StoredEntry } from '../model/types';
import type { SimRuntime } from '../runtime';
import { statusTransfer, transferFigures } from './transfer-figures';
import { buddyFileType, isPrintable } from './file-kinds';
import { reportedFlow, reportedState } from './buddy-situations';

export function aliasPath(entry: StoredEntry): string {
  return entry.aliasSegments.join('/');
}

/** The folder part of an entry's alias path, as `/usb/DIR` (or `/usb` at the root). */
export function aliasDir(entry: StoredEntry): string {
  const dir = entry.aliasSegments.slice(0, -1).join('/');
  return dir ? `/usb/${dir}` : '/usb';
}

export function buddyRefs(entry: StoredEntry): Record<string, string> {
  const p = aliasPath(entry);
  const refs: Record<string, string> = { icon: `/thumb/s/usb/${p}`, thumbnail: `/thumb/l/usb/${p}` };
  if (!entry.partial) refs['download'] = `/usb/${p}`;
  return refs;
}

/** A child in a folder listing: no `size`. */
export function buddyChild(entry: StoredEntry): Record<string, unknown> {
  if (entry.kind === 'folder') {
    return { name: entry.alias, display_name: entry.name, ro: entry.readOnly, type: 'FOLDER', m_timestamp: entry.mtime };
  }
  const out: Record<string, unknown> = {
    name: entry.alias,
    display_name: entry.name,
    ro: entry.readOnly || entry.partial,
    type: buddyFileType(entry.name),
    m_timestamp: entry.mtime,
  };
  if (buddyFileType(entry.name) === 'PRINT_FILE') out['refs'] = buddyRefs(entry);
  return out;
}

export function buddyFileInfo(store: FileStoreApi, entry: StoredEntry): Record<string, unknown> {
  if (entry.kind === 'file') {
    return { ...buddyChild(entry), size: entry.size, refs: buddyRefs(entry) };
  }
  const children = store
    .list(entry.segments)
    .filter((c) => !c.name.startsWith('.') && (c.kind === 'folder' || isPrintable(c.name, 'buddy')))
    .map(buddyChild);
  if (entry.segments.length === 0) return { type: 'FOLDER', ro: false, name: 'usb', children };
  return { type: 'FOLDER', ro: entry.readOnly, name: entry.alias, display_name: entry.name, m_timestamp: entry.mtime, children };
}

/** Buddy reports ATTENTION as PAUSED in job objects. */
function buddyJobState(rt: SimRuntime): string {
  const s = reportedState(rt);
  if (s === 'ATTENTION') return 'PAUSED';
  if (s === 'PAUSED' || s === 'ERROR' || s === 'FINISHED' || s === 'STOPPED') return s;
  return 'PRINTING';
}

/** Buddy knows a job only until the print ends; the end screen (FINISHED/STOPPED) has none. */
export function buddyActiveJob(rt: SimRuntime) {
  const job = rt.model.job;
  return job && !rt.model.jobEnded ? job : undefined;
}

export function buddyStatus(rt: SimRuntime): Record<string, unknown> {
  const t = rt.model.telemetry();
  const state = reportedState(rt);
  const printer: Record<string, unknown> = {
    state,
    temp_bed: round1(t.temp_bed),
    target_bed: round1(t.target_bed),
    temp_nozzle: round1(t.temp_nozzle),
    target_nozzle: round1(t.target_nozzle),
    axis_z: round1(t.axis_z),
  };
  if (state !== 'PRINTING') {
    printer['axis_x'] = round1(t.axis_x);
    printer['axis_y'] = round1(t.axis_y);
  }
  Object.assign(printer, { flow: reportedFlow(rt, t.flow), speed: t.speed, fan_hotend: t.fan_hotend, fan_print: t.fan_print });
  const out: Record<string, unknown> = {};
  const job = buddyActiveJob(rt);
  if (job) {
    const j: Record<string, unknown> = { id: job.id, progress: round2(job.progress) };
    if (job.time_remaining >= 0) j['time_remaining'] = Math.round(job.time_remaining);
    j['time_printing'] = Math.round(job.time_printing);
    out['job'] = j;
  }
  out['storage'] = { path: '/usb/', name: 'usb', read_only: false };
  if (rt.transfer) out['transfer'] = statusTransfer(rt.transfer, 'transferred');
  out['printer'] = printer;
  return out;
}

export function buddyJob(rt: SimRuntime): Record<string, unknown> | undefined {
  const job = buddyActiveJob(rt);
  if (!job) return undefined;
  const f = job.file;
  const out: Record<string, unknown> = { id: job.id, state: buddyJobState(rt), progress: round2(job.progress) };
  if (job.time_remaining >= 0) out['time_remaining'] = Math.round(job.time_remaining);
  out['time_printing'] = Math.round(job.time_printing);
  out['file'] = {
    name: f.alias,
    display_name: f.name,
    path: aliasDir(f),
    size: f.size,
    m_timestamp: f.mtime,
    refs: buddyRefs(f),
  };
  return out;
}

export function buddyTransfer(rt: SimRuntime): Record<string, unknown> | undefined {
  const tr = rt.transfer;
  if (!tr) return undefined;
  const figures = transferFigures(tr);
  return {
    type: 'FROM_CLIENT',
    display_name: tr.displayName,
    path: tr.dir,
    size: String(tr.size),
    progress: figures.progress,
    transferred: tr.transferred,
    time_remaining: figures.time_remaining,
    time_transferring: figures.time_transferring,
    to_print: tr.toPrint,
  };
}

export function buddyInfo(rt: SimRuntime): Record<string, unknown> {
  return { nozzle_diameter: 0.4, mmu: false, serial: 'CZPX4720X004XK12345', hostname: rt.opts.hostname, min_extrusion_temp: 170 };
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
