/**
 * Camera snapshots. Only Pi PrusaLink has cameras (docs §4.7); Buddy answers 404 on every camera path, so the
 * family decides, not a probe. The printer keeps the last picture each camera took: a GET returns it (204 while
 * none has been taken yet) and never triggers a new shot.
 */
import { PrusaLinkError } from './errors';
import type { HttpResponse, RequestSpec } from './http';
import type { PrinterProfile } from './types';

export async function cameraSnapshot(
  p: PrinterProfile,
  request: (spec: RequestSpec) => Promise<HttpResponse>,
  printer: string,
  cameraId?: string,
): Promise<Buffer> {
  if (p.family !== 'pi')
    throw new PrusaLinkError('UNSUPPORTED', 'this printer has no camera API (only PrusaLink on a Raspberry Pi has cameras)', { printer });
  const id = typeof cameraId === 'string' ? cameraId.trim() : '';
  const target = id ? `/api/v1/cameras/${encodeURIComponent(id)}/snap` : '/api/v1/cameras/snap';
  const res = await request({ method: 'GET', target, accept: [404] });
  const ctx = { method: 'GET', path: target, status: res.status, printer };
  if (res.status === 404)
    throw new PrusaLinkError('NOT_FOUND', id ? `the printer has no camera "${id}"` : 'the printer has no camera', ctx);
  if (res.status === 204 || res.body.length === 0)
    throw new PrusaLinkError('NOT_FOUND', 'the camera has not taken a picture yet', ctx);
  const type = (res.headers['content-type'] ?? '').toLowerCase();
  if (type && !type.startsWith('image/'))
    throw new PrusaLinkError('PROTOCOL', `the printer sent ${type} instead of a picture`, ctx);
  return res.body;
}
