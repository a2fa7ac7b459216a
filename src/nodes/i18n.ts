/** Message keys shared by every node live in the config node's catalogue (its own i18n namespace). */
import type { NodeAPI } from 'node-red';

export const PRINTER_NS = '@makerflows/node-red-prusalink/prusalink-printer:prusalink-printer.';

/** Translates a key of the shared catalogue, e.g. `state.printing`. */
export function sharedText(RED: NodeAPI, key: string, vars?: Record<string, string | number>): string {
  return RED._(PRINTER_NS + key, vars);
}
