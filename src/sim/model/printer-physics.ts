/**
 * The simulated printer's body: heaters approaching their targets, the head circling while it prints and parking
 * at the end, the layer height, the fans, and the telemetry snapshot made of them. Pure functions of the model's
 * state and of simulated time.
 */
import type { SimState, TelemetrySnapshot } from './types';
import { round, type ActiveJob } from './printer-job';

export const AMBIENT = 23;
/** Time constants (simulated seconds) of the exponential approach to the target temperature. */
const NOZZLE_TAU = 20;
const BED_TAU = 60;
const LAYER_HEIGHT = 0.2;
/** Where an MK4 parks its head at the end of a print. */
const PARK = { x: 241, y: 170 };
const HOTEND_FAN_RPM = 6900;
const PRINT_FAN_RPM = 5100;

export interface Position {
  x: number;
  y: number;
  z: number;
}

/** Nozzle and bed temperatures after `seconds` of heating or cooling towards the targets (never below ambient). */
export function heatedFor(
  seconds: number,
  temps: { nozzle: number; bed: number },
  [targetNozzle, targetBed]: [number, number],
): { nozzle: number; bed: number } {
  const approach = (temp: number, target: number, tau: number): number => {
    const goal = Math.max(target, AMBIENT);
    return goal + (temp - goal) * Math.exp(-seconds / tau);
  };
  return { nozzle: approach(temps.nozzle, targetNozzle, NOZZLE_TAU), bed: approach(temps.bed, targetBed, BED_TAU) };
}

/** Heaters stay on while a job is running (printing, paused, waiting for the user); off otherwise. */
export function heaterTargets(running: ActiveJob | undefined, state: SimState): [number, number] {
  const heating = running !== undefined && (state === 'PRINTING' || state === 'PAUSED' || state === 'ATTENTION');
  return heating ? [running.nozzle, running.bed] : [0, 0];
}

/** The height of the layer being printed. */
export function jobZ(job: ActiveJob): number {
  const layers = Math.max(1, Math.round(job.maxZ / LAYER_HEIGHT));
  const layer = Math.max(1, Math.ceil((job.printed / job.estimated) * layers));
  return Math.min(layer, layers) * LAYER_HEIGHT;
}

/** The nozzle circling a perimeter while printing. */
export function headPosition(simTime: number): { x: number; y: number } {
  return { x: 125 + 20 * Math.cos(simTime), y: 105 + 20 * Math.sin(simTime) };
}

/** Where the head rests after a job ended: parked, lifted above the print. */
export function parkedAfter(job: ActiveJob): Position {
  return { ...PARK, z: Math.min(jobZ(job) + 10, 210) }; // end-of-print lift
}

export interface BodyState {
  printing: boolean;
  nozzle: number;
  bed: number;
  targets: [number, number];
  /** Where the head is in x and y. */
  head: { x: number; y: number };
  z: number;
  /** The running job, whose height turns the print fan on after the first layer. */
  job: ActiveJob | undefined;
  material: string;
}

export function telemetryOf(s: BodyState): TelemetrySnapshot {
  const [targetNozzle, targetBed] = s.targets;
  return {
    temp_nozzle: round(s.nozzle, 1),
    target_nozzle: targetNozzle,
    temp_bed: round(s.bed, 1),
    target_bed: targetBed,
    axis_x: round(s.head.x, 1),
    axis_y: round(s.head.y, 1),
    axis_z: round(s.z, 2),
    flow: 100,
    speed: 100,
    // the hotend fan runs whenever the heatsink must be cooled, printing or not
    fan_hotend: s.nozzle > 50 ? HOTEND_FAN_RPM : 0,
    fan_print: s.printing && jobZ(s.job as ActiveJob) > LAYER_HEIGHT ? PRINT_FAN_RPM : 0,
    material: s.material,
  };
}
