'use strict';
// Runs the existing client and node suites against another Buddy firmware generation of the simulator (issue 20):
//   PRUSALINK_TEST_BUDDY_FIRMWARE=6.4.1 node scripts/test.js test/client/upload.test.js test/nodes/status.test.js
// Unset, the simulator's default (the newest) is used. A test that names its own firmware keeps it.

/** The simulator options with the generation asked for by the environment, for a Buddy that names none. */
function withTestGeneration(opts) {
  const firmware = process.env.PRUSALINK_TEST_BUDDY_FIRMWARE;
  if (!firmware || opts.family !== 'buddy' || opts.firmware !== undefined) return opts;
  return { ...opts, firmware };
}

module.exports = { withTestGeneration };
