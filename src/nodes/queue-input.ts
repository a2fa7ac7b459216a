/**
 * What the queue node reads from a msg: the action, and for `add` the job's source (a printer path, a local file
 * inside the node's local folder, or a Buffer with its name), copies, start time and position. Only the shape is
 * checked here; the engine validates the values (copies, time, position, ids) and names the problem itself.
 */
import * as nodePath from 'node:path';
import type { NodeAPI } from 'node-red';
import type { QueueSource } from '../queue';
import type { InputMsg } from './types';
import { codedError } from './errors';
import { confineToBase } from './local-file';

export const ACTIONS = ['add', 'remove', 'move', 'clear', 'pause-queue', 'resume-queue', 'list', 'bed-cleared'] as const;
export type QueueAction = (typeof ACTIONS)[number];

export interface AddRequest {
  source: QueueSource;
  data?: Buffer;
  copies?: number;
  notBefore?: string | number | Date;
  position?: number;
}

const t = (RED: NodeAPI, key: string, vars?: Record<string, string | number>) => RED._('@makerflows/node-red-prusalink/prusalink-queue:prusalink-queue.errors.' + key, vars);

/** msg.action, one of ACTIONS; anything else is BAD_ACTION naming what came and what is allowed. */
export function actionOf(RED: NodeAPI, msg: InputMsg): QueueAction {
  const action = msg.action;
  if (typeof action === 'string' && (ACTIONS as readonly string[]).includes(action.trim())) return action.trim() as QueueAction;
  const shown = action === undefined ? '' : typeof action === 'string' ? action : JSON.stringify(action) ?? String(action);
  throw codedError('BAD_ACTION', t(RED, action === undefined ? 'noAction' : 'badAction', { action: String(shown), actions: ACTIONS.join(', ') }));
}

/** A non-empty string from the msg, or BAD_INPUT naming the property. */
function requireText(RED: NodeAPI, value: unknown, what: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw codedError('BAD_INPUT', t(RED, value === undefined || value === '' ? 'missing' : 'notText', { what, type: typeOf(value) }));
}

/** A trimmed string, or undefined when absent or blank; anything else is BAD_INPUT. */
function optionalText(RED: NodeAPI, value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw codedError('BAD_INPUT', t(RED, 'notText', { what, type: typeOf(value) }));
  return value.trim() === '' ? undefined : value.trim();
}

function typeOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : Buffer.isBuffer(value) ? 'Buffer' : value === null ? 'null' : typeof value;
}

/** msg.id of the job to remove or move. */
export function jobIdOf(RED: NodeAPI, msg: InputMsg): string {
  return requireText(RED, msg.id, 'msg.id');
}

/** A number, or a whole-number string ("2"), as numbers typed into inject nodes often arrive; undefined when absent. */
export function numberOf(value: unknown): unknown {
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return value;
}

/** msg.position: a whole number from 0 (or a string of one, as an inject node may send it); absent is undefined. */
export function positionOf(RED: NodeAPI, msg: InputMsg, required: boolean): number | undefined {
  const value = numberOf(msg.position);
  if (value === undefined && !required) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  const shown = value === undefined ? '' : JSON.stringify(value) ?? String(value);
  throw codedError('BAD_INPUT', t(RED, value === undefined ? 'missing' : 'badPosition', { what: 'msg.position', value: String(shown) }));
}

/** The job `add` describes. A local file must be inside `baseFolder` (resolved through links) before it is taken. */
export async function addRequestOf(RED: NodeAPI, msg: InputMsg, baseFolder: string): Promise<AddRequest> {
  const target = optionalText(RED, msg.target, 'msg.target');
  const extras = {
    copies: numberOf(msg.copies) as number | undefined,
    notBefore: (msg.notBefore ?? msg.startAt) as string | number | Date | undefined,
    position: positionOf(RED, msg, false),
  };
  if (Buffer.isBuffer(msg.payload)) {
    const name = requireText(RED, msg.filename, 'msg.filename');
    return { source: { kind: 'buffer', name: nodePath.basename(name), ...(target ? { target } : {}) }, data: msg.payload, ...extras };
  }
  const file = optionalText(RED, msg.file, 'msg.file');
  if (file !== undefined) return { source: { kind: 'local', file: await localFileOf(RED, file, baseFolder), ...(target ? { target } : {}) }, ...extras };
  const path = requireText(RED, msg.path ?? msg.payload, 'msg.path (or msg.payload)');
  return { source: { kind: 'printer', path }, ...extras };
}

async function localFileOf(RED: NodeAPI, file: string, baseFolder: string): Promise<string> {
  if (!baseFolder) throw codedError('BAD_INPUT', t(RED, 'noBaseFolder', { file }));
  const confined = await confineToBase(baseFolder, file);
  if ('file' in confined) return confined.file;
  const code = confined.refused === 'unreadable' ? 'FILE_NOT_FOUND' : 'BAD_INPUT';
  throw codedError(code, t(RED, 'local.' + confined.refused, { file, base: baseFolder, reason: confined.reason ?? '' }));
}
