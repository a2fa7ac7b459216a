/**
 * The package's programmatic entry point (`require('@makerflows/node-red-prusalink')`): the PrusaLink client and its
 * types. Node-RED loads the nodes through package.json's `node-red` section, not through here. The simulator, the
 * folder sync and the metadata reader have entry points of their own (`…/sim`, `…/sync`, `…/metadata` in the
 * `exports` map), so that a user of the client does not load them.
 */
export * from './client';
