/**
 * The one controller every flow node is built on (in the spirit of Home Assistant's InputOutputController and the
 * core `http request` node's single input handler). Lifecycle of a node:
 * 1. `registerFlowNode` registers the type; for each deploy Node-RED calls the constructor, which runs createNode
 *    and makes a FlowController: it finds the printer config node (none: a red CONFIG ring now, and each msg fails
 *    with a CONFIG error a Catch node catches) and hands itself to the node's own `setup`.
 * 2. `setup` registers the node's work with `onInput`, and a poll watcher with `watch` if the node has one.
 * 3. Each msg is counted in flight and worked on with a Turn (its hold on the status dot, node-status.ts); its end
 *    sends the msg and calls done(), or hands done(err) the error with its code for msg.error.code.
 * 4. Close: abort the running job, fail the queued ones, unwatch, clear the status, then done. Nodes made with
 *    `abortedText` (uploads, syncs) also end every msg taken at once with ABORTED, as soon as a deploy announces it
 *    stops them (see stop()).
 */
import type { Node, NodeAPI, NodeMessage, NodeStatus } from 'node-red';
import type { PrusaLinkClient } from '../client';
import type { FlowNodeDef, InputMsg, PollWatcher, PrinterNode } from './types';
import { asCodedError, codedError, errorStatus } from './errors';
import { sharedText } from './i18n';
import { MsgFields } from './msg-fields';
import { StatusBoard, type Turn } from './node-status';
import { stopsNode, type StoppingInfo } from './deploy-stop';

export interface FlowNodeOptions {
  /**
   * For nodes whose work outlives a deploy: the words of the ABORTED error every msg taken ends with when the node
   * stops. Without it, a msg in flight at close still ends (send or error) when its request does.
   */
  abortedText?: (RED: NodeAPI) => string;
}

/** The work a node does for one msg: the msg to send, or null to send nothing. */
export type InputWork = (msg: InputMsg, turn: Turn) => Promise<NodeMessage | null>;

export function registerFlowNode<C extends FlowNodeDef>(
  RED: NodeAPI,
  type: string,
  setup: (ctl: FlowController<C>) => void,
  options: FlowNodeOptions = {},
): void {
  function FlowNode(this: Node, config: C) {
    RED.nodes.createNode(this, config);
    setup(new FlowController(RED, this, config, options));
  }
  RED.nodes.registerType(type, FlowNode);
}

export class FlowController<C extends FlowNodeDef> {
  readonly printer: PrinterNode | null;
  /** Node settings or msg values, with the once-per-node warning. */
  readonly fields: MsgFields;
  /** The optional one-at-a-time queue: a stop aborts its running job and fails the queued ones. */
  readonly queue = new OneAtATime();
  private readonly board: StatusBoard;
  /** done() of every msg taken and not yet answered, for nodes that end them on a stop. */
  private readonly pending = new Set<(err: Error) => void>();
  private readonly watchers: PollWatcher[] = [];

  constructor(
    readonly RED: NodeAPI,
    readonly node: Node,
    readonly config: C,
    private readonly options: FlowNodeOptions,
  ) {
    this.board = new StatusBoard(RED, node);
    this.fields = new MsgFields(RED, node);
    this.printer = config.printer ? (RED.nodes.getNode(config.printer) as PrinterNode | null) : null;
    if (!this.printer) this.show(errorStatus(RED, codedError('CONFIG', '')));

    const onStopping = (info: StoppingInfo): void => {
      if (!stopsNode(info, node as Node & { z?: string })) return;
      this.stop();
      this.board.stop();
    };
    if (options.abortedText) RED.events.on('flows:stopping', onStopping);
    node.on('close', (done: () => void) => {
      RED.events.removeListener('flows:stopping', onStopping);
      this.stop();
      for (const watcher of this.watchers.splice(0)) this.printer?.unwatch(watcher);
      this.board.stop();
      done();
    });
  }

  /** The printer's shared client; without a printer, the CONFIG error a Catch node catches. */
  client(): PrusaLinkClient {
    const { RED } = this;
    if (!this.printer) throw codedError('CONFIG', sharedText(RED, 'errors.noPrinter'));
    return this.printer.getClient();
  }

