/** G-code and binary G-code metadata: the slicer's estimates and settings, read from a local file or a Buffer. */
import { isBgcode, readBgcode } from './bgcode';
import { openSource } from './byte-source';
import { readGcodeText } from './gcode-text';
import { fieldsFromRaw } from './normalize';
import type { GcodeMetadata, MetadataSource } from './types';

export { checkCompatibility, normalizeModel } from './compatibility';
export { parseDuration } from './normalize';
export type { CompatibilityResult, CompatibilityTarget, GcodeMetadata, MetadataSource, ThumbnailInfo } from './types';

export async function readMetadata(source: MetadataSource): Promise<GcodeMetadata> {
  const src = await openSource(source);
  try {
    if (await isBgcode(src)) {
      const { raw, thumbnails, warnings } = await readBgcode(src);
      return { format: 'bgcode', ...fieldsFromRaw(raw), thumbnails, warnings, raw };
    }
    const raw = await readGcodeText(src);
    return { format: 'gcode', ...fieldsFromRaw(raw), warnings: [], raw };
  } finally {
    await src.close();
  }
}
