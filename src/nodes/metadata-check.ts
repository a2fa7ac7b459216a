/**
 * "Was this file sliced for this printer?" The printer's side of the comparison comes from the client: the model
 * from /api/version (cached by detection) and the nozzle from /api/v1/info. Many Buddy firmwares do not tell their
 * model at all; then only the nozzle (and, on a Pi, the format) can be checked, and the node says so.
 */
import type { PrusaLinkClient } from '../client';
import type { PrinterProfile, UploadSource } from '../client/types';
import { checkCompatibility, readMetadata, type CompatibilityResult, type CompatibilityTarget, type GcodeMetadata } from '../metadata';

/**
 * The printer's model by name, to compare with the `printer_model` PrusaSlicer writes: the client's reading of
 * /api/version (Buddy ≥ 6.5.1 sends a code, `"printer":"1.4.1"` for an MK4S, which is no name to compare; Pi
 * PrusaLink `original`; MINI 4.4 `text`). A code the client does not know stays unknown rather than a mismatch.
 */
export function printerModelOf(profile: PrinterProfile): string | undefined {
  const model = profile.model;
  return model !== undefined && /^[A-Za-z]/.test(model) ? model : undefined;
}

export interface PrinterTarget extends CompatibilityTarget {
  /** Whether the model came from the printer (or the node) rather than being unknown. */
  modelKnown: boolean;
}

/** The printer as the check sees it; `modelOverride` (a node setting) wins over what the printer reports. */
export async function printerTarget(client: PrusaLinkClient, modelOverride?: string): Promise<PrinterTarget> {
  const profile = await client.detect();
  const info = await client.info();
  const printerModel = (modelOverride && modelOverride.trim()) || printerModelOf(profile);
  return {
    printerModel,
    nozzleDiameter: info.nozzle_diameter,
    family: profile.family,
    modelKnown: printerModel !== undefined,
  };
}

/** The check's verdict, with what it compared against (so a flow can show "sliced for MK4, this is a MINI"). */
export interface Verdict extends CompatibilityResult {
  printerModel?: string;
  nozzleDiameter?: number;
}

export function verdict(meta: GcodeMetadata, target: PrinterTarget): Verdict {
  const result: Verdict = checkCompatibility(meta, target);
  if (target.printerModel) result.printerModel = target.printerModel;
  if (target.nozzleDiameter !== undefined) result.nozzleDiameter = target.nozzleDiameter;
  return result;
}

export interface UploadCheck {
  metadata: GcodeMetadata;
  compatibility: Verdict;
  modelKnown: boolean;
}

/** Reads a local file's (or Buffer's) metadata and judges it against the printer; a stream cannot be read twice. */
export async function checkLocalFile(client: PrusaLinkClient, source: UploadSource, modelOverride?: string): Promise<UploadCheck | null> {
  if (!('file' in source) && !('buffer' in source)) return null;
  const metadata = await readMetadata(source);
  const target = await printerTarget(client, modelOverride);
  return { metadata, compatibility: verdict(metadata, target), modelKnown: target.modelKnown };
}
