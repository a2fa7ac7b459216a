/** The figures every family reports about a running upload, computed one way (field names differ per family). */
import type { SimRuntime } from '../runtime';

type Transfer = NonNullable<SimRuntime['transfer']>;

export function transferFigures(tr: Transfer): { time_transferring: number; progress: number; time_remaining: number } {
  const seconds = (Date.now() - tr.started) / 1000;
  const rate = seconds > 0 ? tr.transferred / seconds : 0;
  return {
    time_transferring: Math.floor(seconds),
    progress: Math.round((tr.size ? (tr.transferred / tr.size) * 100 : 0) * 100) / 100,
    time_remaining: rate > 0 ? Math.round((tr.size - tr.transferred) / rate) : 0,
  };
}

/**
 * The `transfer` object of /api/v1/status while an upload runs. The two firmwares name the byte count differently
 * (Buddy `transferred`, Pi PrusaLink `data_transferred`); the rest is the same.
 */
export function statusTransfer(tr: Transfer, bytesKey: 'transferred' | 'data_transferred'): Record<string, number> {
  const { time_transferring, progress } = transferFigures(tr);
  return { id: tr.id, time_transferring, progress, [bytesKey]: tr.transferred };
}
