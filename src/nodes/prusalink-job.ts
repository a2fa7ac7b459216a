/**
 * `prusalink-job`: reads the current job, or pauses / resumes / stops it, or sends a picture: the
 * current job's thumbnail or the printer camera's snapshot (a Buffer in msg.payload). The action is set
 * in the node, or comes from msg.action when the node says "from msg". No job is not an error for a
 * read; it is for a thumbnail (there is no file to show).
 */
import type { NodeAPI } from 'node-red';
import type { FlowNodeDef, InputMsg } from './types';
import { registerFlowNode } from './controller';
import { codedError } from './errors';
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
  registerFlowNode<JobDef>(RED, 'prusalink-job', (ctl) => {
    const { config } = ctl;

    /** The node's action wins (`msg` leaves it blank); msg.action fills a blank one. */
    function actionFor(msg: InputMsg): Action {
      const picked = ctl.fields.pick(config.action === 'msg' ? '' : config.action, msg, 'action');
      // Only a missing action means "get": a number or an object is a mistake, not a request to read.
      if (picked === undefined || picked === null) return 'get';
      const wanted = typeof picked === 'string' ? picked.trim().toLowerCase() : String(picked);
      if (wanted === '') return 'get';
      if ((ACTIONS as readonly string[]).includes(wanted)) return wanted as Action;
      throw codedError('INVALID_ARGUMENT', RED._('prusalink-job.errors.unknownAction', { action: String(picked) }));
    }

    ctl.onInput(async (msg, turn) => {
      const action = actionFor(msg);
      const client = ctl.client();
      turn.working();
      if (action === 'snapshot') {
        const camera = typeof msg.camera === 'string' ? msg.camera : undefined;
        putPicture(msg, await client.cameraSnapshot(camera), camera || 'camera');
        msg.action = action;
        turn.done();
        return msg;
      }
      if (action === 'thumbnail') {
        const job = await client.job();
        if (!job?.file) throw codedError('NO_JOB', RED._('prusalink-job.errors.noJobFile'));
        putPicture(msg, await client.thumbnail(job.file.path, thumbnailSize(config.size, msg.size)), job.file.display_path || job.file.path);
        msg.action = action;
        msg.job = job;
        msg.path = job.file.path;
        turn.done();
        return msg;
      }
      msg.action = action;
      if (action === 'get') {
        const job = await client.job();
        msg.payload = job;
        turn.finish(jobDot(RED, job));
        return msg;
      }
      await client[action]();
      const { job, settled } = await awaitEffect(client, action, () => ctl.closed);
      msg.payload = job;
      msg.requested = !settled;
      turn.finish(settled ? jobDot(RED, job) : requestedDot(RED, action));
      return msg;
    });
  });
};
