import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How an interaction ended, as the router saw it. */
export type InteractionOutcome = 'ok' | 'user_error' | 'store_unavailable' | 'failed' | 'restarting' | 'unknown_command';

/** What `/metrics` reads when it is scraped: live figures the bot already keeps. */
export interface MetricSources {
  /** Questions waiting for, and running on, the model. */
  queue: () => { waiting: number; running: number };
  /** Libraries open in this process, and the documents each holds (by library name). */
  libraries: () => { name: string; documents: number }[];
}

/**
 * The bot's figures in Prometheus's format (prom-client): interactions by command and outcome,
 * acknowledgement and answer latency, open libraries and their documents, the work queue and
 * the search store's errors. Labels are command names and outcomes only: no server's contents
 * and no user's words go into a metric.
 */
export class BotMetrics {
  readonly registry = new Registry();
  private readonly interactions: Counter<'command' | 'outcome'>;
  private readonly ackSeconds: Histogram<'command'>;
  private readonly handledSeconds: Histogram<'command'>;
  private readonly storeErrors: Counter;

  constructor(sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'witness_' });
    this.interactions = new Counter({ name: 'witness_interactions_total', help: 'Interactions handled, by command and how they ended', labelNames: ['command', 'outcome'], registers: [this.registry] });
    const buckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30];
    this.ackSeconds = new Histogram({ name: 'witness_ack_seconds', help: 'From receiving an interaction to Discord accepting its acknowledgement', labelNames: ['command'], buckets, registers: [this.registry] });
    this.handledSeconds = new Histogram({ name: 'witness_answer_seconds', help: 'From receiving an interaction to its final reply', labelNames: ['command'], buckets, registers: [this.registry] });
    this.storeErrors = new Counter({ name: 'witness_store_errors_total', help: 'Interactions that failed because the search store (Solr) did not answer', registers: [this.registry] });
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    };
    gauge('witness_queue_depth', 'Questions waiting for the model', () => sources.queue().waiting);
    gauge('witness_queue_running', 'Questions running on the model', () => sources.queue().running);
    gauge('witness_open_libraries', 'Libraries open in this process', () => sources.libraries().length);
    new Gauge({
      name: 'witness_library_documents',
      help: 'Documents in each open library',
      labelNames: ['library'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { name, documents } of sources.libraries()) this.set({ library: name }, documents);
      },
    });
  }

  acknowledged(command: string, seconds: number): void {
    this.ackSeconds.observe({ command: commandLabel(command) }, seconds);
  }

  handled(command: string, outcome: InteractionOutcome, seconds: number): void {
    this.interactions.inc({ command: commandLabel(command), outcome });
    this.handledSeconds.observe({ command: commandLabel(command) }, seconds);
    if (outcome === 'store_unavailable') this.storeErrors.inc();
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** A command name as a label: the bot's own names only, so a crafted custom id cannot add series. */
function commandLabel(command: string): string {
  return /^[a-z][a-z0-9_-]{0,31}$/u.test(command) ? command : 'other';
}
