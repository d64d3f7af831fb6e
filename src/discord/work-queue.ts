import { UserError } from './errors.js';

const BUSY = 'Witness is busy answering other questions right now. Please try again in a minute.';

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
  ) {}

  get pending(): number {
    return this.waiting.length;
  }

  get active(): number {
    return this.running;
  }

  /** Throws the busy notice now, before a caller defers, when a new task would be turned away. */
  assertRoom(): void {
    if (this.running >= this.concurrency && this.waiting.length >= this.limit) throw new UserError(BUSY);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.limit) {
        throw new UserError(BUSY);
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
