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
