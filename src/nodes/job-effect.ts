/**
 * What the job node reports after pause / resume / stop. PrusaLink answers 204 once the command is queued and changes
 * state later (issue 14.5: a Pi still said PRINTING right after a pause), so the job is read again, a bounded number
 * of times, until the state shows the command took effect. A user then gets the new state, or `requested: true` with
 * the state the printer still reports, never an old state presented as the result.
 */
import type { NodeAPI, NodeStatus } from 'node-red';
import type { PrusaLinkClient } from '../client';
import type { Job, PrinterState } from '../client/types';
import { sharedText } from './i18n';
import { stateFill } from './printer-status-display';
import { statusOf } from './node-status';

export type ControlAction = 'pause' | 'resume' | 'stop';

/** Long enough for a queued command on a Pi (well under a second observed), short enough for a flow to wait. */
export const EFFECT_WAIT_MS = 4000;
const POLL_MS = 250;

/** States that still mean "the command has not acted yet"; BUSY while pausing or resuming is a step on the way. */
const NOT_YET: Record<ControlAction, ReadonlySet<PrinterState>> = {
  pause: new Set(['PRINTING', 'BUSY']),
  resume: new Set(['PAUSED', 'ATTENTION', 'BUSY']),
  // BUSY after a stop is the printer aborting the print (Buddy): the stop took effect.
  stop: new Set(['PRINTING', 'PAUSED', 'ATTENTION']),
};

export function tookEffect(action: ControlAction, job: Job | null | undefined): boolean {
  return !job || !NOT_YET[action].has(job.state);
}

export interface Effect {
  job: Job | null;
  /** False when the wait ended before the printer showed the change. */
  settled: boolean;
}

/** Reads the job until the command shows, for at most `waitMs`; stops early when `stopped()` (the node closed). */
export async function awaitEffect(
  client: PrusaLinkClient,
  action: ControlAction,
  stopped: () => boolean,
  waitMs = EFFECT_WAIT_MS,
): Promise<Effect> {
  const end = Date.now() + waitMs;
  for (;;) {
    const job = (await client.job()) ?? null;
    if (tookEffect(action, job)) return { job, settled: true };
    if (stopped() || Date.now() + POLL_MS > end) return { job, settled: false };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The job node's dot: the shared state colours (conventions §7); no job is grey. */
export function jobDot(RED: NodeAPI, job: Job | null): NodeStatus {
  if (!job) return statusOf.idle(sharedText(RED, 'state.noJob'));
  const state = job.state;
  if ((state === 'PRINTING' || state === 'PAUSED') && typeof job.progress === 'number') {
    return { fill: stateFill(state), shape: 'dot', text: sharedText(RED, 'state.' + state.toLowerCase() + 'Pct', { pct: Math.floor(job.progress) }) };
  }
  return { fill: stateFill(state), shape: 'dot', text: sharedText(RED, 'state.' + state.toLowerCase()) };
}

/** Yellow ring: the printer accepted the command and has not acted on it yet. */
export function requestedDot(RED: NodeAPI, action: ControlAction): NodeStatus {
  return statusOf.attention(RED._(`prusalink-job.status.${action}Requested`));
}
