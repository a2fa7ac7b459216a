/**
 * The Buddy firmware generations the simulator speaks, and the models it can pretend to be (facts document §1,
 * §8.1, §9). One table, so that each generation's differences are read in one place, not scattered in `if`s.
 */

/** A firmware version as three numbers, e.g. `6.5.3` → [6, 5, 3]. */
export type FirmwareVersion = readonly [number, number, number];

/** What one Buddy firmware version does differently from the others. */
export interface BuddyGeneration {
  /** The version as given, e.g. `6.5.3`. */
  firmware: string;
  /** MAX_URL_LEN (src/common/http/types.h): 100 on ≤ 5.0.x, 168 from 5.1.0. */
  maxUrlChars: number;
  /** Digest nonce lifetime, s: 5 up to 5.1.x, 300 from 5.2.0 (PR #3665 / #3371). */
  nonceLifetime: number;
  /** An upload target over 103 bytes: cut short up to 6.3.x, answered with 414 from 6.4.0 (commit 03e368e). */
  longUploadPath: 'truncate' | 'refuse-414';
  /** From 6.4.0 a print's preheat/calibration screens report PRINTING (was BUSY). */
  preheatState: 'BUSY' | 'PRINTING';
  /** From about 6.5.5 waiting to resume after a power loss reports PAUSED (was ATTENTION). */
  powerLossState: 'ATTENTION' | 'PAUSED';
  /** From 6.5.1 /api/version carries `firmware` and `printer`. */
  versionNamesModel: boolean;
  /** From 6.6.x `printer.flow` is the selected tool's flow: 0 while no tool is picked (XL, Core One INDX). */
  flowFromSelectedTool: boolean;
}

/** Model name → `/api/version.printer` code (§8.1) and the oldest/newest firmware it ran. */
export interface BuddyModel {
  name: string;
  code: string;
  /** A tool changer: with no tool picked, 6.6.x reports flow 0. */
  toolChanger: boolean;
  /** The last firmware line released for it, when there is one (MINI: 6.4.0). */
  lastFirmware?: string;
}

export const BUDDY_MODELS: readonly BuddyModel[] = [
  { name: 'MK4', code: '1.4.0', toolChanger: false },
  { name: 'MK4S', code: '1.4.1', toolChanger: false },
  { name: 'MK3.5', code: '1.3.5', toolChanger: false },
  { name: 'MK3.5S', code: '1.3.6', toolChanger: false },
  { name: 'MK3.9', code: '1.3.9', toolChanger: false },
  { name: 'MK3.9S', code: '1.3.10', toolChanger: false },
  { name: 'MINI', code: '2.1.0', toolChanger: false, lastFirmware: '6.4.0' },
  { name: 'XL', code: '3.1.0', toolChanger: true },
  { name: 'Core One', code: '7.1.0', toolChanger: false },
  { name: 'Core One L', code: '8.1.0', toolChanger: false },
  { name: 'Core One INDX', code: '7.10.0', toolChanger: true },
];

/** The newest firmware the simulator speaks (the default), per the facts document's 6.6.x reading. */
export const NEWEST_BUDDY_FIRMWARE = '6.6.0';
/** 4.6.x has no v1 status/job/info and MINI 4.4 is the `mini-legacy` family: the simulator's Buddy starts at 4.7. */
const OLDEST_BUDDY_FIRMWARE: FirmwareVersion = [4, 7, 0];
export const DEFAULT_BUDDY_MODEL = 'MK4';

export function parseFirmware(text: string): FirmwareVersion {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{1,2})$/.exec(text);
  if (!m) throw new Error(`firmware must look like 6.4.1, got "${text}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function atLeast(v: FirmwareVersion, ...min: FirmwareVersion): boolean {
  for (let i = 0; i < 3; i++) if (v[i] !== min[i]) return v[i] > min[i];
  return true;
}

export function findBuddyModel(name: string): BuddyModel {
  const model = BUDDY_MODELS.find((m) => m.name.toLowerCase() === name.trim().toLowerCase());
  if (!model) throw new Error(`unknown printer model "${name}" (known: ${BUDDY_MODELS.map((m) => m.name).join(', ')})`);
  return model;
}

/** The newest firmware a model runs: its last release line, or the newest of all. */
export function newestFirmwareFor(model: BuddyModel): string {
  return model.lastFirmware ?? NEWEST_BUDDY_FIRMWARE;
}

export function buddyGeneration(firmware: string, model: BuddyModel): BuddyGeneration {
  const v = parseFirmware(firmware);
  if (!atLeast(v, ...OLDEST_BUDDY_FIRMWARE))
    throw new Error(`the simulator's Buddy family starts at firmware 4.7.0 (MINI 4.4 is the mini-legacy family), got ${firmware}`);
  if (model.lastFirmware && !atLeast(parseFirmware(model.lastFirmware), ...v))
    throw new Error(`the ${model.name}'s last firmware is ${model.lastFirmware}; ${firmware} was never released for it`);
  return {
    firmware,
    maxUrlChars: atLeast(v, 5, 1, 0) ? 168 : 100,
    nonceLifetime: atLeast(v, 5, 2, 0) ? 300 : 5,
    longUploadPath: atLeast(v, 6, 4, 0) ? 'refuse-414' : 'truncate',
    preheatState: atLeast(v, 6, 4, 0) ? 'PRINTING' : 'BUSY',
    powerLossState: atLeast(v, 6, 5, 5) ? 'PAUSED' : 'ATTENTION',
    versionNamesModel: atLeast(v, 6, 5, 1),
    flowFromSelectedTool: atLeast(v, 6, 6, 0),
  };
}
