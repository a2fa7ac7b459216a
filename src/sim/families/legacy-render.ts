/** OctoPrint-style legacy shapes (/api/printer, /api/job, /api/files) as Buddy, MINI 4.4.1 and Pi PrusaLink render them. */
import type { StoredEntry } from '../model/types';
import type { SimRuntime } from '../runtime';
import { round1 } from './buddy-render';
import { isPrintable } from './file-kinds';
import { transferFigures } from './transfer-figures';

type Flags = Record<string, boolean | string>;

const ALL_FALSE = {
  operational: false,
  paused: false,
  printing: false,
  cancelling: false,
  pausing: false,
  error: false,
  sdReady: false,
  ready: false,
  busy: false,
};

/** Buddy: text is "Printing" whenever the printing flag is set. */
function buddyState(rt: SimRuntime): { text: string; flags: Flags } {
  const s = rt.model.state;
  const f: Flags = { ...ALL_FALSE, closedOnError: false };
  switch (s) {
    case 'PRINTING':
      Object.assign(f, { link_state: 'PRINTING', printing: true });
      break;
    case 'PAUSED':
      Object.assign(f, { link_state: 'PAUSED', printing: true, paused: true });
      break;
    case 'BUSY':
      Object.assign(f, { link_state: 'BUSY', busy: true });
      break;
    case 'ATTENTION':
      Object.assign(f, { link_state: 'ATTENTION', printing: true, busy: true, error: true });
      break;
    case 'ERROR':
      Object.assign(f, { link_state: 'ERROR', error: true });
      break;
    default:
      Object.assign(f, { operational: true, ready: true });
      if (s === 'READY') f['link_state'] = 'READY';
  }
  return { text: f['printing'] ? 'Printing' : 'Operational', flags: f };
}

function piState(rt: SimRuntime): { text: string; flags: Flags } {
  const s = rt.model.state;
  const texts: Record<string, string> = {
    IDLE: 'Operational',
    READY: 'Operational',
    FINISHED: 'Operational',
    BUSY: 'Busy',
    PRINTING: 'Printing',
    PAUSED: 'Paused',
    STOPPED: 'Cancelling',
    ERROR: 'Error',
    ATTENTION: 'Error',
  };
  const flags: Flags = {
    operational: s === 'IDLE' || s === 'FINISHED' || s === 'STOPPED',
    paused: s === 'PAUSED',
    printing: s === 'PRINTING',
    cancelling: s === 'STOPPED',
    pausing: false,
    error: s === 'ERROR' || s === 'ATTENTION',
    sdReady: true,
    closedOrError: false,
    ready: s === 'IDLE',
    busy: s === 'BUSY',
    finished: s === 'FINISHED',
    prepared: s === 'READY',
    link_state: s,
  };
  return { text: texts[s] ?? 'Operational', flags };
}

/** MINI 4.4.1's filament-change bug: the dialog hides the print behind zeroed telemetry and an idle state. */
function miniRunoutLie(): Record<string, unknown> {
  return {
    telemetry: { 'temp-bed': 0.0, 'temp-nozzle': 0.0, 'print-speed': 100, 'z-height': 0.0, material: '---' },
    temperature: {
      tool0: { actual: 0.0, target: 0.0, display: 0.0, offset: 0 },
      bed: { actual: 0.0, target: 0.0, offset: 0 },
    },
    state: {
      text: 'Operational',
      flags: { ...ALL_FALSE, operational: true, ready: true, closedOnError: false },
    },
  };
}

export function legacyPrinter(rt: SimRuntime): Record<string, unknown> {
  if (rt.family === 'mini-legacy' && rt.model.filamentChange) return miniRunoutLie();
  const t = rt.model.telemetry();
  const telemetry: Record<string, unknown> = {
    'temp-bed': round1(t.temp_bed),
    'temp-nozzle': round1(t.temp_nozzle),
    'print-speed': t.speed,
    'z-height': round1(t.axis_z),
    material: rt.family === 'pi' ? ' - ' : t.material,
  };
  const temperature = {
    tool0: { actual: round1(t.temp_nozzle), target: round1(t.target_nozzle), display: round1(t.target_nozzle), offset: 0 },
    bed: { actual: round1(t.temp_bed), target: round1(t.target_bed), offset: 0 },
  };
  if (rt.family !== 'pi') return { telemetry, temperature, state: buddyState(rt) };
  Object.assign(telemetry, { 'axis-x': round1(t.axis_x), 'axis-y': round1(t.axis_y), 'axis-z': round1(t.axis_z) });
  return {
    telemetry,
    temperature,
    sd: { ready: true },
    storage: { local: { free_space: 1_000_000_000 }, sd_card: null },
    state: piState(rt),
  };
}

