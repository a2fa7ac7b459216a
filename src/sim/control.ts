/**
 * The test/benchmark handle on a simulated printer: the programmatic SimControl and the same operations over HTTP
 * under `/_sim/` (header `X-Sim-Token` required; never recorded as printer requests).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { keyMatches } from './auth/apikey';
import { validateFaults } from './faults';
import type { SimState } from './model/types';
import { splitPath, type SimRuntime } from './runtime';
import { enterSituation } from './families/buddy-situations';
import type { SimControl, SimFaults, SimSituation } from './types';

const STATES: SimState[] = ['IDLE', 'BUSY', 'PRINTING', 'PAUSED', 'FINISHED', 'STOPPED', 'ERROR', 'ATTENTION', 'READY'];
const CONTROL_BODY_LIMIT = 64 * 1024 * 1024;

export function createControl(
  rt: SimRuntime,
  listening: { refuse(): Promise<void>; listen(): Promise<void> },
): SimControl {
  return {
    get state() {
      rt.tick();
      return rt.model.state;
    },
    setState(state: SimState, reason?: string) {
      if (!STATES.includes(state)) throw new Error(`unknown state: ${String(state)}`);
      rt.tick();
      rt.model.setState(state, reason);
    },
    startPrint(path: string) {
      rt.tick();
      const entry = rt.primary.resolve(splitPath(path));
      if (!entry || entry.kind !== 'file') throw new Error(`no such file: ${path}`);
      if (!rt.model.startPrint(entry)) throw new Error(`printer not ready (${rt.model.state})`);
    },
    filamentRunout() {
      rt.tick();
      if (!rt.model.filamentRunout()) throw new Error(`no print running (${rt.model.state})`);
    },
    situation(situation: SimSituation) {
      rt.tick();
      enterSituation(rt, situation);
    },
    setMainScreen(onMain: boolean) {
      rt.mainScreen = onMain;
    },
    setFaults(faults: SimFaults) {
      rt.faults = { ...validateFaults(faults) };
      rt.staleNonces.clear();
    },
    clearFaults() {
      rt.faults = {};
      rt.staleNonces.clear();
    },
    refuse: () => listening.refuse(),
    listen: () => listening.listen(),
    reboot: () => rt.reboot(),
    setSpeed: (speed: number) => rt.setSpeed(speed),
    requests: () => rt.recorder.list(),
    clearRequests: () => rt.recorder.clear(),
    addFile(path: string, content: string | Buffer) {
      rt.primary.put(splitPath(path), Buffer.isBuffer(content) ? content : Buffer.from(content), { overwrite: true });
    },
    listFiles() {
      return rt.primary.walk().map((e) => e.segments.join('/') + (e.kind === 'folder' ? '/' : ''));
    },
    readFile(path: string) {
      const entry = rt.primary.resolve(splitPath(path));
      if (!entry || entry.kind !== 'file') return undefined;
      try {
        return rt.primary.read(entry.segments);
      } catch {
        return undefined;
      }
    },
  };
}

/** HTTP face of the control handle. Answers JSON; errors are `{error}` with 400/403/404. */
export function createControlHandler(rt: SimRuntime, control: SimControl) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const reply = (status: number, value?: unknown) => {
      const body = value === undefined ? '' : JSON.stringify(value);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    const token = req.headers['x-sim-token'];
    if (typeof token !== 'string' || !keyMatches(token, rt.opts.controlToken)) {
      req.resume();
      return reply(403, { error: 'missing or wrong X-Sim-Token' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= CONTROL_BODY_LIMIT) chunks.push(c);
    });
    req.on('end', () => {
      try {
        const url = new URL(req.url ?? '/', 'http://sim');
        const [, , what, ...rest] = url.pathname.split('/');
        const body = Buffer.concat(chunks);
        const out = route(control, req.method ?? 'GET', what ?? '', rest.map(decodeURIComponent), body);
        if (out === undefined) return reply(404, { error: 'unknown control endpoint' });
        reply(out.status, out.value);
      } catch (e) {
        reply(400, { error: e instanceof Error ? e.message : String(e) });
      }
    });
  };
}

type Result = { status: number; value?: unknown } | undefined;

function json(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const v: unknown = JSON.parse(body.toString('utf8'));
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('body must be a JSON object');
  return v as Record<string, unknown>;
}

function route(c: SimControl, method: string, what: string, rest: string[], body: Buffer): Result {
  const ok = { status: 200, value: { ok: true } };
  switch (`${method} ${what}`) {
    case 'GET state':
      return { status: 200, value: { state: c.state } };
    case 'POST state': {
      const b = json(body);
      c.setState(b['state'] as SimState, typeof b['reason'] === 'string' ? b['reason'] : undefined);
      return ok;
    }
    case 'POST faults':
      c.setFaults(json(body) as SimFaults);
      return ok;
    case 'DELETE faults':
      c.clearFaults();
      return ok;
    case 'GET requests':
      return { status: 200, value: c.requests() };
    case 'DELETE requests':
      c.clearRequests();
      return ok;
    case 'POST print':
      c.startPrint(String(json(body)['path'] ?? ''));
      return ok;
    case 'POST filament-runout':
      c.filamentRunout();
      return ok;
    case 'POST situation':
      c.situation(json(body)['situation'] as SimSituation);
      return ok;
    case 'POST main-screen':
      c.setMainScreen(json(body)['onMain'] !== false);
      return ok;
    case 'GET files':
      return { status: 200, value: c.listFiles() };
    case 'PUT files': {
      const path = rest.join('/');
      if (!path) throw new Error('PUT /_sim/files/<path> with the content as the body');
      c.addFile(path, body);
      return ok;
    }
    case 'POST reboot':
      c.reboot();
      return ok;
    case 'POST speed':
      c.setSpeed(Number(json(body)['speed']));
      return ok;
    default:
      return undefined;
  }
}
