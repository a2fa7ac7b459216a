/** Whether a sliced file suits a printer, so that a flow can refuse a file sliced for another machine. */
import type { CompatibilityResult, CompatibilityTarget, GcodeMetadata } from './types';

/**
 * PrusaSlicer names input-shaper profiles `MK4IS`, `MINIIS`, `XLIS` while the printer itself is `MK4`, `MINI`,
 * `XL`: the suffix is dropped before comparing. Letter case and punctuation are ignored (`MK3.9` = `mk39`).
 */
export function normalizeModel(model: string): string {
  return model
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .replace(/(?<=.)IS$/, '');
}

const NOZZLE_TOLERANCE_MM = 0.001;

/** A field the file does not declare cannot be held against it: only known mismatches make a file incompatible. */
export function checkCompatibility(meta: GcodeMetadata, target: CompatibilityTarget): CompatibilityResult {
  const reasons: string[] = [];
  if (target.printerModel && meta.printerModel && normalizeModel(target.printerModel) !== normalizeModel(meta.printerModel)) {
    reasons.push(`sliced for printer model ${meta.printerModel}, this printer is ${target.printerModel}`);
  }
  if (
    target.nozzleDiameter !== undefined &&
    meta.nozzleDiameter !== undefined &&
    Math.abs(target.nozzleDiameter - meta.nozzleDiameter) > NOZZLE_TOLERANCE_MM
  ) {
    reasons.push(`sliced for a ${meta.nozzleDiameter} mm nozzle, this printer has ${target.nozzleDiameter} mm`);
  }
  if (target.family === 'pi' && meta.format === 'bgcode') {
    reasons.push('binary G-code (.bgcode) cannot be printed through PrusaLink on a Raspberry Pi');
  }
  return { compatible: reasons.length === 0, reasons };
}
