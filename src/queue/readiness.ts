/**
 * Is the printer ready for the queue's next start, and if not, what does the queue wait for. Per family (facts
 * document §7 POST, §8, §11.8):
 * - Buddy accepts a start in IDLE, READY, FINISHED and STOPPED, but FINISHED/STOPPED is the end-of-print screen: the
 *   bed still holds the last print. The queue never starts on that screen unless the bed was confirmed clear:
 *   bedClear 'printer' waits for the printer to go READY/IDLE by itself (the user confirmed on its screen); bedClear
 *   'flow' waits for bedCleared() and then starts even from the end screen.
 * - Pi PrusaLink answers 409 in FINISHED/STOPPED until it returns to IDLE (~10 s): it waits for IDLE/READY in any
 *   mode; with 'flow' it also waits for bedCleared() after one of our prints.
 * - MINI 4.4.1 reports IDLE after a print, and answers 409 to a start unless its display is on the main screen: with
 *   'printer' the start is tried and a 409 means "main screen" (retried, see start-once.ts); with 'flow' it waits
 *   for bedCleared() after one of our prints.
 * An end screen the queue did not cause (a print started by hand) also needs a bed clear before the queue starts.
 * Only Buddy asks its user to confirm the bed: with 'printer', a Pi or a MINI starts the next job as soon as it
 * accepts one (for a bed sweeper or a belt printer); 'flow' is the mode that waits for a person there.
 */
import type { Family, PrinterStatus } from '../client/types';
import { END_SCREEN, IDLE_STATES, printRunning, stateOf } from './printer-view';
import type { WaitingFor } from './types';

export interface BedMemory {
  /** One of our prints ended and the bed has not been confirmed clear since. */
  awaitingBedClear?: boolean;
  /** The flow confirmed the bed clear while the printer still showed its end screen. */
  confirmedEnd?: boolean;
}

export type Readiness = { ready: true } | { ready: false; waitingFor: WaitingFor };

/**
 * The bed memory after this status: leaving the end screen forgets a confirmation of it; with bedClear 'printer',
 * a Buddy or Pi back in IDLE/READY (or any MINI, whose 409 is the gate) means the bed was cleared.
 */
export function updateBedMemory(family: Family, mode: 'printer' | 'flow', status: PrinterStatus, mem: BedMemory): BedMemory {
  const s = stateOf(status);
  const next: BedMemory = { ...mem };
  if (!END_SCREEN.has(s) && next.confirmedEnd) next.confirmedEnd = false;
  if (next.awaitingBedClear && mode === 'printer' && (IDLE_STATES.has(s) || family === 'mini-legacy') && !printRunning(status))
    next.awaitingBedClear = false;
  return next;
}

export function readiness(family: Family, status: PrinterStatus, mem: BedMemory): Readiness {
  const s = stateOf(status);
  if (printRunning(status) || status.transfer !== undefined) return { ready: false, waitingFor: 'printer-busy' };
  if (END_SCREEN.has(s)) {
    if (!mem.confirmedEnd) return { ready: false, waitingFor: 'bed-clear' };
    // Confirmed: Buddy starts from its end screen; the Pi refuses until it is IDLE again.
    return family === 'buddy' ? { ready: true } : { ready: false, waitingFor: 'printer-busy' };
  }
  if (!IDLE_STATES.has(s)) return { ready: false, waitingFor: 'printer-busy' }; // ERROR, UNKNOWN, BUSY without a job
  if (mem.awaitingBedClear) return { ready: false, waitingFor: 'bed-clear' };
  return { ready: true };
}
