/**
 * `prusalink-job`: reads the current job, or pauses / resumes / stops it, or sends a picture: the
 * current job's thumbnail or the printer camera's snapshot (a Buffer in msg.payload). The action is set
 * in the node, or comes from msg.action when the node says "from msg". No job is not an error for a
 * read; it is for a thumbnail (there is no file to show).
 */
import type { NodeAPI, Node } from 'node-red';
import type { FlowNodeDef } from './types';
import { clientOf, onInput, printerOf, workingStatus } from './flow-node';
import { codedError } from './errors';
import { sharedText } from './i18n';
import { putPicture, thumbnailSize } from './thumbnail-output';
import { awaitEffect, jobDot, requestedDot } from './job-effect';

const ACTIONS = ['get', 'pause', 'resume', 'stop', 'thumbnail', 'snapshot'] as const;
type Action = (typeof ACTIONS)[number];

interface JobDef extends FlowNodeDef {
  /** One of ACTIONS, or `msg` to take msg.action. */
  action: Action | 'msg';
  /** Thumbnail size: `small`, `large`, or blank for msg.size (default large). */
  size?: string;
}

export = function (RED: NodeAPI) {
  function PrusaLinkJob(this: Node, config: JobDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const printer = printerOf(RED, node, config);
    let warnedIgnored = false;
    let closed = false;

    function actionFor(msgAction: unknown): Action {
      if (config.action && config.action !== 'msg') {
        if (msgAction !== undefined && msgAction !== config.action && !warnedIgnored) {
          warnedIgnored = true;
          node.warn(sharedText(RED, 'warn.msgIgnored', { prop: 'action' }));
        }
        return config.action;
      }
      // Only a missing action means "get": a number or an object is a mistake, not a request to read.
      if (msgAction === undefined || msgAction === null) return 'get';
      const wanted = typeof msgAction === 'string' ? msgAction.trim().toLowerCase() : String(msgAction);
      if (wanted === '') return 'get';
      if ((ACTIONS as readonly string[]).includes(wanted)) return wanted as Action;
      throw codedError('INVALID_ARGUMENT', RED._('prusalink-job.errors.unknownAction', { action: String(msgAction) }));
    }

    onInput(RED, node, async (msg) => {
      const action = actionFor(msg.action);
      const client = clientOf(RED, printer);
      node.status(workingStatus(RED));
      if (action === 'snapshot') {
        const camera = typeof msg.camera === 'string' ? msg.camera : undefined;
        putPicture(msg, await client.cameraSnapshot(camera), camera || 'camera');
        msg.action = action;
        node.status({ fill: 'green', shape: 'dot', text: sharedText(RED, 'state.done') });
        return msg;
      }
      if (action === 'thumbnail') {
        const job = await client.job();
        if (!job?.file) throw codedError('NO_JOB', RED._('prusalink-job.errors.noJobFile'));
        putPicture(msg, await client.thumbnail(job.file.path, thumbnailSize(config.size, msg.size)), job.file.display_path || job.file.path);
        msg.action = action;
        msg.job = job;
        msg.path = job.file.path;
        node.status({ fill: 'green', shape: 'dot', text: sharedText(RED, 'state.done') });
        return msg;
      }
      msg.action = action;
      if (action === 'get') {
        const job = await client.job();
        msg.payload = job;
        node.status(jobDot(RED, job));
        return msg;
      }
      await client[action]();
      const { job, settled } = await awaitEffect(client, action, () => closed);
      msg.payload = job;
      msg.requested = !settled;
      node.status(settled ? jobDot(RED, job) : requestedDot(RED, action));
      return msg;
    });

    node.on('close', (done: () => void) => {
      closed = true;
      node.status({});
      done();
    });
  }

  RED.nodes.registerType('prusalink-job', PrusaLinkJob);
};
