/**
 * The package's programmatic entry point. Node-RED loads the nodes through package.json's `node-red` section; this
 * module is for TypeScript and JavaScript users who want the client, the folder sync, the metadata reader or the
 * simulator on their own.
 */
export * from './client';
export { syncFolder, MANIFEST_NAME } from './sync';
export type { SyncOptions, SyncSummary } from './sync';
export { readMetadata, checkCompatibility } from './metadata';
export type { GcodeMetadata, CompatibilityResult } from './metadata';
export { startSimulator, startSimulators } from './sim';
export type { SimFamily, SimOptions, SimFaults, SimControl, SimPrinter } from './sim';
