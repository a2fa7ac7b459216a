/** One mapping of printer states to status dots, used by every node (conventions doc §7 table). */
import type { NodeAPI, NodeStatus } from 'node-red';
import type { PrinterStatus } from '../client/types';
import { sharedText } from './i18n';
import { statusOf } from './node-status';

const FILL: Record<string, NodeStatus['fill']> = {
  PRINTING: 'blue',
  BUSY: 'blue',
  IDLE: 'green',
  READY: 'green',
  FINISHED: 'green',
  PAUSED: 'yellow',
  ATTENTION: 'yellow',
  STOPPED: 'grey',
  UNKNOWN: 'grey',
  ERROR: 'red',
};

export function printerStatusDot(RED: NodeAPI, status: PrinterStatus): NodeStatus {
  const state = status.state;
  const fill = FILL[state] || 'grey';
  const progress = status.job?.progress;
  if ((state === 'PRINTING' || state === 'PAUSED') && typeof progress === 'number') {
    const pct = Math.floor(progress);
    return { fill, shape: 'dot', text: sharedText(RED, 'state.' + state.toLowerCase() + 'Pct', { pct }) };
  }
  // The client knows why in some cases the printer does not say (MINI 4.4.1's hidden filament change).
  if (state === 'ATTENTION' && status.reason) {
    return { fill, shape: 'dot', text: sharedText(RED, 'state.attentionReason', { reason: status.reason }) };
  }
  return { fill, shape: 'dot', text: sharedText(RED, 'state.' + state.toLowerCase()) };
}

/**
 * printerStatusDot for a node that shows every poll: the words are looked up (i18n) only when the state, the whole
 * percent or the reason changed, not 1,000 times a second in a farm.
 */
export function statusDotMemo(RED: NodeAPI): (status: PrinterStatus) => NodeStatus {
  let lastKey: string | undefined;
  let lastDot: NodeStatus = {};
  return (status) => {
    const progress = status.job?.progress;
    const key = `${status.state}|${typeof progress === 'number' ? Math.floor(progress) : ''}|${status.reason ?? ''}`;
    if (key !== lastKey) {
      lastKey = key;
      lastDot = printerStatusDot(RED, status);
    }
    return lastDot;
  };
}

export function connectingDot(RED: NodeAPI): NodeStatus {
  return statusOf.attention(sharedText(RED, 'state.connecting'));
}

/** A printer without a host (a farm slot not in use): grey, nothing to do. */
export function notConfiguredDot(RED: NodeAPI): NodeStatus {
  return statusOf.idle(sharedText(RED, 'state.notConfigured'));
}

/** The dot colour of a printer state, for nodes that show a state without a whole status (the job node). */
export function stateFill(state: string): NodeStatus['fill'] {
  return FILL[state] || 'grey';
}
