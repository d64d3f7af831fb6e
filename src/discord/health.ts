import diagnostics from 'node:diagnostics_channel';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Discord drops an interaction that is not acknowledged within this long. */
export const DISCORD_ACK_DEADLINE_MS = 3000;

/** Samples kept for percentiles; older ones are dropped (a bot runs for months). */
const MAX_SAMPLES = 10_000;

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

/** What the bot logs about itself: how fast it acknowledged, how busy its event loop was, its memory. */
export interface HealthSnapshot {
  /** Interactions that reached the router. */
  interactions: number;
  /**
   * From the moment Discord created the interaction (its snowflake id) to our acknowledgement
   * being accepted. This is what Discord's 3-second deadline measures; it includes Discord's
   * delivery and any clock difference between Discord and this machine.
   */
  ackAgeMs: Percentiles;
  /** From our receipt of the interaction to our acknowledgement being accepted (this machine's clock only). */
  ackHandlerMs: Percentiles;
  /** From Discord's creation of the interaction to our receipt of it. */
  receiptAgeMs: Percentiles;
  /**
   * From our receipt of the interaction to the acknowledgement's headers being written to the
   * socket (undici's `sendHeaders` diagnostics channel): the bot's own share of the deadline,
   * without the network or Discord's answer.
   */
  ackSentMs: Percentiles;
  /** From Discord's creation of the interaction to the acknowledgement being written to the socket. */
  ackSentAgeMs: Percentiles;
  /** Acknowledgements written (or, if that was not seen, accepted) more than Discord's 3 seconds after the interaction was created. */
  lateAcks: number;
  /** Event-loop delay since start (perf_hooks, 10 ms resolution): how long a ready callback waited. */
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number };
  rssMB: number;
  /** Peak resident set size of this process since it started. */
  peakRssMB: number;
  heapUsedMB: number;
}

function percentiles(samples: readonly number[]): Percentiles {
  if (samples.length === 0) return { count: 0, p50: 0, p95: 0, max: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
  return { count: samples.length, p50: Math.round(at(0.5)), p95: Math.round(at(0.95)), max: Math.round(sorted[sorted.length - 1] as number) };
}

/** The latest MAX_SAMPLES values, overwritten in a ring: percentiles do not care about order. */
class Samples {
  readonly values: number[] = [];
  private next = 0;

  push(value: number): void {
    if (this.values.length < MAX_SAMPLES) this.values.push(value);
    else this.values[this.next] = value;
    this.next = (this.next + 1) % MAX_SAMPLES;
  }
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** The channel undici publishes on when it writes a request's headers to the socket. */
const SEND_HEADERS = 'undici:client:sendHeaders';
const CALLBACK_PATH = /\/interactions\/(\d+)\/[^/]+\/callback/u;

export interface InteractionTimer {
  /**
   * Records the acknowledgement as accepted (first call only). Returns the interaction's age when
   * the acknowledgement was written to the socket, or, if that was not seen, its age now.
   */
  acknowledged(): number;
  /** The interaction is finished with: stop watching for its acknowledgement. */
  done(): void;
}

interface Pending {
  createdTimestamp: number;
  receivedAt: number;
  /** Age of the interaction when its acknowledgement was written, once it has been. */
  sentAge?: number;
}

/** Collects acknowledgement times and event-loop delay for the bot's `stats` log lines. */
export class HealthMonitor {
  private readonly loop: IntervalHistogram;
  private readonly ackAges = new Samples();
  private readonly ackHandler = new Samples();
  private readonly receiptAges = new Samples();
  private readonly sent = new Samples();
  private readonly sentAges = new Samples();
  /** Interactions not finished with yet, by id. */
  private readonly pending = new Map<string, Pending>();
  private interactions = 0;
  private late = 0;
  private readonly onSendHeaders = (message: unknown): void => {
    const path = (message as { request?: { path?: unknown } }).request?.path;
    const id = typeof path === 'string' ? CALLBACK_PATH.exec(path)?.[1] : undefined;
    const entry = id ? this.pending.get(id) : undefined;
    if (!entry || entry.sentAge !== undefined) return;
    entry.sentAge = Math.max(0, this.now() - entry.createdTimestamp);
    this.sent.push(performance.now() - entry.receivedAt);
    this.sentAges.push(entry.sentAge);
  };

  constructor(private readonly now: () => number = Date.now) {
    this.loop = monitorEventLoopDelay({ resolution: 10 });
    this.loop.enable();
    diagnostics.subscribe(SEND_HEADERS, this.onSendHeaders);
  }

  /** Called as an interaction arrives. */
  received(id: string, createdTimestamp: number): InteractionTimer {
    this.interactions++;
    const entry: Pending = { createdTimestamp, receivedAt: performance.now() };
    this.receiptAges.push(Math.max(0, this.now() - createdTimestamp));
    this.pending.set(id, entry);
    let acknowledged = false;
    return {
      acknowledged: () => {
        const age = Math.max(0, this.now() - createdTimestamp);
        const sentAge = entry.sentAge ?? age;
        if (acknowledged) return sentAge;
        acknowledged = true;
        this.ackAges.push(age);
        this.ackHandler.push(performance.now() - entry.receivedAt);
        if (sentAge > DISCORD_ACK_DEADLINE_MS) this.late++;
        return sentAge;
      },
      done: () => {
        this.pending.delete(id);
      },
    };
  }

  /** Forgets the event-loop delay so far (start-up loads the model synchronously; that is not serving). */
  resetEventLoop(): void {
    this.loop.reset();
  }

  snapshot(): HealthSnapshot {
    const memory = process.memoryUsage();
    const ms = (ns: number): number => (Number.isFinite(ns) ? round1(ns / 1e6) : 0);
    return {
      interactions: this.interactions,
      ackAgeMs: percentiles(this.ackAges.values),
      ackHandlerMs: percentiles(this.ackHandler.values),
      receiptAgeMs: percentiles(this.receiptAges.values),
      ackSentMs: percentiles(this.sent.values),
      ackSentAgeMs: percentiles(this.sentAges.values),
      lateAcks: this.late,
      eventLoopDelayMs: { p50: ms(this.loop.percentile(50)), p99: ms(this.loop.percentile(99)), max: ms(this.loop.max), mean: ms(this.loop.mean) },
      rssMB: Math.round(memory.rss / 1024 / 1024),
      // resourceUsage().maxRSS is in kilobytes.
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      heapUsedMB: Math.round(memory.heapUsed / 1024 / 1024),
    };
  }

  stop(): void {
    this.loop.disable();
    diagnostics.unsubscribe(SEND_HEADERS, this.onSendHeaders);
  }
}
