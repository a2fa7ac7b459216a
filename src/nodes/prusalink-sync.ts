/**
 * `prusalink-sync`: makes a printer folder match a local folder on each input msg (an inject, or the core `watch`
 * node's change events). Syncs run one at a time per node; msgs arriving while one waits its turn join that waiting
 * sync (a burst of watch events costs one sync), their changed paths passed on as hints.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { NodeAPI } from 'node-red';
import { syncFolder, type SyncProgress, type SyncSummary } from '../sync';
import type { FlowNodeDef } from './types';
import { registerFlowNode } from './controller';
import { statusOf } from './node-status';
import { codedError } from './errors';
import { changedPathOf, isIgnoredChange, syncParamsOf, type SyncParams } from './sync-input';

interface SyncDef extends FlowNodeDef {
  /** Local folder. */
  folder: string;
  /** Printer folder. */
  target: string;
  deleteExtras: boolean;
  dryRun: boolean;
  manifest: string;
}

/** A sync taken and not started yet: later msgs with the same parameters join it. */
interface WaitingSync {
  params: SyncParams;
  hints: Set<string>;
  result: Promise<SyncSummary>;
}

type ShowProgress = (text: string) => void;

export = function (RED: NodeAPI) {
  registerFlowNode<SyncDef>(RED, 'prusalink-sync', (ctl) => {
    const { node, config } = ctl;
    let waiting: WaitingSync | null = null;

    function sync(params: SyncParams, hints: Set<string>, signal: AbortSignal, showProgress: ShowProgress): Promise<SyncSummary> {
      return syncFolder(ctl.client(), {
        ...params,
        deleteExtras: config.deleteExtras === true,
        manifestPath: config.manifest ? path.resolve(config.manifest) : undefined,
        changedPaths: [...hints],
        signal,
        onProgress: (pr: SyncProgress) => {
          if (pr.done < pr.total) showProgress(RED._('prusalink-sync.status.syncing', { done: pr.done + 1, total: pr.total }));
        },
      });
    }

    /** A local folder that is missing or a file is the user's input to fix, said before the printer is asked. */
    async function checkLocalFolder(folder: string): Promise<void> {
      const stat = await fs.stat(folder).catch(() => undefined);
      if (!stat) throw codedError('INVALID_ARGUMENT', RED._('prusalink-sync.errors.noFolder', { folder }));
      if (!stat.isDirectory()) throw codedError('INVALID_ARGUMENT', RED._('prusalink-sync.errors.notFolder', { folder }));
    }

    function resultStatus(s: SyncSummary) {
      const vars = { uploaded: s.uploaded.length, deleted: s.deleted.length, failed: s.failed.length };
      if (s.failed.length > 0 && !ctl.closed) node.warn(RED._('prusalink-sync.warn.failed', { count: s.failed.length, first: `${s.failed[0].path}: ${s.failed[0].message}` }));
      if (s.dryRun) return statusOf.preview(RED._('prusalink-sync.status.dryRun', vars));
      if (s.failed.length > 0) return statusOf.attention(RED._('prusalink-sync.status.done', vars));
      return statusOf.done(RED._('prusalink-sync.status.done', vars));
    }

    ctl.onInput(async (msg, turn) => {
      if (isIgnoredChange(msg, config.manifest)) return null;
      const params = syncParamsOf(RED, ctl.fields, config, msg);
      await checkLocalFolder(params.localFolder);
      const hint = changedPathOf(msg, params.localFolder);
      const w = waiting;
      if (w && JSON.stringify(w.params) === JSON.stringify(params)) {
        // joins the sync that has not started yet; that one reports (and fails, if it does), this msg completes silently
        if (hint) w.hints.add(hint);
        await w.result.catch(() => undefined);
        return null;
      }
      const hints = new Set<string>(hint ? [hint] : []);
      const result = ctl.queue.run((signal) => {
        if (waiting?.result === result) waiting = null; // started: later msgs queue a sync of their own
        turn.working();
        return sync(params, hints, signal, (text) => turn.show(statusOf.working(text)));
      });
      waiting = { params, hints, result };
      const summary = await result;
      turn.finish(resultStatus(summary));
      msg.payload = summary;
      return msg;
    });
  }, { abortedText: () => RED._('prusalink-sync.errors.aborted') });
};
