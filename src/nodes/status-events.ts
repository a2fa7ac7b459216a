/**
 * Turns a stream of printer states into events people automate on ("finished", "attention", ...).
 * A poll can miss the end screen (Pi PrusaLink returns to IDLE soon after; MINI 4.4.1 never shows
 * FINISHED at all), so a job that was running and is now simply idle is reported as finished when,
 * at the pace its progress was moving, it should have reached the end by now; else as stopped.
 */
import type { PrinterStatus } from '../client/types';

export const OFFLINE = 'OFFLINE';
/** The printer answers but refuses the credentials: not "offline", the user must fix the login. */
export const UNAUTHORIZED = 'UNAUTHORIZED';
const CREDENTIALS_REFUSED = new Set(['AUTH_FAILED', 'FORBIDDEN']);

/** The state an outage shows as: refused credentials or a printer that does not answer. */
export function outageState(error: { code: string }): typeof OFFLINE | typeof UNAUTHORIZED {
  return CREDENTIALS_REFUSED.has(error.code) ? UNAUTHORIZED : OFFLINE;
}

const IN_JOB = new Set(['PRINTING', 'PAUSED', 'ATTENTION']);
const JOB_OVER = new Set(['FINISHED', 'STOPPED', 'ERROR', 'IDLE', 'READY']);

export interface StateChange {
  event: string;
  /** The state before; null for the first state seen after a deploy. */
  previous: string | null;
}

export class StateTracker {
  private last: string | null = null;
  private inJob = false;
  /** Last two progress samples while printing: [progress 0..100, time ms]. */
  private samples: Array<[number, number]> = [];

  /** Records a status; answers the change it makes, or null when the state is the same. */
  update(status: PrinterStatus, now = Date.now()): StateChange | null {
    const state = status.state;
    const previous = this.last;
    const endedUnseen = this.inJob && (state === 'IDLE' || state === 'READY');
    const reachedEnd = endedUnseen && this.predictedProgress(now) >= 99;
    // Up to Buddy 6.3 a print's preheat and calibration report BUSY (6.4+ say PRINTING): with a job present that
    // BUSY is part of the print, so an abort from there still ends it as "stopped" (facts §8.1).
    if (state === 'BUSY' && status.job !== undefined) {
      if (!this.inJob) this.samples = [];
      this.inJob = true;
    } else if (IN_JOB.has(state)) {
      if (!this.inJob) this.samples = [];
      this.inJob = true;
      const progress = status.job?.progress;
      if (typeof progress === 'number') {
        // A pause breaks the pace: only consecutive printing samples measure it.
        if (state !== 'PRINTING') this.samples = [];
        this.samples = [...this.samples.slice(-1), [progress, now]];
      }
    } else if (JOB_OVER.has(state)) {
      this.inJob = false;
    }
    if (state === previous) return null;
    this.last = state;
    // The first answer after a deploy, or after an outage of either kind, says "the printer is there", not "it just finished".
    if (previous === null || previous === OFFLINE || previous === UNAUTHORIZED) return { event: 'online', previous };
    if (endedUnseen) return { event: reachedEnd ? 'finished' : 'stopped', previous };
    // The event is the state's own word: printing, paused, finished, stopped, attention, error, idle, ready, busy, ...
    return { event: state.toLowerCase(), previous };
  }

  /** Progress the job would have now, extrapolated from the last two samples while printing. */
  private predictedProgress(now: number): number {
    const last = this.samples.at(-1);
    if (!last) return 0;
    const first = this.samples[0];
    const elapsed = last[1] - first[1];
    const pace = elapsed > 0 ? (last[0] - first[0]) / elapsed : 0;
    return last[0] + Math.max(0, pace) * (now - last[1]);
  }

  /** Records an outage (offline, or unauthorized when the credentials were refused); null when already in it. */
  down(error: { code: string }): StateChange | null {
    const state = outageState(error);
    if (this.last === state) return null;
    const previous = this.last;
    this.last = state;
    return { event: state === UNAUTHORIZED ? 'unauthorized' : 'offline', previous };
  }
}
