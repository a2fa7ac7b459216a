'use strict';
// The queue node in a flow (test helper, one simulated Buddy printer that stays idle): each msg.action changes the
// queue and the reply on output 1 is the queue after it; a refused command reaches the Catch node with a code and
// a message that names the problem, and changes nothing (same snapshot, same queue file, no request to the printer
// for what the node refuses itself). A redeploy keeps the queue (the node id is the same).
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const q = require('./queue-helpers');

const G = 'G28\n' + 'G1 X1\n'.repeat(50);
/** Requests other than the queue's own looks at the printer (its state and job, which go on while it is paused). */
const POLL = /^\/api\/(v1\/status|v1\/job|job|printer|version|v1\/info)$/;
const notPolls = (sim) => q.apiRequests(sim).filter((r) => !(r.method === 'GET' && POLL.test(r.path))).map((r) => `${r.method} ${r.path}`);
/** The node's own refusals arrive as catalog keys (the test helper's RED._ returns the key); the words are en-US. */
const key = (name) => new RegExp(`prusalink-queue\\.errors\\.${name.replace('.', '\\.')}$`);

describe('prusalink-queue commands', () => {
  let sim;
  let userDir;
  let local;
  beforeEach(async () => {
    sim = await q.startSimulator({ family: 'buddy', speed: 1, files: { 'a.gcode': G, 'b.gcode': G, 'c.gcode': G } });
    userDir = q.useTempUserDir();
    local = fs.mkdtempSync(path.join(userDir, 'local-'));
    fs.writeFileSync(path.join(local, 'part.gcode'), G);
    await q.startServer();
  });
  afterEach(async () => {
    await q.stopServer();
    await sim.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  /** The queue paused first, so that nothing starts while a test looks at the list. */
  async function pausedQueue(props = {}) {
    const { flow, credentials } = q.queueFlow(sim, { baseFolder: local, ...props });
    await q.load(flow, credentials);
    const reply = await q.command({ action: 'pause-queue' });
    assert.equal(reply.payload.paused, true);
    return { flow, credentials };
  }
  const paths = (snap) => snap.jobs.map((j) => j.source.path ?? j.source.file ?? j.source.name);

  it('add (printer path, local file, Buffer), list, move, remove, clear: each reply is the queue after it', async () => {
    await pausedQueue();
    let reply = await q.command({ action: 'add', path: 'a.gcode', topic: 'mine' });
    assert.equal(reply.topic, 'queue');
    assert.deepEqual(paths(reply.payload), ['a.gcode']);
    const a = reply.payload.jobs[0];
    assert.equal(a.copies, 1);
    assert.equal(a.state, 'queued');
    reply = await q.command({ action: 'add', payload: 'b.gcode', copies: 2 });
    assert.equal(reply.payload.jobs[1].copies, 2);
    reply = await q.command({ action: 'add', file: 'part.gcode' });
    assert.equal(reply.payload.jobs[2].source.kind, 'local');
    assert.equal(reply.payload.jobs[2].source.file, fs.realpathSync(path.join(local, 'part.gcode')));
    reply = await q.command({ action: 'add', payload: Buffer.from(G), filename: 'bytes.gcode', position: 0 });
    assert.deepEqual(reply.payload.jobs.map((j) => j.source.kind), ['buffer', 'printer', 'printer', 'local']);
    const listed = await q.command({ action: 'list' });
    assert.deepEqual(listed.payload, reply.payload);

    reply = await q.command({ action: 'move', id: a.id, position: 3 });
    assert.equal(reply.payload.jobs[3].id, a.id);
    reply = await q.command({ action: 'remove', id: a.id });
    assert.ok(!reply.payload.jobs.some((j) => j.id === a.id));
    assert.equal(reply.payload.jobs.length, 3);
    reply = await q.command({ action: 'clear' });
    assert.deepEqual(reply.payload.jobs, []);
    reply = await q.command({ action: 'resume-queue' });
    assert.equal(reply.payload.paused, false);
  });

  it('refused commands reach Catch with a code naming the problem and change nothing', async () => {
    await pausedQueue();
    await q.command({ action: 'add', path: 'a.gcode' });
    const before = (await q.command({ action: 'list' })).payload;
    const fileBefore = q.readOrNull(q.queueFile(userDir));
    assert.ok(fileBefore, 'the queue file exists');
    const cases = [
      [{ action: 'explode' }, 'BAD_ACTION', key('badAction'), 'node'],
      [{ payload: 'a.gcode' }, 'BAD_ACTION', key('noAction'), 'node'],
      [{ action: 42 }, 'BAD_ACTION', key('badAction'), 'node'],
      [{ action: 'add', path: 'missing.gcode' }, 'FILE_NOT_FOUND', /missing\.gcode/],
      [{ action: 'add', path: 'b.gcode', notBefore: 'next tuesday-ish' }, 'BAD_TIME', /next tuesday-ish/],
      [{ action: 'add', path: 'b.gcode', copies: 0 }, 'BAD_INPUT', /cop/i],
      [{ action: 'add', file: '../outside.gcode' }, 'BAD_INPUT', key('local.dotdot'), 'node'],
      [{ action: 'add', file: '/etc/passwd' }, 'BAD_INPUT', key('local.outside'), 'node'],
      [{ action: 'add', payload: Buffer.from(G) }, 'BAD_INPUT', key('missing'), 'node'],
      [{ action: 'add' }, 'BAD_INPUT', key('missing'), 'node'],
      [{ action: 'remove', id: 'q-nope' }, 'NO_SUCH_JOB', /q-nope/],
      [{ action: 'remove' }, 'BAD_INPUT', key('missing'), 'node'],
      [{ action: 'move', id: before.jobs[0].id, position: 'last' }, 'BAD_INPUT', key('badPosition'), 'node'],
      [{ action: 'move', id: before.jobs[0].id }, 'BAD_INPUT', key('missing'), 'node'],
      [{ action: 'add', path: 'b.gcode', position: -1 }, 'BAD_INPUT', key('badPosition'), 'node'],
    ];
    for (const [msg, code, words, refusedBy] of cases) {
      sim.control.clearRequests();
      const err = await q.command(msg).then(
        () => assert.fail(`${JSON.stringify(msg)} was accepted`),
        (e) => e,
      );
      if (q.CATCH_HAS_CODE) assert.equal(err.code, code, `${JSON.stringify(msg)}: ${err.message}`);
      assert.match(err.message, words, `${JSON.stringify(msg)}: the message names the problem`);
      assert.deepEqual((await q.command({ action: 'list' })).payload, before, `${JSON.stringify(msg)} changed the queue`);
      assert.deepEqual(q.readOrNull(q.queueFile(userDir)), fileBefore, `${JSON.stringify(msg)} changed the queue file`);
      if (refusedBy === 'node') assert.deepEqual(notPolls(sim), [], `${JSON.stringify(msg)} asked the printer`);
    }
  });

  it('a local file is refused when the node has no local folder', async () => {
    await pausedQueue({ baseFolder: '' });
    const err = await q.command({ action: 'add', file: path.join(local, 'part.gcode') }).catch((e) => e);
    if (q.CATCH_HAS_CODE) assert.equal(err.code, 'BAD_INPUT');
    assert.match(err.message, key('noBaseFolder'));
    assert.deepEqual((await q.command({ action: 'list' })).payload.jobs, []);
  });

  it('without a printer: a red ring, and each msg reaches Catch with CONFIG', async () => {
    const { flow, credentials } = q.queueFlow(sim);
    const noPrinter = flow.map((n) => (n.id === 'q' ? { ...n, printer: '' } : n));
    await q.load(noPrinter, credentials);
    assert.equal(q.lastStatus(q.helper.getNode('q')).fill, 'red');
    const err = await q.command({ action: 'list' }).catch((e) => e);
    if (q.CATCH_HAS_CODE) assert.equal(err.code, 'CONFIG');
    assert.match(err.message, /noPrinter/);
  });

  it('a redeploy keeps the queue: the new node loads what the old one saved', async () => {
    const { flow, credentials } = await pausedQueue();
    await q.command({ action: 'add', path: 'a.gcode' });
    await q.command({ action: 'add', path: 'b.gcode', copies: 3 });
    const before = (await q.command({ action: 'list' })).payload;
    // a full redeploy of the same flow (the node changed: a new name), as the editor's Deploy does
    const changed = flow.map((n) => (n.id === 'q' ? { ...n, name: 'renamed' } : n));
    await new Promise((resolve, reject) => q.helper.setFlows(changed, 'full', credentials, (e) => (e ? reject(e) : resolve())));
    const after = (await q.command({ action: 'list' })).payload;
    assert.deepEqual(after, before, 'the same queue, still saying it waits because it is paused');
    assert.equal(after.waitingFor, 'paused');
  });
});
