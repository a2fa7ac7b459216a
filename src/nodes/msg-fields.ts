/**
 * Values a node reads from its own settings or from the msg, with one rule for every node and property: a value set
 * in the node wins; the msg property fills a field left blank. An ignored msg value is said once per node and
 * property (a warning per msg would flood the log of a busy flow).
 */
import type { Node, NodeAPI } from 'node-red';
import type { InputMsg } from './types';
import { codedError } from './errors';
import { sharedText } from './i18n';

/** The rule itself, without Node-RED: the value to use, and whether a different msg value was passed over. */
export function nodeWins<T>(nodeValue: string | undefined, msgValue: T): { value: string | T; ignored: boolean } {
  if (nodeValue !== undefined && nodeValue !== '') return { value: nodeValue, ignored: msgValue !== undefined && msgValue !== nodeValue };
  return { value: msgValue, ignored: false };
}

export class MsgFields {
  private readonly warned = new Set<string>();

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
  ) {}

  pick(nodeValue: string | undefined, msg: InputMsg, prop: string): unknown {
    const { value, ignored } = nodeWins(nodeValue, msg[prop]);
    if (ignored) this.warnIgnored([prop]);
    return value;
  }

  /** Says, once per node and property, that the node's settings override these msg properties. */
  warnIgnored(props: readonly string[]): void {
    for (const prop of props) {
      if (this.warned.has(prop)) continue;
      this.warned.add(prop);
      this.node.warn(sharedText(this.RED, 'warn.msgIgnored', { prop }));
    }
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
