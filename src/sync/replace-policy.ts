/**
 * Replacing a printer file on a printer that uploads only by multipart POST (MINI 4.4.1, Buddy before PUT).
 *
 * Such a printer cannot overwrite: the only way to replace a file is to delete it and upload again, and an upload
 * that then fails (a transfer from the printer's screen, a dropped link, a full stick at 54 KB/s over minutes) leaves
 * the file missing. PrusaLink has no rename, so "upload under a temporary name and swap" cannot be done either. The
 * sync therefore leaves the old file as it is and says how to replace it; the client's own upload refuses the same way.
 */
import type { FilePlan } from './plan';
import type { SkippedItem } from './types';

export const CANNOT_REPLACE_REASON =
  'this printer (uploads without PUT, e.g. MINI firmware 4.4.1) cannot replace a file, and deleting it first would lose it if the upload failed: ' +
  'the old file is left as it is; delete it on the printer (e.g. with the rm node) and the next sync uploads it';

/** Takes the uploads that would replace a printer file out of the plan, as skipped items, when the printer cannot replace. */
export function keepFilesThatCannotBeReplaced(plan: FilePlan, canReplace: boolean): SkippedItem[] {
  if (canReplace) return [];
  const replacing = plan.uploads.filter((u) => u.existing);
  plan.uploads = plan.uploads.filter((u) => !u.existing);
  return replacing.map((u) => ({ path: u.file.rel, code: 'CANNOT_REPLACE' as const, reason: CANNOT_REPLACE_REASON }));
}
