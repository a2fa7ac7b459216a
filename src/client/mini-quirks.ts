/**
 * MINI firmware 4.4.1 bug (issue 9): during a filament change /api/printer reports zeroed telemetry and an idle
 * "Operational" state although the print is under way. Only the whole pattern, together with a job that is still
 * known, is taken as that dialog.
 */
import { obj, num, str, type Json } from './normalize';
import type { PrinterStatus } from './types';

function isRunoutLie(printer: Json): boolean {
  const t = obj(printer.telemetry);
  if (!t) return false;
  const flags = obj(obj(printer.state)?.flags) ?? {};
  const text = str(obj(printer.state)?.text) ?? '';
  return (
    num(t['temp-bed']) === 0 &&
    num(t['temp-nozzle']) === 0 &&
    num(t['print-speed']) === 100 &&
    num(t['z-height']) === 0 &&
    str(t.material) === '---' &&
    text === 'Operational' &&
    flags.printing !== true
  );
}

const ACTIVE = new Set(['PRINTING', 'PAUSED', 'ATTENTION']);

export function applyMiniFilamentChange(status: PrinterStatus, printerJson: Json, last?: PrinterStatus): PrinterStatus {
  if (!isRunoutLie(printerJson)) return status;
  const job = status.job ?? (last?.job && ACTIVE.has(last.state) ? { ...last.job } : undefined);
  if (!job) return status;
  const printer: PrinterStatus['printer'] = { state: 'ATTENTION' };
  return { state: 'ATTENTION', reason: 'filament change', printer, job: { ...job, state: 'ATTENTION' } };
}
