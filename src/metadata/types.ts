/** Public types of the G-code metadata readers. */

/** Where the G-code comes from: a local file (read in parts, never whole) or bytes already in memory. */
export type MetadataSource = { file: string } | { buffer: Buffer };

export interface ThumbnailInfo {
  format: 'PNG' | 'JPG' | 'QOI' | 'UNKNOWN';
  width: number;
  height: number;
}

export interface GcodeMetadata {
  format: 'gcode' | 'bgcode';
  /** Slicer's estimate for the normal (non-silent) mode, seconds. */
  estimatedPrintTime?: number;
  /** As the slicer wrote it; several tools give `PLA;PETG`. */
  filamentType?: string;
  /** Grams, all tools together. */
  filamentWeight?: number;
  /** Millimetres, all tools together. */
  filamentLength?: number;
  /** Millimetres; the first tool's nozzle where several are listed. */
  nozzleDiameter?: number;
  /** PrusaSlicer's printer model code, e.g. `MK4S`, `MINI`, `MK3S`. */
  printerModel?: string;
  /** Millimetres. */
  layerHeight?: number;
  /** Producer, e.g. `PrusaSlicer 2.7.1`. */
  slicer?: string;
  /** Binary G-code only: the embedded thumbnails. */
  thumbnails?: ThumbnailInfo[];
  /** Things that could not be read (a heatshrink-compressed block, a bad checksum, a truncated file). */
  warnings: string[];
  /** Every key/value found, as text; later occurrences win. */
  raw: Record<string, string>;
}

export interface CompatibilityTarget {
  /** The printer's model code (`MK4`, `MINI`, ...). */
  printerModel?: string;
  /** The printer's nozzle, mm. */
  nozzleDiameter?: number;
  /** Pi PrusaLink does not print binary G-code. */
  family?: 'buddy' | 'mini-legacy' | 'pi';
}

export interface CompatibilityResult {
  compatible: boolean;
  /** Why not, one sentence per mismatch; empty when compatible. */
  reasons: string[];
}
