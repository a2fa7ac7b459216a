/**
 * A print job of the simulated printer: what the sliced file asks for (time, temperatures, height, material,
 * read from its metadata with defaults where it says nothing) and the job as the API shows it.
 */
import type { SimJob, StoredEntry } from './types';

const DEFAULT_NOZZLE = 215;
const DEFAULT_BED = 60;
const DEFAULT_MAX_Z = 20;

export interface ActiveJob {
  id: number;
  file: StoredEntry;
  /** Simulated seconds the print takes. */
  estimated: number;
  /** Simulated seconds printed so far. */
  printed: number;
  nozzle: number;
  bed: number;
  maxZ: number;
  material: string;
}

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function positiveNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** A new job for `file`; `defaultSeconds` and `material` stand in where the metadata has no value. */
export function newJob(
  id: number,
  file: StoredEntry,
  meta: Record<string, string | number>,
  defaults: { seconds: number; material: string },
): ActiveJob {
  return {
    id,
    file,
    estimated: positiveNumber(meta.estimated_print_time) ?? defaults.seconds,
    printed: 0,
    nozzle: positiveNumber(meta.temperature) ?? DEFAULT_NOZZLE,
    bed: positiveNumber(meta.bed_temperature) ?? DEFAULT_BED,
    maxZ: positiveNumber(meta.max_layer_z) ?? DEFAULT_MAX_Z,
    material: typeof meta.filament_type === 'string' && meta.filament_type ? meta.filament_type : defaults.material,
  };
}

/** The job as the printer reports it: progress in percent, whole seconds printed and remaining. */
export function jobView(job: ActiveJob): SimJob {
  return {
    id: job.id,
    file: job.file,
    progress: round(Math.min(100, (job.printed / job.estimated) * 100), 2),
    time_printing: Math.floor(job.printed),
    time_remaining: Math.max(0, Math.ceil(job.estimated - job.printed)),
    estimated: job.estimated,
  };
}