  /** True once the node stopped (closed, or announced as stopping): long waits end early. */
  get closed(): boolean {
    return this.board.isStopped;
  }

  /** A status outside any msg (a poll's printer state). */
  show(status: NodeStatus): void {
    this.board.show(status);
  }

  /** Polls through the printer's shared poller until the node closes. */
  watch(watcher: PollWatcher, intervalMs: number): void {
    if (!this.printer) return;
    this.watchers.push(watcher);
    this.printer.watch(watcher, intervalMs);
  }

  onInput(work: InputWork): void {
    const { RED, node } = this;
    // Exactly three plain parameters: the runtime treats the handler as done-aware only if length === 3.
    node.on('input', (msg: NodeMessage, send: (m: NodeMessage) => void, done: (err?: Error) => void) => {
      const turn = this.board.begin();
      const answered = this.track(done);
      startWork(work, msg as InputMsg, turn).then(
        (out) => {
          if (answered()) return;
          turn.end();
          if (out) send(out);
          done();
        },
        (thrown) => {
          if (answered()) return;
          const err = asCodedError(thrown);
          turn.end(errorStatus(RED, err));
          done(err);
        },
      );
    });
  }

  /** Keeps done() where a stop can end the msg; answers whether the stop has already answered it. */
  private track(done: (err: Error) => void): () => boolean {
    if (!this.options.abortedText) return () => false;
    const entry = (err: Error) => done(err);
    this.pending.add(entry);
    return () => !this.pending.delete(entry);
  }

  /**
   * Ends the node's work: aborts the queue's running job and fails its queued ones, and for nodes with `abortedText`
   * ends every msg taken with ABORTED. "At once" matters: a full deploy closes every node of the flow in one
   * synchronous loop, Catch nodes first when they come first, and an error handed to done() later goes to a closed
   * Catch node, is counted as handled and is never logged: the msg is simply lost (an HTTP-in flow hangs). So those
   * msgs end when the runtime announces the stop, and at close for any stop that announcement missed.
   */
  private stop(): void {
    const { RED } = this;
    const aborted = () => codedError('ABORTED', this.options.abortedText?.(RED) ?? sharedText(RED, 'reason.aborted'));
    this.queue.stop(aborted());
    for (const end of [...this.pending]) {
      this.pending.delete(end);
      end(aborted());
    }
  }
}

/** The node's work as a promise, even if it throws before its first await. */
function startWork(work: InputWork, msg: InputMsg, turn: Turn): Promise<NodeMessage | null> {
  try {
    return work(msg, turn);
  } catch (thrown) {
    return Promise.reject(thrown);
  }
}

interface QueuedJob {
  /** Runs the job; `finished` is called before its caller hears the outcome, so `size` is already right then. */
  start(signal: AbortSignal, finished: () => void): void;
  fail(reason: Error): void;
}

/**
 * The controller's optional queue: work a node runs one job at a time (a printer takes one transfer at a time; two
 * syncs of one folder would race). Each job gets an AbortSignal. A stop aborts the running job and fails every queued
 * one at once: none of them may start after the node's msgs were answered.
 */
export class OneAtATime {
  private readonly queued: QueuedJob[] = [];
  private running: AbortController | null = null;
  private stopReason: Error | null = null;

  /** Jobs running or waiting: how many a new job would wait behind. */
  get size(): number {
    return this.queued.length + (this.running ? 1 : 0);
  }

  run<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.stopReason) return Promise.reject(this.stopReason);
    return new Promise<T>((resolve, reject) => {
      const start = (signal: AbortSignal, finished: () => void): void => {
        Promise.resolve()
          .then(() => job(signal))
          .then(
            (value) => {
              finished();
              resolve(value);
            },
            (err: unknown) => {
              finished();
              reject(err);
            },
          );
      };
      this.queued.push({ start, fail: reject });
      this.next();
    });
  }

  /** Aborts the running job with `reason` and fails every queued one with it; later jobs fail at once. */
  stop(reason: Error): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    this.running?.abort(reason);
    for (const job of this.queued.splice(0)) job.fail(reason);
  }

  private next(): void {
    if (this.running) return;
    const job = this.queued.shift();
    if (!job) return;
    const controller = new AbortController();
    this.running = controller;
    job.start(controller.signal, () => {
      this.running = null;
      this.next();
    });
  }
}
