/** Defaults applied to SimOptions once, so the rest of the simulator reads plain values. */
import { randomBytes } from 'node:crypto';
import { buddyGeneration, DEFAULT_BUDDY_MODEL, findBuddyModel, newestFirmwareFor, type BuddyGeneration, type BuddyModel } from './families/buddy-generations';
import type { SimFamily, SimOptions } from './types';

export interface ResolvedOptions {
  family: SimFamily;
  port: number;
  host: string;
  password: string;
  user: string;
  /** MINI: always set. Pi: only when configured. Buddy: unused (the password is the key). */
  apiKey: string | undefined;
  speed: number;
  filesDir: string | undefined;
  tls: SimOptions['tls'];
  controlToken: string;
  nonceLifetime: number;
  discardUploads: boolean;
  files: Record<string, string | Buffer>;
  hostname: string;
  camera: boolean;
  nonceRandom: number | undefined;
  jobCommandDelayMs: number;
  piListingDelayMs: number;
  /** Buddy: the firmware generation and the model it pretends to be. */
  buddy: { generation: BuddyGeneration; model: BuddyModel } | undefined;
}

const FAMILIES: SimFamily[] = ['buddy', 'mini-legacy', 'pi'];

export function resolveOptions(o: SimOptions): ResolvedOptions {
  if (!FAMILIES.includes(o.family)) throw new Error(`unknown simulator family: ${String(o.family)}`);
  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port out of range: ${port}`);
  const jobCommandDelayMs = o.jobCommandDelayMs ?? 0;
  if (typeof jobCommandDelayMs !== 'number' || !(jobCommandDelayMs >= 0) || !Number.isFinite(jobCommandDelayMs))
    throw new Error(`jobCommandDelayMs must be a number of milliseconds >= 0, got ${String(o.jobCommandDelayMs)}`);
  const speed = o.speed ?? 1;
  const piListingDelayMs = o.piListingDelayMs ?? 150;
  if (!(piListingDelayMs >= 0) || !Number.isFinite(piListingDelayMs)) throw new Error('piListingDelayMs must be a number of ms, 0 or more');
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`speed must be a positive number`);
  const buddy = resolveBuddy(o);
  return {
    family: o.family,
    port,
    host: o.host ?? '127.0.0.1',
    password: o.password ?? 'password',
    user: o.family === 'pi' ? (o.user ?? 'maker') : 'maker',
    apiKey: o.family === 'mini-legacy' ? (o.apiKey ?? 'apikey') : o.family === 'pi' ? o.apiKey : undefined,
    speed,
    filesDir: o.filesDir,
    tls: o.tls,
    controlToken: o.controlToken ?? randomBytes(16).toString('hex'),
    nonceLifetime: o.nonceLifetime ?? buddy?.generation.nonceLifetime ?? 300,
    discardUploads: o.discardUploads ?? false,
    files: o.files ?? {},
    hostname: o.hostname ?? defaultHostname(o.family),
    camera: o.camera ?? false,
    nonceRandom: o.nonceRandom,
    jobCommandDelayMs,
    piListingDelayMs,
    buddy,
  };
}

/** Buddy: the generation of `firmware` (default: the newest the model runs) on `model` (default MK4). */
function resolveBuddy(o: SimOptions): ResolvedOptions['buddy'] {
  if (o.family !== 'buddy') {
    if (o.firmware !== undefined || o.model !== undefined)
      throw new Error(`firmware and model select a Buddy generation; the ${o.family} family has one (leave them out)`);
    return undefined;
  }
  const model = findBuddyModel(o.model ?? DEFAULT_BUDDY_MODEL);
  return { model, generation: buddyGeneration(o.firmware ?? newestFirmwareFor(model), model) };
}

function defaultHostname(family: SimFamily): string {
  if (family === 'pi') return 'prusa-mk3';
  if (family === 'mini-legacy') return 'prusa-mini';
  return 'prusa-mk4';
}
