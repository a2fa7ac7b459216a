'use strict';
// The real restart (issue 17): a Node-RED process (the installed 4.1 runtime, our package linked into its user dir)
// runs a queue of three jobs against a simulator of each family at high speed. The whole process is stopped with
// SIGTERM while the second job prints, and started again with the same user dir: the queue goes on, and the
// simulator's record shows each file started exactly once, in order, none lost. Buddy is told "bed cleared" by the
// flow (an inject of msg.action bed-cleared); the MINI's bed is confirmed on its "screen" (the test returns it to
// IDLE); the Pi returns to IDLE by itself. The Pi's queue lives in a localfilesystem context store, the others' in
// the queue file.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startNodeRed } = require('../e2e/lib/node-red');
const { LEGS, root } = require('../e2e/lib/env');
const { startSimulator, makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');
const { withTestGeneration } = require('../lib/buddy-generation');

const FILES = ['first', 'second', 'third'];
const SPEED = 40;
const PRINT_SECONDS = 80; // 2 s of real time at SPEED

/** A user dir whose node_modules holds this repository as the package (built dist/, nodes/, package.json). */
function makeUserDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-queue-restart-'));
  const scope = path.join(dir, 'node_modules', '@makerflows');
  fs.mkdirSync(scope, { recursive: true });
  fs.symlinkSync(root, path.join(scope, 'node-red-prusalink'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true, dependencies: { '@makerflows/node-red-prusalink': '*' } }));
  return dir;
}

function flows(sim, bedClear) {
  const auth = sim.family === 'mini-legacy' ? 'apikey' : 'digest';
  const credentials = auth === 'apikey' ? { apiKey: sim.credentials.apiKey } : { user: sim.credentials.user || 'maker', password: sim.credentials.password };
  const inject = (id, props) => ({
    id,
    type: 'inject',
    z: 'tab',
    props: Object.entries(props).map(([p, v]) => ({ p, v, vt: 'str' })),
    repeat: '',
    once: false,
    wires: [['queue']],
  });
  return [
    { id: 'tab', type: 'tab', label: 'queue restart' },
    { id: 'printer', type: 'prusalink-printer', name: 'sim', host: sim.host, port: String(sim.port), protocol: 'http', auth, timeout: '5', pollInterval: '1', credentials },
    ...FILES.map((f) => inject('add-' + f, { action: 'add', path: `${f}.gcode` })),
    inject('bed-cleared', { action: 'bed-cleared' }),
    { id: 'queue', type: 'prusalink-queue', z: 'tab', printer: 'printer', bedClear, pollInterval: '0.2', storage: 'auto', baseFolder: '', wires: [[], ['events']] },
    { id: 'events', type: 'debug', z: 'tab', active: true, tosidebar: false, console: true, complete: 'topic', targetType: 'msg', wires: [] },
  ];
}

/** Successful print starts the simulator recorded, as file names in order (any family's start request). */
function startsOf(sim) {
  return sim.control
    .requests()
    .filter((r) => r.method === 'POST' && /^\/api\/(v1\/)?files\//.test(r.path) && r.status >= 200 && r.status < 300)
    .map((r) => FILES.find((f) => r.path.toLowerCase().includes(f)) ?? r.path);
}

async function waitFor(check, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// `secondRunsOn`: the second print outlasts the restart, so the new runtime finds it running and must recognise it
// as its job; otherwise it ends while Node-RED is down, and the new runtime must count that end once.
const FAMILIES = [
  { family: 'buddy', bedClear: 'flow', settings: {}, secondRunsOn: true },
  { family: 'mini-legacy', bedClear: 'printer', settings: {}, secondRunsOn: false },
  { family: 'pi', bedClear: 'printer', settings: { contextStorage: { default: { module: 'localfilesystem' } } }, secondRunsOn: true },
];

for (const { family, bedClear, settings, secondRunsOn } of FAMILIES) {
  describe(`queue across a real restart of Node-RED, ${family}`, () => {
    let sim;
    let userDir;
    let red;
    before(async () => {
      const seconds = (f) => (f === 'second' && secondRunsOn ? PRINT_SECONDS * 4 : PRINT_SECONDS);
      const files = Object.fromEntries(FILES.map((f) => [`${f}.gcode`, makeSampleGcode({ name: f, printSeconds: seconds(f) })]));
      sim = await startSimulator(withTestGeneration({ family, speed: SPEED, files }));
      userDir = makeUserDir();
    });
    after(async () => {
      if (red) await red.stop();
      await sim.stop();
      fs.rmSync(userDir, { recursive: true, force: true });
    });

    /**
     * What a person does at the printer once a print has ended: take it off the bed and confirm, on the MINI's screen
     * (the test returns the simulator to IDLE) or through the flow (Buddy: an inject of bed-cleared, once per
     * waiting-for-bed-clear event the queue sent). The Pi needs nothing.
     */
    function bedClearer(runtime) {
      let cleared = 0;
      return async () => {
        if (family === 'pi' || sim.control.state !== 'FINISHED') return;
        if (bedClear === 'printer') return sim.control.setState('IDLE');
        const asked = runtime.log().match(/\[debug:events\][^\n]*\n?[^\n]*waiting-for-bed-clear/g)?.length ?? 0;
        if (asked > cleared) {
          cleared++;
          await runtime.inject('bed-cleared');
        }
      };
    }

    async function printUntil(runtime, count) {
      const clearBed = bedClearer(runtime);
      await waitFor(
        async () => {
          if (/\[error\]/.test(runtime.log())) throw new Error(`an error in the log:\n${runtime.log()}`);
          if (startsOf(sim).length >= count && sim.control.state === 'PRINTING') return true;
          await clearBed();
          return false;
        },
        30000,
        `print ${count} to start\n${runtime.log()}`,
      );
    }

    it(`three jobs, a SIGTERM while the second prints (${secondRunsOn ? 'still printing after the restart' : 'it ends while Node-RED is down'}): each file printed once, in order`, async () => {
      red = await startNodeRed({ leg: LEGS.nr4, userDir, settings });
      await red.deploy(flows(sim, bedClear));
      const where = family === 'pi' ? /queue kept in context store "default"/ : /queue kept in \/.*prusalink-queue\/queue/;
      assert.match(red.log(), where, 'the queue is kept where the settings say');
      for (const f of FILES) await red.inject('add-' + f);
      await printUntil(red, 2);
      assert.deepEqual(startsOf(sim), ['first', 'second']);

      const exit = await red.stop(); // SIGTERM to the whole process, as systemd or docker stop does
      assert.ok(exit.code === 0 || exit.signal === 'SIGTERM', `Node-RED ended: ${JSON.stringify(exit)}`);
      red = await startNodeRed({ leg: LEGS.nr4, userDir, settings });
      if (secondRunsOn) assert.equal(sim.control.state, 'PRINTING', 'the second print still runs when Node-RED is back');
      else await waitFor(() => sim.control.state === 'FINISHED', 10000, 'the second print to end while Node-RED is down');
      // the flow is the one saved in the user dir: no new deploy, as after a reboot of the Node-RED host
      await printUntil(red, 3);
      await waitFor(() => sim.control.state === 'FINISHED', 30000, 'the third print to end');
      assert.deepEqual(startsOf(sim), ['first', 'second', 'third'], 'every job started exactly once, in order');
      assert.doesNotMatch(red.log(), /\[error\]/, 'no errors in the log');
    });
  });
}
