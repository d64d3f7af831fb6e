/** What BulkHelpers needs of a model worker's client. */
export interface HelperClient {
  /** The worker died or could not run: every request to it fails. */
  readonly failed: boolean;
  stop(): Promise<void>;
}

/** Idle time after which the extra model workers of a bulk job are stopped. */
const HELPERS_IDLE_MS = 60_000;

/**
 * The extra model workers bulk work runs on beside the main one: started when a bulk job needs
 * them and stopped a minute after the last one ends, so a serving process does not keep them. A
 * helper that died is started again by the next job that asks for it.
 */
export class BulkHelpers<C extends HelperClient> {
  private started: Promise<C>[] = [];
  private running = 0;
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly count: number,
    private readonly start: () => Promise<C>,
    private readonly idleMs = HELPERS_IDLE_MS,
  ) {}

  get(n: number): Promise<C> {
    if (this.started.length === 0) this.started = Array.from({ length: this.count }, () => this.start());
    const started = this.started;
    const current = started[n] as Promise<C>;
    return current.then(
      (client) => (client.failed ? this.restart(started, n, current) : client),
      () => this.restart(started, n, current),
    );
  }

  /** Starts helper `n` again, once however many callers found it dead. */
  private restart(started: Promise<C>[], n: number, dead: Promise<C>): Promise<C> {
    if (started[n] === dead) {
      dead.then((client) => client.stop()).catch(() => undefined);
      started[n] = this.start();
    }
    return started[n] as Promise<C>;
  }

  /** Runs a bulk job; the helpers stay while any job runs and for a while after. */
  async during<T>(job: () => Promise<T>): Promise<T> {
    clearTimeout(this.idle);
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      if (this.running === 0) {
        this.idle = setTimeout(() => void this.stop(), this.idleMs);
        this.idle.unref();
      }
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.idle);
    const started = this.started;
    this.started = [];
    await Promise.all(started.map((client) => client.then((c) => c.stop()).catch(() => undefined)));
  }
}
