'use strict';
// The simulator's Buddy firmware generations (issue 20): each answers as the facts document's §1, §8.1 and §9 say
// that generation does. Expected values are the document's, not the simulator's.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { startSimulator } = require('@makerflows/node-red-prusalink/sim');
const { makeSampleGcode } = require('@makerflows/node-red-prusalink/sim');
const { request, control } = require('./helpers');

const KEY = { 'X-Api-Key': 'password', Accept: 'application/json' };

async function withBuddy(opts, fn) {
  const p = await startSimulator({ family: 'buddy', ...opts });
  try {
    return await fn(p, (url, o = {}) => request(p.url, url, { ...o, headers: { ...KEY, ...(o.headers || {}) } }));
  } finally {
    await p.stop();
  }
}

/** A request target of exactly `length` characters: /api/version with a query the firmware ignores. */
function versionTargetOf(length) {
  const base = '/api/version?pad=';
  return base + 'x'.repeat(length - base.length);
}

describe('simulator generations: /api/version (§1)', () => {
  it('6.3.2 and 6.4.1 send neither firmware nor printer', async () => {
    for (const firmware of ['6.3.2', '6.4.1']) {
      await withBuddy({ firmware, hostname: 'h' }, async (_p, get) => {
        assert.deepEqual((await get('/api/version')).json(), {
          api: '2.0.0',
          server: '2.1.2',
          nozzle_diameter: 0.4,
          text: 'PrusaLink',
          hostname: 'h',
          capabilities: { 'upload-by-put': true },
        });
      });
    }
  });

  it('6.5.3 on an MK4S sends firmware "6.5.3+<build>" and printer "1.4.1"; a Core One "7.1.0"', async () => {
    await withBuddy({ firmware: '6.5.3', model: 'MK4S' }, async (p, get) => {
      const v = (await get('/api/version')).json();
      assert.match(v.firmware, /^6\.5\.3\+\d+$/);
      assert.equal(v.printer, '1.4.1');
      assert.equal(v.version, undefined); // never sent (§1)
      assert.equal(v.sdk, undefined);
      assert.equal(p.firmware, '6.5.3');
      assert.equal(p.model, 'MK4S');
    });
    await withBuddy({ firmware: '6.5.1', model: 'Core One' }, async (_p, get) => {
      assert.equal((await get('/api/version')).json().printer, '7.1.0');
    });
  });

  it('defaults: the newest firmware (6.6.0) on an MK4; a MINI defaults to its last release, 6.4.0', async () => {
    await withBuddy({}, async (p) => {
      assert.equal(p.firmware, '6.6.0');
      assert.equal(p.model, 'MK4');
    });
    await withBuddy({ model: 'MINI' }, async (p, get) => {
      assert.equal(p.firmware, '6.4.0');
      assert.equal((await get('/api/version')).json().printer, undefined);
    });
  });

  it('refuses a firmware the model never ran, an unknown model, and a Buddy older than 4.7', async () => {
    // A simulator that starts when it should not is stopped, so that the test fails instead of hanging.
    const refused = (opts, re) => assert.rejects(startSimulator(opts).then((p) => p.stop().then(() => 'started')), re);
    await refused({ family: 'buddy', model: 'MINI', firmware: '6.5.3' }, /MINI's last firmware is 6\.4\.0/);
    await refused({ family: 'buddy', model: 'MK5' }, /unknown printer model "MK5"/);
    await refused({ family: 'buddy', firmware: '4.6.2' }, /starts at firmware 4\.7\.0/);
    await refused({ family: 'buddy', firmware: 'six' }, /firmware must look like 6\.4\.1/);
    await refused({ family: 'pi', firmware: '6.4.1' }, /the pi family has one/);
  });
});

describe('simulator generations: limits (§9)', () => {
  it('request URL: 100 characters on 5.0.2 (101 → 414), 168 on 6.3.2 (169 → 414)', async () => {
    await withBuddy({ firmware: '5.0.2' }, async (_p, get) => {
      assert.equal((await get(versionTargetOf(100))).status, 200);
      assert.equal((await get(versionTargetOf(101))).status, 414);
    });
    await withBuddy({ firmware: '6.3.2' }, async (_p, get) => {
      assert.equal((await get(versionTargetOf(168))).status, 200);
      assert.equal((await get(versionTargetOf(169))).status, 414);
    });
  });

  it('upload target over 103 bytes: 6.3.2 cuts it short and stores the cut name; 6.4.1 answers 414 and stores nothing', async () => {
    // "/usb/" (5) + 98-byte name = 103: kept; one byte more is over.
    const name = 'a'.repeat(93) + 'b.gcode'; // 100 characters: "/usb/" + name = 105 bytes
    const body = makeSampleGcode({ name: 'cut' });
    const headers = { 'Content-Length': body.length };
    await withBuddy({ firmware: '6.3.2' }, async (p, get) => {
      const r = await get(`/api/v1/files/usb/${name}`, { method: 'PUT', headers, body });
      assert.equal(r.status, 201);
      assert.deepEqual(p.control.listFiles(), [name.slice(0, 98)]); // "…ab.gco": 103 bytes with "/usb/", still a printable name
    });
    await withBuddy({ firmware: '6.4.1' }, async (p, get) => {
      const r = await get(`/api/v1/files/usb/${name}`, { method: 'PUT', headers, body });
      assert.equal(r.status, 414);
      assert.deepEqual(p.control.listFiles(), []);
    });
  });

  it('nonce lifetime: 5 s on 5.0.2, 300 s on 5.2.0 and later (the resolved option)', () => {
    const { resolveOptions } = require('../../dist/sim/options');
    assert.equal(resolveOptions({ family: 'buddy', firmware: '5.0.2' }).nonceLifetime, 5);
    assert.equal(resolveOptions({ family: 'buddy', firmware: '5.2.0' }).nonceLifetime, 300);
    assert.equal(resolveOptions({ family: 'buddy', firmware: '5.0.2', nonceLifetime: 60 }).nonceLifetime, 60);
  });
});

describe('simulator generations: the state a situation reports (§8.1)', () => {
  const FILE = 'part.gcode';
  async function printing(opts, fn) {
    await withBuddy({ ...opts, files: { [FILE]: makeSampleGcode({ name: 'p', printSeconds: 3600 }) } }, async (p, get) => {
      p.control.startPrint(FILE);
      const state = async () => (await get('/api/v1/status')).json().printer;
      await fn(p, state, get);
    });
  }

  it('a print preheating: BUSY on 6.3.2, PRINTING on 6.4.1; the job is there on both', async () => {
    for (const [firmware, expected] of [['6.3.2', 'BUSY'], ['6.4.1', 'PRINTING']]) {
      await printing({ firmware }, async (p, state, get) => {
        p.control.situation('preheat');
        assert.equal((await state()).state, expected, firmware);
        assert.equal((await get('/api/v1/job')).status, 200);
        p.control.setState('PRINTING'); // the preheat ends: the situation with it
        assert.equal((await state()).state, 'PRINTING');
      });
    }
  });

  it('waiting to resume after a power loss: ATTENTION on 6.5.3, PAUSED on 6.5.5 and 6.6.0 (over the HTTP control too)', async () => {
    for (const [firmware, expected] of [['6.5.3', 'ATTENTION'], ['6.5.5', 'PAUSED'], ['6.6.0', 'PAUSED']]) {
      await printing({ firmware }, async (p, state) => {
        const r = await control(p, 'situation', { body: { situation: 'power-loss' } });
        assert.equal(r.status, 200, r.text);
        assert.equal((await state()).state, expected, firmware);
      });
    }
  });

  it('a tool changer with no tool picked: flow 0 on 6.6.0, the print flow (100) on 6.4.1', async () => {
    for (const [firmware, expected] of [['6.4.1', 100], ['6.6.0', 0]]) {
      await printing({ firmware, model: 'XL' }, async (p, state) => {
        p.control.situation('no-tool');
        const printer = await state();
        assert.equal(printer.flow, expected, firmware);
        assert.equal(printer.state, 'PRINTING');
      });
    }
  });

  it('situations are refused without a print, and no-tool on a printer with one tool', async () => {
    await withBuddy({}, async (p) => {
      assert.throws(() => p.control.situation('preheat'), /needs a running print/);
    });
    await printing({ model: 'MK4S' }, async (p) => {
      assert.throws(() => p.control.situation('no-tool'), /MK4S has no tool changer/);
    });
  });
});

describe('simulator generations: the command line', () => {
  const cli = path.join(__dirname, '../../dist/sim/cli.js');
  it('--model and --firmware are checked before anything listens (exit 2, the reason named)', () => {
    const r = spawnSync(process.execPath, [cli, '--port', '0', '--model', 'MINI', '--firmware', '6.6.0'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /MINI's last firmware is 6\.4\.0/);
    const pi = spawnSync(process.execPath, [cli, '--port', '0', '--family', 'pi', '--firmware', '6.4.1'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(pi.status, 2);
    assert.match(pi.stderr, /use them with --family buddy/);
  });
});
