/**
 * `prusalink-sync`: makes a printer folder match a local folder on each input msg (an inject, or the core `watch`
 * node's change events). Syncs run one at a time per node; msgs arriving while one waits its turn join that waiting
 * sync (a burst of watch events costs one sync), their changed paths passed on as hints.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Node, NodeAPI } from 'node-red';
import { syncFolder, type SyncProgress, type SyncSummary } from '../sync';
import type { FlowNodeDef, InputMsg } from './types';
import { MsgFields, clientOf, optionalText, printerOf, requireText, workingStatus } from './flow-node';
import { onAbortableInput } from './abortable-input';
import { codedError } from './errors';

interface SyncDef extends FlowNodeDef {
  /** Local folder. */
  folder: string;
  /** Printer folder. */
  target: string;
  deleteExtras: boolean;
  dryRun: boolean;
  manifest: string;
}

interface SyncParams {
  localFolder: string;
  remoteFolder: string;
  dryRun: boolean;
}

interface Pending {
  params: SyncParams;
  hints: Set<string>;
  result: Promise<SyncSummary>;
}

export = function (RED: NodeAPI) {
  function PrusaLinkSync(this: Node, config: SyncDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const printer = printerOf(RED, node, config);
    const fields = new MsgFields(RED, node);
    let queue: Promise<unknown> = Promise.resolve();
    let waiting: Pending | null = null;
    let running: AbortController | null = null;
    let closed = false;

    function paramsOf(msg: InputMsg): SyncParams {
      const localFolder = requireText(RED, fields.pick(config.folder, msg, 'folder'), 'folder');
      const target = fields.pick(config.target, msg, 'target');
      return {
        localFolder: path.resolve(localFolder),
        remoteFolder: optionalText(RED, target, 'target') ?? '',
        // a dry run asked for by the msg is always honoured: it can only make the node do less
        dryRun: config.dryRun === true || msg.dryRun === true,
      };
    }

    /** A local folder that is missing or a file is the user's input to fix, said before the printer is asked. */
    async function checkLocalFolder(folder: string): Promise<void> {
      const stat = await fs.stat(folder).catch(() => undefined);
      if (!stat) throw codedError('INVALID_ARGUMENT', RED._('prusalink-sync.errors.noFolder', { folder }));
      if (!stat.isDirectory()) throw codedError('INVALID_ARGUMENT', RED._('prusalink-sync.errors.notFolder', { folder }));
    }

    /** A watch node sends the changed file's full path in msg.filename (and msg.payload). */
    function hintOf(msg: InputMsg, localFolder: string): string | undefined {
      const p = typeof msg.filename === 'string' ? msg.filename : typeof msg.payload === 'string' ? msg.payload : undefined;
      if (!p || !path.isAbsolute(p)) return undefined;
      const rel = path.relative(localFolder, p);
      return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? p : undefined;
    }

    async function run(p: Pending): Promise<SyncSummary> {
      if (closed) throw codedError('ABORTED', RED._('prusalink-sync.errors.aborted'));
      const client = clientOf(RED, printer);
      const controller = new AbortController();
      running = controller;
      node.status(workingStatus(RED));
      try {
        return await syncFolder(client, {
          localFolder: p.params.localFolder,
          remoteFolder: p.params.remoteFolder,
          dryRun: p.params.dryRun,
          deleteExtras: config.deleteExtras === true,
          manifestPath: config.manifest ? path.resolve(config.manifest) : undefined,
          changedPaths: [...p.hints],
          signal: controller.signal,
          onProgress: (pr: SyncProgress) => {
            if (!closed && pr.done < pr.total)
              node.status({ fill: 'blue', shape: 'dot', text: RED._('prusalink-sync.status.syncing', { done: pr.done + 1, total: pr.total }) });
          },
        });
      } finally {
        if (running === controller) running = null;
      }
    }

    function showResult(s: SyncSummary): void {
      const vars = { uploaded: s.uploaded.length, deleted: s.deleted.length, failed: s.failed.length };
      if (s.dryRun) node.status({ fill: 'grey', shape: 'ring', text: RED._('prusalink-sync.status.dryRun', vars) });
      else if (s.failed.length > 0) node.status({ fill: 'yellow', shape: 'ring', text: RED._('prusalink-sync.status.done', vars) });
      else node.status({ fill: 'green', shape: 'dot', text: RED._('prusalink-sync.status.done', vars) });
      if (s.failed.length > 0) node.warn(RED._('prusalink-sync.warn.failed', { count: s.failed.length, first: `${s.failed[0].path}: ${s.failed[0].message}` }));
    }

    /**
     * A watch node also reports the sync's own manifest writes (a dot-file in the watched folder by default):
     * syncing on those would only loop. Dot-files are never synced, so their changes need no sync.
     */
    function isIgnoredChange(msg: InputMsg): boolean {
      const p = typeof msg.filename === 'string' ? msg.filename : undefined;
      if (!p || !path.isAbsolute(p)) return false;
      return path.basename(p).startsWith('.') || (!!config.manifest && path.resolve(config.manifest) === p);
    }

    // A stop ends every pending msg at once with ABORTED (abortable-input.ts); the close below aborts the sync itself.
    onAbortableInput(RED, node, () => RED._('prusalink-sync.errors.aborted'), async (msg) => {
      if (isIgnoredChange(msg)) return null;
      const params = paramsOf(msg);
      await checkLocalFolder(params.localFolder);
      const hint = hintOf(msg, params.localFolder);
      const w = waiting;
      if (w && JSON.stringify(w.params) === JSON.stringify(params)) {
        // joins the sync that has not started yet; that one reports (and fails, if it does), this msg completes silently
        if (hint) w.hints.add(hint);
        await w.result.catch(() => undefined);
        return null;
      }
      const hints = new Set<string>(hint ? [hint] : []);
      const turn = queue.then(() => {
        if (waiting === pending) waiting = null;
        return run(pending);
      });
      const pending: Pending = { params, hints, result: turn };
      waiting = pending;
      queue = turn.catch(() => undefined);
      const summary = await turn;
      if (!closed) showResult(summary);
      msg.payload = summary;
      return msg;
    });

    node.on('close', (done: () => void) => {
      closed = true;
      running?.abort();
      node.status({});
      done();
    });
  }

  RED.nodes.registerType('prusalink-sync', PrusaLinkSync);
};