function legacyJobStateText(rt: SimRuntime): string {
  const s = rt.model.state;
  if (rt.family === 'mini-legacy' && rt.model.filamentChange) return 'Printing';
  if (rt.family === 'pi') return piState(rt).text;
  if (s === 'PRINTING') return 'Printing';
  if (s === 'PAUSED') return 'Paused';
  if (s === 'BUSY' && rt.model.job && !rt.model.jobEnded) return 'Cancelling';
  if (s === 'ATTENTION' || s === 'ERROR') return 'Error';
  return 'Operational';
}

export function legacyJob(rt: SimRuntime): Record<string, unknown> {
  const job = rt.model.job;
  const known = job && (rt.family === 'pi' || !rt.model.jobEnded);
  if (!job || !known) {
    return { state: legacyJobStateText(rt), job: null, progress: rt.family === 'pi' ? { completion: null } : null };
  }
  const f = job.file;
  const path = rt.family === 'pi' ? `/PrusaLink gcodes/${f.segments.join('/')}` : `/usb/${f.aliasSegments.join('/')}`;
  return {
    state: legacyJobStateText(rt),
    job: { estimatedPrintTime: Math.round(job.estimated), file: { name: f.name, path, display: f.name, size: f.size } },
    progress: {
      completion: Math.round(job.progress * 100) / 10000,
      printTime: Math.round(job.time_printing),
      printTimeLeft: Math.round(job.time_remaining),
    },
  };
}

/** One file of a Buddy/MINI legacy listing: 8.3 `name`, long name in `display`. */
export function legacyBuddyFile(entry: StoredEntry): Record<string, unknown> {
  const p = entry.aliasSegments.join('/');
  return {
    name: entry.alias,
    display: entry.name,
    path: `/usb/${p}`,
    origin: 'usb',
    size: entry.size,
    date: entry.mtime,
    refs: {
      resource: `/api/files/usb/${p}`,
      thumbnailSmall: `/thumb/s/usb/${p}`,
      thumbnailBig: `/thumb/l/usb/${p}`,
      download: `/usb/${p}`,
    },
  };
}

/** Buddy/MINI legacy listing of one folder: printable files only, folders are not listed. */
export function legacyBuddyListing(rt: SimRuntime, folder: string[]): Record<string, unknown> {
  const files = rt.primary
    .list(folder)
    .filter((e) => e.kind === 'file' && !e.name.startsWith('.') && isPrintable(e.name, rt.family));
  return { files: files.map(legacyBuddyFile) };
}

/**
 * MINI 4.4.1's root listing (`GET /api/files`; `/local`, `/sdcard` and `/usb` at the root are the same): the files are
 * the children of one folder entry for the USB stick, as PrusaLinkPy's README quotes the real printer:
 * `{"files":[{"name":"USB","path":"/usb","display":"USB","type":"folder","origin":"usb","children":[…]}]}`.
 */
export function miniRootListing(rt: SimRuntime): Record<string, unknown> {
  const { files } = legacyBuddyListing(rt, []);
  return { files: [{ name: 'USB', path: '/usb', display: 'USB', type: 'folder', origin: 'usb', children: files }] };
}

/**
 * GET /api/transfer (prusalink-api.md §6, Buddy and Pi PrusaLink; not MINI 4.4.1): undefined (answered 204) when
 * no upload runs, else the running upload with its figures as strings, as the legacy spec has them.
 */
export function legacyTransfer(rt: SimRuntime, target: string): Record<string, unknown> | undefined {
  const tr = rt.transfer;
  if (!tr) return undefined;
  const figures = transferFigures(tr);
  return {
    target,
    type: 'FROM_CLIENT',
    size: String(tr.size),
    start_time: String(Math.floor(tr.started / 1000)),
    to_print: tr.toPrint,
    destination: `${tr.dir}/${tr.displayName}`,
    progress: String(figures.progress / 100),
    remaining_time: String(figures.time_remaining),
  };
}
