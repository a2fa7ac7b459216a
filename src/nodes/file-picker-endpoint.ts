/**
 * Admin endpoint behind the path fields' autocomplete: `GET prusalink-printer/<id>/files?path=<folder>` lists one
 * folder of a DEPLOYED printer through its shared client (same agent, scheduler and credentials as the flows).
 * A printer only typed in the editor has no client yet: the answer says to deploy first. Errors come back as
 * JSON with the client's code; the client's messages never carry a secret.
 */
import type { NodeAPI } from 'node-red';
import type { FileEntry } from '../client/types';
import type { PrinterNode } from './types';
import { asCodedError } from './errors';

/** One suggestion: `path` is what the node will use (8.3 form on Buddy), `display_path` what people read. */
export interface PickerEntry {
  path: string;
  display_path: string;
  name: string;
  display_name: string;
  folder: boolean;
}

interface Request {
  params: { id?: string };
  query: { path?: unknown };
}
interface Response {
  status(code: number): Response;
  json(body: unknown): void;
}

const CODE_STATUS: Record<string, number> = { NOT_FOUND: 404, INVALID_PATH: 400, INVALID_ARGUMENT: 400, CONFIG: 400 };

function entryOf(e: FileEntry): PickerEntry {
  return { path: e.path, display_path: e.display_path, name: e.name, display_name: e.display_name, folder: e.type === 'FOLDER' };
}

export function registerFilePickerEndpoint(RED: NodeAPI): void {
  RED.httpAdmin.get(
    '/prusalink-printer/:id/files',
    RED.auth.needsPermission('prusalink-printer.read'),
    (req: Request, res: Response) => {
      const id = String(req.params.id ?? '');
      const node = RED.nodes.getNode(id) as PrinterNode | null;
      if (!node || node.type !== 'prusalink-printer') {
        res.status(404).json({
          code: 'NOT_DEPLOYED',
          message: 'this printer is not deployed: deploy it first, then its files can be listed here',
        });
        return;
      }
      const folder = typeof req.query.path === 'string' ? req.query.path : '';
      const run = async () => {
        const listing = await node.getClient().list(folder);
        return { path: listing.path, entries: listing.entries.map(entryOf) };
      };
      run()
        .then((answer) => res.json(answer))
        .catch((thrown) => {
          const err = asCodedError(thrown);
          res.status(CODE_STATUS[err.code] ?? 502).json({ code: err.code, message: err.message });
        });
    },
  );
}
