/** Ring buffer of the printer requests received, so a long benchmark does not grow memory without bound. */
import type { RecordedRequest } from './types';

export class RequestRecorder {
  private readonly items: RecordedRequest[] = [];
  private next = 0;

  constructor(private readonly capacity = 10_000) {}

  add(r: RecordedRequest): void {
    if (this.items.length < this.capacity) {
      this.items.push(r);
    } else {
      this.items[this.next] = r;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  /** Oldest first. */
  list(): RecordedRequest[] {
    return [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }

  clear(): void {
    this.items.length = 0;
    this.next = 0;
  }
}
