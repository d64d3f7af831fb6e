import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How an interaction ended, as the router saw it. */
export type InteractionOutcome = 'ok' | 'user_error' | 'store_unavailable' | 'failed' | 'restarting' | 'unknown_command';

/** What `/metrics` reads when it is scraped: live figures the bot already keeps. */
export interface MetricSources {
  /** Questions waiting for, and running on, the model. */
  queue: () => { waiting: number; running: number };
  /** The base library's documents. */
  base: () => number;
  /** Server libraries open in this process: their documents and estimated bytes (no server is named). */
  servers: () => { documents: number; bytes: number }[];
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
    gauge('witness_open_libraries', 'Libraries open in this process (the base library and open server libraries)', () => 1 + sources.servers().length);
    gauge('witness_base_library_documents', 'Documents in the base library', () => sources.base());
    gauge('witness_server_library_documents', 'Documents in all open server libraries together', () => sources.servers().reduce((sum, s) => sum + s.documents, 0));
    gauge('witness_server_library_bytes', 'Estimated memory of the open server libraries (their index size on disk)', () => sources.servers().reduce((sum, s) => sum + s.bytes, 0));
    const perServer = new Histogram({ name: 'witness_documents_per_server', help: 'Documents per open server library, read at each scrape', buckets: [0, 1, 5, 10, 25, 50, 100, 250], registers: [this.registry] });
    this.observeServers = () => {
      perServer.reset();
      for (const { documents } of sources.servers()) perServer.observe(documents);
    };
  }

  acknowledged(command: string, seconds: number): void {
    this.ackSeconds.observe({ command: commandLabel(command) }, seconds);
  }

  handled(command: string, outcome: InteractionOutcome, seconds: number): void {
    this.interactions.inc({ command: commandLabel(command), outcome });
    this.handledSeconds.observe({ command: commandLabel(command) }, seconds);
    if (outcome === 'store_unavailable') this.storeErrors.inc();
  }

  private readonly observeServers: () => void;

  async text(): Promise<string> {
    this.observeServers();
    return this.registry.metrics();
  }
}

/** A command name as a label: the bot's own names only, so a crafted custom id cannot add series. */
function commandLabel(command: string): string {
  return /^[a-z][a-z0-9_-]{0,31}$/u.test(command) ? command : 'other';
}
