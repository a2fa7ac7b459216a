/**
 * `prusalink-upload`: sends a local file or a Buffer to the printer, optionally printing it once
 * stored. Uploads run one at a time per node (a printer takes one transfer at a time anyway); a
 * redeploy aborts the running one and ends it and every queued msg at once with ABORTED. A failed
 * upload is never reported as a success: the msg goes on only when the client confirms the file
 * (and the print, when asked for).
 */
import type { NodeAPI } from 'node-red';
import type { PrusaLinkClient } from '../client';
import type { UploadOptions, UploadResult, UploadSource } from '../client/types';
import type { FlowNodeDef, InputMsg } from './types';
import { registerFlowNode } from './controller';
import { statusOf, type Turn } from './node-status';
import { codedError } from './errors';
import { sharedText } from './i18n';
import { planUpload, type PlannedSource } from './upload-target';
import { confineToBase } from './local-file';
import { checkLocalFile } from './metadata-check';

interface UploadDef extends FlowNodeDef {
  /** `payload` or `file`; blank on nodes made before it (see sourceSetting). */
  source?: string;
  filename: string;
  /** Source `file`: the only folder a msg.filename may name a file in. */
  baseFolder?: string;
  folder: string;
  target: string;
  overwrite: boolean;
  print: boolean;
  toRootIfUnsupported: boolean;
  /** Refuse a file sliced for another printer model or nozzle (read from the file before it is sent). */
  check?: boolean;
  /** Printer model to check against; blank: as the printer reports it. */
  model?: string;
}

/** Options the client takes beyond the common ones (MINI 4.4.1 cannot upload into a subfolder). */
type NodeUploadOptions = UploadOptions & { toRootIfUnsupported?: boolean };
type NodeUploadResult = UploadResult & { warning?: string };

export = function (RED: NodeAPI) {
  registerFlowNode<UploadDef>(RED, 'prusalink-upload', (ctl) => {
    const { node, config } = ctl;
    let warnedModel = false;

    /** The source to send; a msg.filename only once it is proven inside the node's base folder. */
    async function sourceOf(planned: PlannedSource): Promise<UploadSource> {
      if (!('msgFile' in planned)) return planned;
      const confined = await confineToBase(planned.base, planned.msgFile);
      if ('file' in confined) return confined;
      const params = { file: planned.msgFile, base: planned.base, reason: confined.reason ?? '' };
      throw codedError('INVALID_ARGUMENT', RED._('prusalink-upload.errors.' + confined.refused, params));
    }

    /** Throws INCOMPATIBLE before any byte is sent; puts msg.metadata and msg.compatibility on the msg. */
    async function refuseForeignFile(client: PrusaLinkClient, source: UploadSource, msg: InputMsg) {
      const checked = await checkLocalFile(client, source, config.model);
      if (!checked) return;
      msg.metadata = checked.metadata;
      msg.compatibility = checked.compatibility;
      if (!checked.modelKnown && !warnedModel) {
        warnedModel = true;
        node.warn(RED._('prusalink-upload.warn.modelUnknown'));
      }
      if (!checked.compatibility.compatible)
        throw codedError('INCOMPATIBLE', RED._('prusalink-upload.errors.incompatible', { reasons: checked.compatibility.reasons.join('; ') }));
    }

    async function upload(msg: InputMsg, turn: Turn, signal: AbortSignal) {
      const plan = planUpload(config, msg);
      if ('problem' in plan) {
        const type = 'kind' in plan ? RED._('prusalink-upload.types.' + plan.kind) : '';
        throw codedError('INVALID_ARGUMENT', RED._('prusalink-upload.errors.' + plan.problem, { type }));
      }
      ctl.fields.warnIgnored(plan.ignored);
      const source = await sourceOf(plan.source);
      const client = ctl.client();
      if (config.check === true) {
        turn.working();
        await refuseForeignFile(client, source, msg);
      }
      let shownPct = -1;
      turn.working('uploading');
      const options: NodeUploadOptions = {
        overwrite: config.overwrite === true,
        printAfterUpload: config.print === true,
        toRootIfUnsupported: config.toRootIfUnsupported === true,
        signal,
        onProgress: (p) => {
          const pct = Math.floor(p.percent);
          if (pct === shownPct || signal.aborted) return;
          shownPct = pct;
          turn.show(statusOf.working(RED._('prusalink-upload.status.uploading', { pct })));
        },
      };
      const result: NodeUploadResult = await client.upload(source, plan.path, options);
      msg.payload = result;
      msg.path = result.path;
      if (result.warning) node.warn(result.warning);
      if (options.printAfterUpload && !result.printStarted) {
        // The file is stored but did not start: that is not the success that was asked for.
        throw codedError('NOT_READY', RED._('prusalink-upload.errors.notStarted', { path: result.path }));
      }
      turn.done(result.printStarted ? sharedText(RED, 'state.printing') : undefined);
      return msg;
    }

    // One upload at a time; a stop aborts the running one and ends every msg taken at once (controller.ts).
    ctl.onInput((msg, turn) => {
      const ahead = ctl.queue.size;
      if (ahead > 0) turn.show(statusOf.queued(RED._('prusalink-upload.status.queued', { count: ahead })));
      return ctl.queue.run((signal) => upload(msg, turn, signal));
    });
  }, { abortedText: () => RED._('prusalink-upload.errors.aborted') });
};
