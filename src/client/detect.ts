/** Family and capability detection from /api/version and the endpoints that answer (docs §3). Never gates on `api`. */
import { PrusaLinkError } from './errors';
import { parseJson, type HttpResponse, type Transport } from './http';
import { obj, str, storageFromV1 } from './normalize';
import { printerModelOf } from './printer-model';
import type { Family, PrinterProfile, StorageInfo } from './types';

export interface Detection {
  profile: PrinterProfile;
  /** The v1 status probe's answer and when it came (performance.now()): the first status() may reuse it. */
  statusProbe?: { res: HttpResponse; at: number };
}

export async function detectProfile(t: Transport): Promise<Detection> {
  const ctx = (path: string) => ({ method: 'GET', path, printer: t.label });
  const versionRes = await t.send({ method: 'GET', target: '/api/version' });
  const version = parseJson(versionRes, ctx('/api/version'));
  if (!obj(version)) throw new PrusaLinkError('PROTOCOL', '/api/version did not return a JSON object', ctx('/api/version'));
  const text = str(version.text) ?? '';
  const caps = obj(version.capabilities);
  const uploadByPut = caps?.['upload-by-put'] === true;

  let family: Family;
  if (/^PrusaLink MINI/i.test(text) && !caps) family = 'mini-legacy';
  else if (t.auth.realm === 'Administrator' || version.original !== undefined || version.sdk !== undefined || /^PrusaLink \d/.test(text))
    family = 'pi';
  else family = 'buddy';

  let storages: StorageInfo[] = [];
  if (uploadByPut) {
    const res = await t.send({ method: 'GET', target: '/api/v1/storage', accept: [404] });
    if (res.status === 200) {
      const list = obj(parseJson(res, ctx('/api/v1/storage')))?.storage_list;
      if (Array.isArray(list)) storages = list.map(storageFromV1).filter((s): s is StorageInfo => s !== undefined);
    }
  }
  if (storages.length === 0) {
    storages =
      family === 'pi'
        ? [
            { name: 'local', display_name: 'PrusaLink gcodes', read_only: false, available: true },
            { name: 'sdcard', display_name: 'SD Card', read_only: true, available: true },
          ]
        : [{ name: 'usb', read_only: false, available: true }];
  }
  // Writable and available first: the default storage is the first one.
  storages.sort((a, b) => rank(a) - rank(b));

  let v1 = false;
  let statusProbe: Detection['statusProbe'];
  if (family !== 'mini-legacy') {
    const res = await t.send({ method: 'GET', target: '/api/v1/status', accept: [404] });
    v1 = res.status === 200;
    if (v1) statusProbe = { res, at: performance.now() };
  }

  const profile: PrinterProfile = {
    family,
    version,
    capabilities: {
      v1,
      uploadByPut,
      multipartUpload: !(family === 'buddy' && uploadByPut),
      folders: family !== 'mini-legacy' && (uploadByPut || family === 'pi'),
      digest: family !== 'mini-legacy',
    },
    storages,
    defaultStorage: storages[0].name,
    authScheme: t.auth.mode === 'apikey' ? 'apikey' : 'digest',
  };
  const firmware = firmwareOf(family, version, text);
  if (firmware) profile.firmware = firmware;
  if (text) profile.text = text;
  const model = printerModelOf(family, version);
  if (model) profile.model = model;
  const hostname = str(version.hostname);
  if (hostname) profile.hostname = hostname;
  return statusProbe ? { profile, statusProbe } : { profile };
}

function rank(s: StorageInfo): number {
  return (s.available ? 0 : 2) + (s.read_only ? 1 : 0);
}

function firmwareOf(family: Family, version: Record<string, unknown>, text: string): string | undefined {
  if (family === 'pi') return str(version.server) ?? /^PrusaLink (\S+)/.exec(text)?.[1];
  return str(version.firmware);
}
