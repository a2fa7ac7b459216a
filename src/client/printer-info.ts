/** What the printer is: /api/v1/info, or on legacy-only printers what /api/version told at detection. */
import type { ClientContext } from './context';
import { num, str, type Json } from './normalize';
import type { PrinterInfo, PrinterProfile } from './types';

export async function printerInfo(ctx: ClientContext, p: PrinterProfile): Promise<PrinterInfo> {
  const src: Json = p.capabilities.v1 ? (await ctx.getJson('/api/v1/info')).json : p.version;
  const out: PrinterInfo = {};
  const n = num(src.nozzle_diameter);
  if (n !== undefined) out.nozzle_diameter = n;
  if (typeof src.mmu === 'boolean') out.mmu = src.mmu;
  for (const k of ['serial', 'hostname', 'name', 'location'] as const) {
    const v = str(src[k]);
    if (v) out[k] = v;
  }
  const t = num(src.min_extrusion_temp);
  if (t !== undefined) out.min_extrusion_temp = t;
  return out;
}
