/** Starting a print and steering the running one (pause, resume, stop), with the printer's refusals explained. */
import type { ClientContext } from './context';
import { isPrusaLinkError } from './errors';
import { checkPrintable, encodeSegments, filesTarget } from './files/paths';
import { num, obj } from './normalize';
import type { PrinterProfile } from './types';

export type JobAction = 'pause' | 'resume' | 'stop';

export async function startPrint(ctx: ClientContext, p: PrinterProfile, path: string): Promise<void> {
  const pp = ctx.parse(p, path);
  ctx.labelled(() => checkPrintable(p.family, pp, path));
  try {
    if (p.capabilities.v1) await ctx.request({ method: 'POST', target: filesTarget('v1', pp) });
    else if (p.family === 'mini-legacy')
      await ctx.request({ method: 'POST', target: `/api/files/usb/${encodeSegments(pp.segments)}`, json: { command: 'start' } });
    else await ctx.request({ method: 'POST', target: filesTarget('legacy', pp), json: { command: 'select', print: true } });
  } catch (e) {
    throw printRefusal(ctx, p, e);
  }
}

/** A 409 to a print start says what to do about it; MINI 4.4.1 refuses whenever its display is not on the main screen. */
function printRefusal(ctx: ClientContext, p: PrinterProfile, e: unknown): unknown {
  if (!isPrusaLinkError(e) || e.status !== 409) return e;
  if (p.family === 'mini-legacy')
    return ctx.err(
      'NOT_READY',
      `the printer cannot start a print now${e.printerMessage ? ` ("${e.printerMessage}")` : ''}: return the printer to its main screen (close any menu or dialog on its display) and try again (HTTP 409)`,
      e,
    );
  if (e.code === 'PRINTER_BUSY' || e.code === 'NOT_READY')
    return ctx.err('NOT_READY', `the printer is not ready to print${e.printerMessage ? ': ' + e.printerMessage : ''} (HTTP 409)`, e);
  return e;
}

/** The running job's id on v1 printers (their job commands name it); legacy ones only need a job to exist. */
async function currentJobId(ctx: ClientContext, p: PrinterProfile, action: JobAction): Promise<number | undefined> {
  const noJob = () => ctx.err('NO_JOB', `cannot ${action}: no print job is running`);
  if (p.capabilities.v1) {
    const { json } = await ctx.getJson('/api/v1/status');
    const id = num(obj(json.job)?.id);
    if (id === undefined) throw noJob();
    return id;
  }
  const { json } = await ctx.getJson('/api/job');
  if (!obj(json.job)?.file) throw noJob();
  return undefined;
}

export async function controlJob(ctx: ClientContext, p: PrinterProfile, action: JobAction): Promise<void> {
  const id = await currentJobId(ctx, p, action);
  try {
    if (id !== undefined) {
      const target = action === 'stop' ? `/api/v1/job/${id}` : `/api/v1/job/${id}/${action}`;
      await ctx.request({ method: action === 'stop' ? 'DELETE' : 'PUT', target });
    } else {
      const body = action === 'stop' ? { command: 'cancel' } : { command: 'pause', action };
      await ctx.request({ method: 'POST', target: '/api/job', json: body });
    }
  } catch (e) {
    if (isPrusaLinkError(e) && e.status === 409)
      throw ctx.err('NOT_READY', `cannot ${action} the print in the printer's current state${e.printerMessage ? ': ' + e.printerMessage : ''} (HTTP 409)`, e);
    if (isPrusaLinkError(e) && e.status === 404 && id !== undefined)
      throw ctx.err('NO_JOB', `cannot ${action}: the job ${id} has ended or changed (HTTP 404)`, e);
    throw e;
  }
}
