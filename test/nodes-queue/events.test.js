'use strict';
// The queue node's output 2 and status dot while jobs run (test helper, simulated Buddy at high speed): events for
// notification flows (msg.topic = event name, msg.payload = the event), the bed-clear wait with bedClear "flow"
// ended by msg.action bed-cleared, the engine's own changes on output 1, and an offline printer that keeps its jobs
// (status "offline"; at most one error for Catch, never one per poll). A Buffer job hit by the print-after-upload trap
// is one upload and one start.
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const q = require('./queue-helpers');
const { makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');

const STATUS = q.QUEUE_NS + 'status.';

describe('prusalink-queue events and status', () => {
  let sim;
  let userDir;
  beforeEach(async () => {
    const files = { 'a.gcode': makeSampleGcode({ name: 'a', printSeconds: 60 }), 'b.gcode': makeSampleGcode({ name: 'b', printSeconds: 60 }) };
    sim = await q.startSimulator({ family: 'buddy', speed: 60, files });
    userDir = q.useTempUserDir();
    await q.startServer();
  });
  afterEach(async () => {
    await q.stopServer();
    await sim.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('two jobs: started, finished, waiting-for-bed-clear, then bed-cleared starts the next', async () => {
    const { flow, credentials } = q.queueFlow(sim, { bedClear: 'flow' });
    await q.load(flow, credentials);
    const events = q.collect('events');
    const changes = q.collect('snap');
    const node = q.helper.getNode('q');
    await q.command({ action: 'add', path: 'a.gcode' });
    await q.command({ action: 'add', path: 'b.gcode' });
    await q.waitFor(() => events.some((m) => m.topic === 'waiting-for-bed-clear'), 15000, 'the bed-clear wait');
    assert.deepEqual(events.map((m) => m.topic), ['started', 'finished', 'waiting-for-bed-clear']);
    for (const m of events) assert.equal(m.payload.event, m.topic);
    assert.equal(events[0].payload.job.source.path, 'a.gcode');
    assert.equal(events[1].payload.job.source.path, 'a.gcode');
    // the queue's own changes (the job started, ended) went out on output 1 without any command
    assert.ok(changes.some((m) => m.topic === 'queue' && m.payload.current?.source.path === 'a.gcode' && !m._msgid?.startsWith('m')));
    await q.waitFor(() => q.lastStatus(node).text?.includes(STATUS + 'waiting.bedClear'), 5000, 'the bed-clear status');
    assert.equal(q.lastStatus(node).fill, 'yellow');
    assert.equal(q.apiRequests(sim).filter((r) => r.method === 'POST' && r.path.includes('b.gcode')).length, 0, 'b waits for the bed');

    await q.command({ action: 'bed-cleared' });
    await q.waitFor(() => events.filter((m) => m.topic === 'started').length === 2, 10000, 'the second start');
    assert.equal(events.filter((m) => m.topic === 'started')[1].payload.job.source.path, 'b.gcode');
    await q.waitFor(() => q.lastStatus(node).text?.startsWith(STATUS + 'printing'), 5000, 'the printing status');
    assert.equal(q.lastStatus(node).fill, 'blue');
  });

  it('the print-after-upload trap (upload answered 409, print started): one upload, one started event, no second start', async () => {
    const { flow, credentials } = q.queueFlow(sim, { bedClear: 'flow' });
    await q.load(flow, credentials);
    const events = q.collect('events');
    sim.control.setFaults({ printAfterUploadTrap: 409 });
    await q.command({ action: 'add', payload: makeSampleGcode({ name: 'bytes', printSeconds: 60 }), filename: 'bytes.gcode' });
    await q.waitFor(() => events.some((m) => m.topic === 'finished'), 15000, 'the print to finish');
    const toPrinter = q.apiRequests(sim).filter((r) => r.method !== 'GET' && r.path.includes('bytes.gcode')).map((r) => `${r.method} ${r.status}`);
    assert.equal(toPrinter.length, 1, `one request for the file, the upload that printed it: ${toPrinter}`);
    assert.deepEqual(events.map((m) => m.topic).slice(0, 2), ['started', 'finished']);
    assert.equal(events.filter((m) => m.topic === 'started' || m.topic === 'failed').length, 1, 'one start, no failure');
    assert.ok(sim.control.listFiles().includes('bytes.gcode'));
  });

  it('an offline printer keeps its jobs: status offline, no error per poll, the jobs start once it is back', async () => {
    const { flow, credentials } = q.queueFlow(sim, {}, { timeout: '0.5' });
    await q.load(flow, credentials);
    const node = q.helper.getNode('q');
    const caught = q.collect('caught');
    await q.command({ action: 'pause-queue' });
    await q.command({ action: 'add', path: 'a.gcode' });
    await sim.control.refuse();
    await q.waitFor(() => q.lastStatus(node).text?.startsWith(STATUS + 'waiting.offline'), 10000, 'the offline status');
    assert.equal(q.lastStatus(node).fill, 'yellow');
    // jobs can still be added while it is away; the file is checked when its turn comes
    const reply = await q.command({ action: 'add', path: 'b.gcode' });
    assert.deepEqual(reply.payload.jobs.map((j) => j.source.path), ['a.gcode', 'b.gcode']);
    assert.equal(reply.payload.jobs[1].unchecked, true);
    await q.command({ action: 'resume-queue' });
    await new Promise((r) => setTimeout(r, 1500)); // several polls fail meanwhile
    const background = caught.filter((m) => m.topic === 'error');
    assert.ok(background.length <= 1, `at most one error for the outage: ${background.map((m) => m.error.message)}`);
    await sim.control.listen();
    await q.waitFor(() => sim.control.state === 'PRINTING', 10000, 'the first job to start once the printer is back');
    const listed = (await q.command({ action: 'list' })).payload;
    assert.equal(listed.current.source.path, 'a.gcode');
    assert.deepEqual(listed.jobs.map((j) => j.source.path), ['b.gcode']);
  });
});
