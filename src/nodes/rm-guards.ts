/**
 * Checks made before a delete, without a request: deleting a storage root wipes the printer's files,
 * and deleting the file being printed is refused by the printer or ends the print screen.
 */

/** True for `/`, `''`, a bare storage (`/usb`, `local/`) — anything that names no folder below a root. */
export function isStorageRoot(path: string, storages: string[]): boolean {
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) return true;
  return path.trim().startsWith('/') && segments.length === 1 && storages.includes(segments[0].toLowerCase());
}

/** A full path (`/usb/a/b.gcode`), case-folded, without trailing slashes. */
export function fullPath(path: string, defaultStorage: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  const full = trimmed.startsWith('/') ? trimmed : `/${defaultStorage}/${trimmed}`;
  return full.replace(/\/{2,}/g, '/').toLowerCase();
}

/** Whether deleting `target` (a file, or a folder and what it holds) would remove `printed`. */
export function touchesFile(target: string, printed: string, isFolder: boolean): boolean {
  return target === printed || (isFolder && printed.startsWith(target + '/'));
}
