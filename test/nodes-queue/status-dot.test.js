'use strict';
// The queue node's status dot in words a user reads (en-US catalog, placeholders filled): the queue length and what
// the queue waits for, with the colour meanings of node-status.ts.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { queueStatus } = require('../../dist/nodes/queue-status.js');
const { englishText } = require('./queue-helpers');

const RED = { _: englishText };
const job = (id, extra = {}) => ({ id, source: { kind: 'printer', path: `/usb/${id}.gcode` }, copies: 1, copiesDone: 0, addedAt: '2026-12-05T08:00:00.000Z', state: 'queued', ...extra });
const snapshot = (extra) => ({ paused: false, waitingFor: 'nothing', jobs: [], ...extra });

describe('queue status dot', () => {
  const cases = [
    ['an empty queue', snapshot({ waitingFor: 'empty' }), 'queue empty', 'grey', 'dot'],
    [
      'three queued, waiting for the bed to be cleared',
      snapshot({ waitingFor: 'bed-clear', jobs: [job('a'), job('b'), job('c')] }),
      '3 queued · waiting for bed clear',
      'yellow',
      'ring',
    ],
    [
      'the second copy of three printing, two more jobs',
      snapshot({ waitingFor: 'printing', current: job('a', { copies: 3, copiesDone: 1, state: 'printing' }), jobs: [job('b'), job('c')] }),
      'printing 2/3 · 2 queued',
      'blue',
      'dot',
    ],
    ['the only job printing', snapshot({ waitingFor: 'printing', current: job('a', { state: 'printing' }) }), 'printing 1/1', 'blue', 'dot'],
    ['offline with two queued', snapshot({ waitingFor: 'offline', jobs: [job('a'), job('b')] }), 'offline · 2 queued', 'yellow', 'ring'],
    ['paused with one queued', snapshot({ paused: true, waitingFor: 'paused', jobs: [job('a')] }), 'paused · 1 queued', 'grey', 'dot'],
    ['a MINI not on its main screen', snapshot({ waitingFor: 'main-screen', jobs: [job('a')] }), '1 queued · waiting for main screen', 'yellow', 'ring'],
    ['a start time ahead', snapshot({ waitingFor: 'start-time', jobs: [job('a')] }), '1 queued · waiting for start time', 'blue', 'ring'],
    ['a printer printing something else', snapshot({ waitingFor: 'printer-busy', jobs: [job('a')] }), '1 queued · printer busy', 'blue', 'ring'],
    [
      'copies left of the current job while the bed waits',
      snapshot({ waitingFor: 'bed-clear', current: job('a', { copies: 2, copiesDone: 1 }), jobs: [job('b')] }),
      '2 queued · waiting for bed clear',
      'yellow',
      'ring',
    ],
  ];
  for (const [what, snap, text, fill, shape] of cases) {
    it(`${what}: "${text}"`, () => {
      assert.deepEqual(queueStatus(RED, snap), { text, fill, shape });
    });
  }
});
