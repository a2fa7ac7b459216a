/** Router of current Buddy firmware (MK4/XL/MINI/Core One 6.x) and of MINI 4.4.1 (legacy API only). */
import { authenticate } from '../auth/authenticate';
import type { Exchange } from '../http/exchange';
import { deleteEntry, download, getFileInfo, getThumbnail, startPrint } from './buddy-files';
import { buddyLegacy } from './buddy-legacy';
import { buddyInfo, buddyJob, buddyStatus, buddyTransfer } from './buddy-render';
import { buddyPut } from './buddy-upload';
import type { FamilyHandler } from './family';
import { jobById } from './job-control';

/** MAX_URL_LEN on the older firmware MINI 4.4.1 belongs to; Buddy's comes from its generation (100 or 168). */
const MINI_LEGACY_MAX_URL = 100;

export const buddyFamily: FamilyHandler = async (ex: Exchange) => {
  const family = ex.rt.family === 'mini-legacy' ? 'mini-legacy' : 'buddy';
  const maxUrl = ex.rt.opts.buddy?.generation.maxUrlChars ?? MINI_LEGACY_MAX_URL;
  if (ex.rawUrl.length > maxUrl) return ex.error(414, 'URI too long');
  const [top, ...rest] = ex.segments;
  if (top !== 'api' && top !== 'usb' && top !== 'thumb') return ex.error(404, 'Not found');
  if (!authenticate(ex)) return;
  if (ex.badPath) return ex.error(404, 'Not found');
  if (top === 'usb') {
    if (ex.method !== 'GET' && ex.method !== 'HEAD') return ex.error(405, 'Method not allowed');
    return download(ex, rest);
  }
  if (top === 'thumb') {
    const [size, storage, ...segs] = rest;
    if ((size !== 's' && size !== 'l') || storage !== 'usb') return ex.error(404, 'Not found');
    return getThumbnail(ex, size === 's' ? 'small' : 'large', segs);
  }
  if (rest[0] === 'v1') {
    if (family === 'mini-legacy') return ex.error(404, 'Not found');
    return v1(ex, rest.slice(1));
  }
  if (await buddyLegacy(ex, rest)) return;
  ex.error(404, 'Not found');
};

async function v1(ex: Exchange, api: string[]): Promise<void> {
  const rt = ex.rt;
  const m = ex.method;
  const [first, ...rest] = api;
  const readOnly = m === 'GET' || m === 'HEAD';
  if (first === 'files') {
    const [storage, ...segs] = rest;
    if (storage !== 'usb') return ex.error(403, 'Forbidden');
    if (readOnly) return getFileInfo(ex, segs);
    if (m === 'PUT') return buddyPut(ex, segs);
    if (m === 'POST') return startPrint(ex, segs);
    if (m === 'DELETE') return deleteEntry(ex, segs);
    return ex.error(405, 'Method not allowed');
  }
  if (first === 'job' && rest.length > 0) return jobById(ex, rest);
  if (rest.length > 0) return ex.error(404, 'Not found');
  const render: Record<string, () => Record<string, unknown> | undefined> = {
    info: () => buddyInfo(rt),
    status: () => buddyStatus(rt),
    job: () => buddyJob(rt),
    storage: () => ({ storage_list: [{ path: '/usb/', name: 'usb', type: 'USB', read_only: false, available: true }] }),
    transfer: () => buddyTransfer(rt),
  };
  const fn = first !== undefined ? render[first] : undefined;
  if (!fn) return ex.error(404, 'Not found');
  if (!readOnly) return ex.error(405, 'Method not allowed');
  rt.tick();
  const body = fn();
  if (body === undefined) return ex.empty(204);
  ex.json(200, body);
}
