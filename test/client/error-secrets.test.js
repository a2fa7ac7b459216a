'use strict';
// A client error logged whole (console.log(err), util.inspect, JSON, its stack) shows no credential: the client keeps
// only the code and words of the transport's error as `cause`, never the request (axios keeps its headers there).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const util = require('node:util');
const { startSimulator, PrusaLinkClient, rejectsWith } = require('./helpers');

const WRONG = 'Wr0ng-s3cret-never-logged';
/** A Digest Authorization header as the client writes it, whatever the values. */
const DIGEST_HEADER = /Digest\s+username=|response="?[0-9a-f]{32}/i;

const CONFIGS = [
  { name: 'buddy, API key', family: 'buddy', secret: 'Buddy-k3y-9f1c2e', creds: (s) => ({ apiKey: s }), wrong: { apiKey: WRONG } },
  { name: 'buddy, Digest', family: 'buddy', secret: 'Buddy-pw-7d4a0b', creds: (s) => ({ user: 'maker', password: s }), wrong: { user: 'maker', password: WRONG } },
  { name: 'pi, Digest', family: 'pi', secret: 'Pi-pw-3b8e61', creds: (s) => ({ user: 'maker', password: s }), wrong: { user: 'maker', password: WRONG } },
];

for (const cfg of CONFIGS) {
  describe(`no credential in a client error (${cfg.name})`, () => {
    let sim;
    const clients = [];
    const make = (over = {}) => {
      const c = new PrusaLinkClient({ host: sim.url, ...cfg.creds(cfg.secret), ...over });
      clients.push(c);
      return c;
    };

    before(async () => {
      sim = await startSimulator({ family: cfg.family, password: cfg.secret });
    });
    after(async () => {
      for (const c of clients) c.close();
      await sim.stop();
    });

    /** Every form a log could take of the error, checked against every secret the client sent. */
    function assertClean(err) {
      const sent = sim.control.requests().map((r) => r.headers.authorization).filter(Boolean);
      const forms = {
        inspect: util.inspect(err, { depth: 10, showHidden: true }),
        json: JSON.stringify(err),
        stack: String(err.stack),
      };
      for (const [form, text] of Object.entries(forms)) {
        for (const secret of [cfg.secret, WRONG, ...sent]) assert.ok(!text.includes(secret), `${form} of ${err.code} holds a credential`);
        assert.doesNotMatch(text, DIGEST_HEADER, `${form} of ${err.code} holds an Authorization header`);
      }
      if (err.cause !== undefined) {
        assert.ok(Object.keys(err.cause).every((k) => k === 'code' || k === 'name'), `cause keys: ${Object.keys(err.cause)}`);
      }
    }

    it('UNREACHABLE (the printer went away after a request)', async () => {
      const c = make();
      await c.status();
      await sim.control.refuse();
      try {
        const err = await rejectsWith(c.status(), 'UNREACHABLE');
        // The transport error is kept as cause, reduced to its name and code.
        assert.deepEqual({ ...err.cause }, { name: 'Error', code: 'ECONNREFUSED' });
        assertClean(err);
      } finally {
        await sim.control.listen();
      }
    });

    it('TIMEOUT (a hung printer)', async () => {
      const c = make({ timeout: 300 });
      await c.status();
      sim.control.setFaults({ hang: true });
      try {
        assertClean(await rejectsWith(c.status(), 'TIMEOUT'));
      } finally {
        sim.control.clearFaults();
      }
    });

    it('PROTOCOL (an answer too large, and malformed JSON)', async () => {
      const c = make({ maxResponseBytes: 4096 });
      await c.status();
      try {
        sim.control.setFaults({ hugeResponseBytes: 100_000 });
        const tooLarge = await rejectsWith(c.status(), 'PROTOCOL', /larger than 4096 bytes/);
        // The GET wire's own error for a body past maxResponseBytes, kept as cause with its name and code only.
        assert.deepEqual({ ...tooLarge.cause }, { name: 'GetAnswerError', code: 'ERR_BAD_RESPONSE' });
        assertClean(tooLarge);
        sim.control.setFaults({ badJson: 'malformed' });
        assertClean(await rejectsWith(c.status(), 'PROTOCOL', /malformed JSON/));
      } finally {
        sim.control.clearFaults();
      }
    });

    it('AUTH_FAILED (a wrong secret)', async () => {
      assertClean(await rejectsWith(make(cfg.wrong).status(), 'AUTH_FAILED'));
    });

    it('SERVER_ERROR (HTTP 500)', async () => {
      const c = make();
      await c.status();
      sim.control.setFaults({ status: 500 });
      try {
        assertClean(await rejectsWith(c.status(), 'SERVER_ERROR'));
      } finally {
        sim.control.clearFaults();
      }
    });

    it('UNREACHABLE during an upload (the connection reset mid-body)', async () => {
      const c = make();
      await c.status();
      sim.control.setFaults({ resetAfterBytes: 64 * 1024 });
      try {
        assertClean(await rejectsWith(c.upload({ buffer: Buffer.alloc(2 * 1024 * 1024, 0x47) }, 'reset.gcode'), 'UNREACHABLE'));
      } finally {
        sim.control.clearFaults();
      }
    });
  });
}
