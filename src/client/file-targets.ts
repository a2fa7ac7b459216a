/** Where a request about a file goes, and which file API a printer speaks. */
import { encodeSegments, type PrinterPath } from './paths';
import type { PrinterProfile } from './types';

/** The v1 file API comes with PUT uploads; printers without them list and delete through the legacy one. */
export function usesV1Files(p: PrinterProfile): boolean {
  return p.capabilities.uploadByPut;
}

/** FAT 8.3 aliases exist on the printers that store files on a USB stick (Buddy, MINI 4.4.1), not on Pi PrusaLink. */
export function hasAliases(p: PrinterProfile): boolean {
  return p.family !== 'pi';
}

/** `/api/v1/files/usb/DIR/X.GCO` (v1) or `/api/files/usb/DIR/X.GCO` (legacy), each segment percent-encoded. */
export function filesTarget(api: 'v1' | 'legacy', pp: PrinterPath): string {
  const rest = encodeSegments(pp.segments);
  return `${api === 'v1' ? '/api/v1/files' : '/api/files'}/${encodeURIComponent(pp.storage)}${rest ? '/' + rest : ''}`;
}

export function parentOf(pp: PrinterPath): PrinterPath {
  return { storage: pp.storage, segments: pp.segments.slice(0, -1) };
}

/** `/usb/DIR/X.GCO` → `['DIR', 'X.GCO']` (the storage dropped). */
export function segmentsOf(full: string): string[] {
  return full.split('/').filter(Boolean).slice(1);
}

/** Refs are paths as the printer wrote them (Pi leaves spaces unencoded): encode each segment, keep the query. */
export function encodeRef(ref: string): string {
  const q = ref.indexOf('?');
  const pathPart = q >= 0 ? ref.slice(0, q) : ref;
  const query = q >= 0 ? ref.slice(q) : '';
  const segs = pathPart.split('/').map((s) => {
    let decoded = s;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      // a literal % that is not an escape: encode it as it is
    }
    return encodeURIComponent(decoded);
  });
  const out = segs.join('/');
  return (out.startsWith('/') ? out : '/' + out) + query;
}
