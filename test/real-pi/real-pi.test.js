'use strict';
// Prusa's own PrusaLink 0.8.1 (the Raspberry Pi edition, with a fake MK3S) started once for the whole suite: every
// client call and every node against the real server. Expected values come from the real server's configuration
// (run.sh), the fake printer and the facts document, never from our simulator. Skips locally (one line) where the
// fixture cannot run; runs in CI.
const { describe, before, after } = require('node:test');
const fixture = require('./lib/fixture');
const { closeClients } = require('./lib/tools');

describe('real PrusaLink 0.8.1 (Pi edition)', fixture.suiteOptions(), () => {
  let pi;
  before(async () => {
    pi = await fixture.start();
  });
  after(() => {
    closeClients();
    if (pi) pi.stop();
  });
  const current = () => pi;
  require('./lib/defects')(current);
  require('./lib/client-tour')(current);
  require('./lib/print-tour')(current);
  require('./lib/node-tour')(current);
  require('./lib/prism-tour')(current);
});
