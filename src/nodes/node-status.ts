/**
 * What a node's status dot says, and who may set it. The colours keep one meaning in every node (conventions §7):
 * blue working, green done, red ring error, grey idle; a yellow ring asks for a look (not done yet, or done with
 * failures). Node files pick a meaning here and never write a colour themselves.
 */
import type { Node, NodeAPI, NodeStatus } from 'node-red';
import { sharedText } from './i18n';

export const statusOf = {
  working: (text: string): NodeStatus => ({ fill: 'blue', shape: 'dot', text }),
  /** Taken, waiting for its turn behind another msg. */
  queued: (text: string): NodeStatus => ({ fill: 'blue', shape: 'ring', text }),
  done: (text: string): NodeStatus => ({ fill: 'green', shape: 'dot', text }),
  failed: (text: string): NodeStatus => ({ fill: 'red', shape: 'ring', text }),
  idle: (text: string): NodeStatus => ({ fill: 'grey', shape: 'dot', text }),
  /** A dry run: shown, nothing done. */
  preview: (text: string): NodeStatus => ({ fill: 'grey', shape: 'ring', text }),
  attention: (text: string): NodeStatus => ({ fill: 'yellow', shape: 'ring', text }),
};

/** One msg's hold on the status: what it shows while it works, and what it leaves when it ends. */
export interface Turn {
  /** A working state of the shared catalogue (`state.<key>`), shown now. */
  working(key?: string): void;
  /** Any status shown now (progress words, "queued"). */
  show(status: NodeStatus): void;
  /** Green "done" (or the given words) once this msg ends. */
  done(text?: string): void;
  /** The status this msg leaves once it ends (a printer state, a dry run, ...). */
  finish(status: NodeStatus): void;
}

/**
 * The node's status across msgs in flight. Two msgs at once each set their own dot: without a count the first to
 * finish would show "done" while the second still works. So a msg's final status waits until no other msg is in
 * flight, and the last one to end sets it. After a stop nothing is shown: the node's status stays cleared.
 */
export class StatusBoard {
  private inFlight = 0;
  /** What the dot shows now: the same status is not set again (a farm's status nodes would set it every poll). */
  private shown = '';
  /** The final status of a msg that ended while another was still working. */
  private deferred: NodeStatus | null = null;
  private stopped = false;

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
  ) {}

  show(status: NodeStatus): void {
    if (this.stopped) return;
    const key = `${status.fill ?? ''}|${status.shape ?? ''}|${status.text ?? ''}`;
    if (key === this.shown) return;
    this.shown = key;
    this.node.status(status);
  }

  /** Counts a msg in; `end` (with its final status, if any) counts it out. */
  begin(): Turn & { end(failed?: NodeStatus): void } {
    const { RED } = this;
    this.inFlight++;
    let outcome: NodeStatus | null = null;
    let ended = false;
    return {
      working: (key = 'working') => this.show(statusOf.working(sharedText(RED, 'state.' + key))),
      show: (status) => this.show(status),
      done: (text) => {
        outcome = statusOf.done(text ?? sharedText(RED, 'state.done'));
      },
      finish: (status) => {
        outcome = status;
      },
      end: (failed) => {
        if (ended || this.stopped) return;
        ended = true;
        this.inFlight--;
        if (failed ?? outcome) this.deferred = failed ?? outcome;
        if (this.inFlight === 0 && this.deferred) {
          this.show(this.deferred);
          this.deferred = null;
        }
      },
    };
  }

  /** The node stops: its status is cleared and stays so; msgs still in flight end without a word. */
  stop(): void {
    this.stopped = true;
    this.inFlight = 0;
    this.deferred = null;
    this.node.status({});
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}
