import { UserError } from './errors.js';

const BUSY = 'Witness is busy answering other questions right now. Please try again in a minute.';

/** What a library change is told when too many are already waiting (uploads, reindexes, removals). */
export const LIBRARY_BUSY = 'Witness is busy with other changes to libraries right now. Please try again in a few minutes.';

/**
 * A bounded queue in front of the embedder: tasks run one at a time, at most `limit` wait,
 * and a burst beyond that is turned away at once instead of piling up memory and latency.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly concurrency = 1,
    /** What a task turned away is told. */
    private readonly busyMessage = BUSY,
  ) {}

  get pending(): number {
    return this.waiting.length;
  }

  get active(): number {
    return this.running;
  }

  /** Throws the busy notice now, before a caller defers, when a new task would be turned away. */
  assertRoom(): void {
    if (this.running >= this.concurrency && this.waiting.length >= this.limit) throw new UserError(this.busyMessage);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.limit) {
        throw new UserError(this.busyMessage);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
