/** `/api/v1/job/{id}...` (both v1 families) and legacy `POST /api/job`. */
import { readCommand } from '../http/body';
import type { Exchange } from '../http/exchange';

/** `rest` is what follows `/api/v1/job/`: `[id]` or `[id, command]`. */
export function jobById(ex: Exchange, rest: string[]): void {
  const rt = ex.rt;
  const pi = rt.family === 'pi';
  rt.tick();
  const [idText, command] = rest;
  if (rest.length > 2) return ex.error(404, 'Not found');
  if (!/^\d+$/.test(idText)) return ex.error(pi ? 404 : 400, 'Invalid job id');
  const job = rt.model.job;
  const current = job && job.id === Number(idText) && (pi || !rt.model.jobEnded);
  if (command === undefined) {
    if (ex.method === 'PUT' && !pi) return ex.error(400, 'Missing command');
    if (ex.method !== 'DELETE') return ex.error(405, 'Method not allowed');
    if (!current) return ex.error(404, 'Not current job');
    return rt.jobCommand('stop') ? ex.empty(204) : ex.error(409, 'Not printing');
  }
  if (ex.method !== 'PUT') return ex.error(405, 'Method not allowed');
  if (command === 'continue') return pi ? ex.empty(204) : ex.error(400, 'Unknown command');
  if (command !== 'pause' && command !== 'resume') return pi ? ex.empty(204) : ex.error(400, 'Unknown command');
  if (!current) return ex.error(404, 'Not current job');
  const ok = rt.jobCommand(command);
  return ok ? ex.empty(204) : ex.error(409, command === 'pause' ? 'Not printing' : 'Not paused');
}

/** Legacy `POST /api/job`: cancel, pause with action pause|resume|toggle (Pi spells it `toogle`), Pi also `start`. */
export async function legacyJobCommand(ex: Exchange): Promise<void> {
  const rt = ex.rt;
  const cmd = await readCommand(ex, rt.family === 'pi' ? 1_000_000 : 100);
  if (!cmd) return;
  rt.tick();
  const model = rt.model;
  switch (cmd['command']) {
    case 'cancel':
      return rt.jobCommand('stop') ? ex.empty(204) : ex.error(409, 'Not printing');
    case 'pause': {
      const action = cmd['action'];
      const toggle = rt.family === 'pi' ? 'toogle' : 'toggle';
      let ok: boolean;
      if (action === 'pause') ok = rt.jobCommand('pause');
      else if (action === 'resume') ok = rt.jobCommand('resume');
      else if (action === toggle) ok = rt.jobCommand(model.state === 'PAUSED' ? 'resume' : 'pause');
      else return ex.error(400, 'Invalid action');
      return ok ? ex.empty(204) : ex.error(409, 'Invalid printer state');
    }
    case 'start':
      if (rt.family === 'pi' && model.job && model.startPrint(model.job.file)) return ex.empty(204);
      return rt.family === 'pi' ? ex.error(409, 'Invalid printer state') : ex.error(400, 'Unknown command');
    default:
      return ex.error(400, 'Unknown command');
  }
}
