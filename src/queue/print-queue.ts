/**
 * PrintQueue: one queue of print jobs per printer (skeleton: the API compiles; the state machine follows).
 */
import { EventEmitter } from 'node:events';
import { QueueError } from './errors';
import type { AddInput, PersistedQueue, QueueOptions, QueueSnapshot } from './types';

export class PrintQueue extends EventEmitter {
  private state: PersistedQueue = { version: 1, paused: false, jobs: [] };

  constructor(private readonly options: QueueOptions) {
    super();
  }

  async start(): Promise<QueueSnapshot> {
    this.state = (await this.options.storage.load()) ?? this.state;
    return this.list();
  }

  async stop(): Promise<void> {}

  async add(_input: AddInput): Promise<QueueSnapshot> {
    throw new QueueError('BAD_ACTION', 'add: not implemented yet');
  }
  async remove(_id: string): Promise<QueueSnapshot> {
    throw new QueueError('BAD_ACTION', 'remove: not implemented yet');
  }
  async move(_id: string, _toIndex: number): Promise<QueueSnapshot> {
    throw new QueueError('BAD_ACTION', 'move: not implemented yet');
  }
  async clear(): Promise<QueueSnapshot> {
    throw new QueueError('BAD_ACTION', 'clear: not implemented yet');
  }
  async pauseQueue(): Promise<QueueSnapshot> {
    throw new QueueError('BAD_ACTION', 'pauseQueue: not implemented yet');
  }
  async resumeQueue(): Promise<QueueSnapshot> {
    throw new QueueError('BAD_ACTION', 'resumeQueue: not implemented yet');
  }
  async bedCleared(): Promise<QueueSnapshot> {
    throw new QueueError('BAD_ACTION', 'bedCleared: not implemented yet');
  }

  list(): QueueSnapshot {
    const s = this.state;
    return { paused: s.paused, waitingFor: s.jobs.length ? 'nothing' : 'empty', jobs: s.jobs.map((j) => ({ ...j })), current: s.current };
  }
}
