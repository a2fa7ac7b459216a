/** Folder sync: make a printer folder match a local folder. */
export { syncFolder } from './sync-folder';
export { MANIFEST_NAME } from './manifest';
export type { FailedItem, SkippedItem, SkipCode, SyncClient, SyncOptions, SyncProgress, SyncSummary, SyncedItem } from './types';
