'use strict';
// Which Node-RED the test-helper suites run on: NR_PATH (set by the version legs of test/e2e) or the installed one.
const path = require('node:path');
const assert = require('node:assert/strict');

const NR_MAIN = process.env.NR_PATH || require.resolve('node-red');
/** The Node-RED version under test (the package.json beside the runtime's lib/red.js). */
const NR_VERSION = require(path.join(path.dirname(NR_MAIN), '..', 'package.json')).version;
/** Node-RED copies an error's own `code` into a Catch node's msg.error only from 4.0 on (Flow.handleError). */
const CATCH_HAS_CODE = Number(NR_VERSION.split('.')[0]) >= 4;

/** Asserts the code a Catch node received, where the runtime passes codes on; always asserts a message. */
function expectCode(caughtMsg, code) {
  assert.ok(caughtMsg && caughtMsg.error && caughtMsg.error.message, 'the Catch node got an error with a message');
  if (CATCH_HAS_CODE) assert.equal(caughtMsg.error.code, code);
}

module.exports = { NR_MAIN, NR_VERSION, CATCH_HAS_CODE, expectCode };
