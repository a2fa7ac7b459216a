/**
 * What every flow node does the same way: find its printer, run one async job per input msg with
 * Node-RED's (msg, send, done) contract, and show working / error status.
 */
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import type { PrusaLinkClient } from '../client';
import type { CodedError, FlowNodeDef, InputMsg, PrinterNode } from './types';
import { asCodedError, codedError, errorStatus } from './errors';
import { sharedText } from './i18n';

export function printerOf(RED: NodeAPI, node: Node, config: FlowNodeDef): PrinterNode | null {
  const printer = config.printer ? (RED.nodes.getNode(config.printer) as PrinterNode | null) : null;
  if (!printer) node.status(errorStatus(RED, codedError('CONFIG', '')));
  return printer;
}

export function clientOf(RED: NodeAPI, printer: PrinterNode | null): PrusaLinkClient {
  if (!printer) throw codedError('CONFIG', sharedText(RED, 'errors.noPrinter'));
  return printer.getClient();
}

/**
 * Registers the input handler. `work` returns the msg to send, or null to send nothing. A failure
 * reaches Catch nodes through done(err), with the error's code in msg.error.code.
 */
export function onInput(
  RED: NodeAPI,
  node: Node,
  work: (msg: InputMsg) => Promise<NodeMessage | null>,
): void {
  let closed = false;
  node.on('close', () => {
    closed = true;
  });
  // Exactly three plain parameters: the runtime treats the handler as done-aware only if length === 3.
  node.on('input', (msg: NodeMessage, send: (m: NodeMessage) => void, done: (err?: Error) => void) => {
    work(msg as InputMsg).then(
      (out) => {
        if (out) send(out);
        done();
      },
      (thrown) => {
        const err: CodedError = asCodedError(thrown);
        // A node already closed keeps its cleared status; the error still reaches done().
        if (!closed) node.status(errorStatus(RED, err));
        done(err);
      },
    );
  });
}

export function workingStatus(RED: NodeAPI, key = 'working'): { fill: 'blue'; shape: 'dot'; text: string } {
  return { fill: 'blue', shape: 'dot', text: sharedText(RED, 'state.' + key) };
}

/**
 * A value set in the node wins; the msg property fills a field left blank. An ignored msg value is
 * reported once per node and property, not once per message.
 */
export class MsgFields {
  private readonly warned = new Set<string>();

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
  ) {}

  pick(nodeValue: string | undefined, msg: InputMsg, prop: string): unknown {
    const fromMsg = msg[prop];
    if (nodeValue !== undefined && nodeValue !== '') {
      if (fromMsg !== undefined && fromMsg !== nodeValue && !this.warned.has(prop)) {
        this.warned.add(prop);
        this.node.warn(sharedText(this.RED, 'warn.msgIgnored', { prop }));
      }
      return nodeValue;
    }
    return fromMsg;
  }
}

/** A non-empty string or a clear INVALID_ARGUMENT error naming what is missing (or what is not text). */
export function requireText(RED: NodeAPI, value: unknown, what: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (value !== undefined && value !== null && typeof value !== 'string') throw notText(RED, value, what);
  throw codedError('INVALID_ARGUMENT', sharedText(RED, 'errors.missing', { what }));
}

/**
 * A trimmed string, or undefined when blank or absent (the node's default, e.g. the storage root). Anything else
 * is an error: `msg.path = 42` once listed the root as if no path had been given.
 */
export function optionalText(RED: NodeAPI, value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw notText(RED, value, what);
  return value.trim() === '' ? undefined : value.trim();
}

function notText(RED: NodeAPI, value: unknown, what: string) {
  const type = Array.isArray(value) ? 'array' : Buffer.isBuffer(value) ? 'Buffer' : typeof value;
  return codedError('INVALID_ARGUMENT', sharedText(RED, 'errors.notText', { what, type }));
}
