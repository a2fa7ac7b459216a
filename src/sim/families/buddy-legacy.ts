/** The legacy (OctoPrint-style) endpoints of Buddy firmware, shared by current Buddy and MINI 4.4.1. */
import { readCommand } from '../http/body';
import type { Exchange } from '../http/exchange';
import { deleteEntry, startPrint } from './buddy-files';
import { legacyJobCommand } from './job-control';
import { legacyBuddyFile, legacyBuddyListing, legacyJob, legacyPrinter, legacyTransfer, miniRootListing } from './legacy-render';
import { miniMultipartUpload } from './mini-upload';

const API_VERSION = '2.0.0';
const LWIP_VERSION = '2.1.2';
/** The build number after `+` in `firmware`; any number will do (§1's example is 6.5.3+12780). */
const BUILD_NUMBER = 12780;

/** Answers a legacy request; false when the path is not a legacy endpoint. */
export async function buddyLegacy(ex: Exchange, api: string[]): Promise<boolean> {
  const rt = ex.rt;
  const m = ex.method;
  const [first, ...rest] = api;
  if (first === 'version' && rest.length === 0) {
    if (m !== 'GET' && m !== 'HEAD') return methodNotAllowed(ex);
    const v: Record<string, unknown> =
      rt.family === 'mini-legacy'
        ? { api: API_VERSION, server: LWIP_VERSION, text: 'PrusaLink MINI', hostname: rt.opts.hostname }
        : {
            api: API_VERSION,
            server: LWIP_VERSION,
            nozzle_diameter: 0.4,
            text: 'PrusaLink',
            hostname: rt.opts.hostname,
            capabilities: { 'upload-by-put': true },
            ...modelFields(rt),
          };
    ex.json(200, v);
    return true;
  }
  if (first === 'printer' && rest.length === 0) {
    if (m !== 'GET' && m !== 'HEAD') return methodNotAllowed(ex);
    rt.tick();
    ex.json(200, legacyPrinter(rt));
    return true;
  }
  if (first === 'job' && rest.length === 0) {
    if (m === 'POST') await legacyJobCommand(ex);
    else if (m === 'GET' || m === 'HEAD') {
      rt.tick();
      ex.json(200, legacyJob(rt));
    } else return methodNotAllowed(ex);
    return true;
  }
  // §6: Buddy has /api/transfer (204 when idle); MINI 4.4.1 offers only version, printer, job and files.
  if (first === 'transfer' && rest.length === 0 && rt.family === 'buddy') {
    if (m !== 'GET' && m !== 'HEAD') return methodNotAllowed(ex);
    const body = legacyTransfer(rt, 'usb');
    if (body === undefined) ex.empty(204);
    else ex.json(200, body);
    return true;
  }
  if (first === 'settings' && rest.length === 0 && rt.family === 'buddy') {
    ex.json(200, { printer: {} });
    return true;
  }
  if (first === 'files') {
    await legacyFiles(ex, rest);
    return true;
  }
  return false;
}

async function legacyFiles(ex: Exchange, rest: string[]): Promise<void> {
  const rt = ex.rt;
  const m = ex.method;
  const [storage, ...segs] = rest;
  if (m === 'POST' && (storage === 'local' || storage === 'usb') && segs.length === 0) {
    if (rt.family === 'buddy') return ex.error(410, 'Gone; use PUT /api/v1/files');
    return miniMultipartUpload(ex);
  }
  const atRoot = storage === undefined || (segs.length === 0 && ['local', 'sdcard', 'usb'].includes(storage));
  if (!atRoot && storage !== 'usb') return ex.error(403, 'Forbidden');
  if (m === 'GET' || m === 'HEAD') {
    if (atRoot) return ex.json(200, rt.family === 'mini-legacy' ? miniRootListing(rt) : legacyBuddyListing(rt, []));
    const entry = rt.primary.resolve(segs);
    if (!entry) return ex.error(404, 'File not found');
    if (entry.kind === 'folder') return ex.json(200, legacyBuddyListing(rt, entry.segments));
    return ex.json(200, legacyBuddyFile(entry));
  }
  if (m === 'DELETE') return deleteEntry(ex, segs);
  if (m === 'POST') {
    const cmd = await readCommand(ex, 25);
    if (!cmd) return;
    if (cmd['command'] !== 'start') return ex.error(400, 'Unsupported command');
    return startPrint(ex, segs);
  }
  ex.error(405, 'Method not allowed');
}

/** ≥ 6.5.1 names its build and model (§1, §8.1): e.g. `"firmware":"6.5.3+12780","printer":"1.4.1"`. */
function modelFields(rt: Exchange['rt']): Record<string, string> {
  const buddy = rt.opts.buddy;
  if (!buddy?.generation.versionNamesModel) return {};
  return { firmware: `${buddy.generation.firmware}+${BUILD_NUMBER}`, printer: buddy.model.code };
}

function methodNotAllowed(ex: Exchange): true {
  ex.error(405, 'Method not allowed');
  return true;
}
