'use strict';
// Which deploys stop a node (and so end its pending msgs when the runtime announces the stop): the same lists
// Node-RED's flows.stop uses.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { stopsNode } = require('../../dist/nodes/deploy-stop');

const node = { id: 'up', z: 'tab1' };
const diff = (over) => ({ changed: [], removed: [], rewired: [], linked: [], flowChanged: [], ...over });

describe('stopsNode', () => {
  it('a full deploy, or one that says nothing, stops every node', () => {
    assert.equal(stopsNode({ type: 'full', diff: diff({}) }, node), true);
    assert.equal(stopsNode({}, node), true);
  });
  it('modified nodes: only a changed or removed node', () => {
    assert.equal(stopsNode({ type: 'nodes', diff: diff({ changed: ['up'] }) }, node), true);
    assert.equal(stopsNode({ type: 'nodes', diff: diff({ removed: ['up'] }) }, node), true);
    assert.equal(stopsNode({ type: 'nodes', diff: diff({ changed: ['other'], rewired: ['up'] }) }, node), false);
  });
  it('modified flows: also a rewired or linked node, and every node of a changed or removed tab', () => {
    assert.equal(stopsNode({ type: 'flows', diff: diff({ rewired: ['up'] }) }, node), true);
    assert.equal(stopsNode({ type: 'flows', diff: diff({ linked: ['up'] }) }, node), true);
    assert.equal(stopsNode({ type: 'flows', diff: diff({ flowChanged: ['tab1'] }) }, node), true);
    assert.equal(stopsNode({ type: 'flows', diff: diff({ removed: ['tab1'] }) }, node), true);
    assert.equal(stopsNode({ type: 'flows', diff: diff({ flowChanged: ['tab2'], changed: ['x'] }) }, node), false);
  });
});
