/** The print queue engine (issue 17): one persisted queue of print jobs per printer, Node-RED-free. */
export { PrintQueue } from './print-queue';
export { QueueError, isQueueError } from './errors';
export { fileQueueStorage, QUEUE_FILE } from './storage';
export type {
  AddInput,
  PersistedQueue,
  QueueClient,
  QueueErrorCode,
  QueueEvent,
  QueueEventName,
  QueueJob,
  QueueJobState,
  QueueOptions,
  QueueSnapshot,
  QueueSource,
  QueueStorage,
  WaitingFor,
} from './types';
