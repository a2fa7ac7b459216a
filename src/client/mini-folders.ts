/**
 * MINI firmware 4.4.1 lists only the files in the root of its USB stick and has no folder API (docs §4.6, issue 13.8).
 * Asked about a folder it answers "no such file", asked to delete one "Could not delete": both untrue. A path that
 * names a folder, or a file inside one, is refused here before any request, with the reason.
 */
import type { ClientContext } from './context';
import type { PrinterProfile } from './types';

export const MINI_FOLDERS = 'MINI 4.4.1 cannot list or delete folders';

/** True when `path` can only be a folder or lie inside one: below the root, a trailing `/`, or no file extension. */
function namesFolder(path: string, segments: readonly string[]): boolean {
  const last = segments[segments.length - 1];
  return segments.length > 1 || /\/\s*$/.test(path) || (last !== undefined && !last.includes('.'));
}

/** Throws UNSUPPORTED on a MINI 4.4.1 for a folder path (or any delete with its content). */
export function refuseMiniFolder(ctx: ClientContext, p: PrinterProfile, path: string, action: 'describe' | 'delete', recursive = false): void {
  if (p.family !== 'mini-legacy') return;
  const { segments } = ctx.parse(p, path);
  if (segments.length === 0) return; // the root: the callers have their own answer for it
  if (!recursive && !namesFolder(path, segments)) return;
  throw ctx.err(
    'UNSUPPORTED',
    `${MINI_FOLDERS}: "${path}" names a folder or a file inside one; only files in the root of the USB stick can be ${action === 'delete' ? 'deleted' : 'described'}`,
  );
}
