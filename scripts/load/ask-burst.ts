/**
 * Load: bursts of `/ask` from many users against the real bot on the local Discord twin.
 * Every interaction must end answered, or told politely to wait (cooldown) or that the bot is
 * busy (queue full); none lost (no response within the timeout), no crash, no unhandled
 * rejection in the bot's output. Reports reply-time percentiles and the bot's peak RSS.
 *
 * When the script starts the bot itself, it stops it gracefully afterwards and reports the bot's
 * own `stats` log line (acknowledgement times as the bot saw them, event-loop delay, peak RSS).
 * `WITNESS_*` variables in this script's environment are passed on to the bot (for example
 * `WITNESS_EMBED_THREADS=0`: one onnxruntime thread per core instead of the bot's 1).
 * `LOAD_PROXY_THREAD=main` puts the recording proxy's socket back on the twin's thread, as it
 * was before, to compare.
 *
 *   npx tsx scripts/load/ask-burst.ts [interactions=200] [users=50] [cooldownSeconds=10] [burstGapMs=2000]
 */
import { pathToFileURL } from 'node:url';
import type { HealthSnapshot } from '../../src/discord/health.js';
import { newUser, runScript, slash, startBot, startHarness, stopHarness, waitForExit, type Harness } from '../../test/e2e/harness.js';
import { treeMemoryMB } from './rss.js';

const QUESTIONS = [
  'Who published the photos of torture in Mosul?',
  'What did Human Rights Watch accuse the Iraqi military of?',
  'What happened to the men and boys from the Jumaila tribe?',
  'What did Amnesty International say about revenge attacks?',
  'Which strategic town near the Syrian border did the rebels capture?',
  'What is the capital of Australia?',
];

export interface BurstReport {
  interactions: number;
  users: number;
  bursts: number;
  cooldownSeconds: number;
  answered: number;
  abstained: number;
  toldToWait: number;
  toldBusy: number;
  errors: number;
  errorSamples: string[];
  lost: number;
  replyMs: { p50: number; p95: number; max: number };
  /** From just before the twin was asked to create the interaction to the bot's acknowledgement reaching the proxy. */
  ackMs: { p50: number; p95: number; max: number };
  /** From the twin having sent the interaction on the gateway to the bot's acknowledgement reaching the proxy. */
  ackAfterDispatchMs: { p50: number; p95: number; max: number };
  answeredReplyMs: { p50: number; p95: number; max: number };
  peakRssMB: number;
  botAlive: boolean;
  unhandled: string[];
  wallSeconds: number;
  /** The bot's `stats` line at shutdown (only when this script started the bot). */
  botStats: HealthSnapshot | null;
  /** The bot's exit code after SIGTERM (only when this script started the bot). */
  botExitCode: number | null;
  botEnv: Record<string, string>;
  proxyThread: 'worker' | 'main';
}

/** `WITNESS_*` settings of this process, passed on to a bot the script starts. */
export function witnessEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[0].startsWith('WITNESS_') && entry[1] !== undefined));
}

/** The last `stats` line the bot logged, if any. */
export function botStats(logs: readonly string[]): HealthSnapshot | null {
  const line = [...logs].reverse().find((l) => l.includes('"event":"stats"'));
  return line ? (JSON.parse(line) as HealthSnapshot) : null;
}

function percentiles(samples: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  return { p50: Math.round(at(50)), p95: Math.round(at(95)), max: Math.round(sorted[sorted.length - 1] ?? Number.NaN) };
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

export async function askBurst(options: {
  interactions: number;
  users: number;
  cooldownSeconds: number;
  burstGapMs: number;
  harness?: Harness;
  /** Extra settings for a bot the script starts (default: the WITNESS_* variables of this process). */
  env?: Record<string, string>;
  /** Waits for every interaction at most this long after the last burst was sent. */
  timeoutMs?: number;
  /** Where the recording proxy listens (see test/e2e/harness.ts); `main` only to compare with how it was measured before. */
  proxyThread?: 'worker' | 'main';
}): Promise<BurstReport> {
  const own = !options.harness;
  const botEnv = { WITNESS_LOG_LEVEL: 'info', ...(options.env ?? witnessEnv()), WITNESS_COOLDOWN_SECONDS: String(options.cooldownSeconds) };
  const harness = options.harness ?? (await startHarness({ env: botEnv, proxyThread: options.proxyThread ?? 'worker' }));
  let peak = 0;
  let sampler: NodeJS.Timeout | null = null;
  try {
    if (own) {
      const registered = await runScript(harness, 'scripts/register-commands.ts');
      if (registered.code !== 0) throw new Error(`register failed: ${registered.stderr}`);
      await startBot(harness);
    }
    const pid = harness.bot?.pid as number;
    sampler = setInterval(() => {
      peak = Math.max(peak, treeMemoryMB(pid).peak);
    }, 250);
    const users: string[] = [];
    for (let i = 0; i < options.users; i++) users.push(await newUser(harness, 'load'));
    const bursts = Math.ceil(options.interactions / options.users);
    // Times are taken where the bot's own requests reach the recording proxy (stamped by its own
    // thread), so they measure the bot, not the twin's database or this script's polling.
    const seen = new Map<string, { t0: number; dispatched: number; ackMs?: number; doneMs?: number; kind?: string }>();
    harness.faults.intercept = (request) => {
      const match = /\/interactions\/\d+\/([^/]+)\/callback|\/webhooks\/\d+\/([^/?]+)/u.exec(request.path);
      const token = match?.[1] ?? match?.[2];
      const entry = token ? seen.get(token) : undefined;
      if (!entry) return null;
      // The time the request reached the proxy, not the time this thread got round to it.
      const now = request.at - entry.t0;
      const body = request.body as { type?: number; data?: { content?: string; embeds?: unknown[] }; content?: string; embeds?: unknown[] } | null;
      const data = body?.data ?? body ?? {};
      entry.ackMs ??= now;
      // The answer: an immediate reply, or the edit (or follow-up) after a deferral.
      const isFinal = match?.[2] !== undefined ? request.method === 'PATCH' || request.method === 'POST' : body?.type === 4;
      if (isFinal && entry.doneMs === undefined) {
        const content = data.content ?? '';
        entry.doneMs = now;
        entry.kind = (data.embeds?.length ?? 0) > 0 ? 'answered' : content.includes('does not answer') ? 'abstained' : /^Please wait \d+ s/u.test(content) ? 'wait' : content.includes('busy') ? 'busy' : `error: ${content.slice(0, 80)}`;
      }
      return null;
    };
    const started = performance.now();
    let sent = 0;
    const sending: Promise<void>[] = [];
    for (let burst = 0; burst < bursts; burst++) {
      for (let u = 0; u < options.users && sent < options.interactions; u++, sent++) {
        const question = QUESTIONS[sent % QUESTIONS.length] as string;
        const user = users[u] as string;
        const t0 = Date.now();
        sending.push(
          slash(harness, user, 'ask', [{ name: 'question', type: 3, value: question }]).then((interaction) => {
            seen.set(interaction.token, { t0, dispatched: Date.now() - t0 });
          }),
        );
      }
      await Promise.all(sending);
      if (burst < bursts - 1) await sleep(options.burstGapMs);
    }
    await Promise.all(sending);
    const deadline = Date.now() + (options.timeoutMs ?? 180_000);
    while ([...seen.values()].some((entry) => entry.doneMs === undefined) && Date.now() < deadline) await sleep(200);
    harness.faults.intercept = null;
    const results = [...seen.values()].map((entry) => ({
      kind: entry.kind ?? 'lost',
      replyMs: entry.doneMs ?? Number.NaN,
      ackMs: entry.ackMs ?? Number.NaN,
      ackAfterDispatchMs: (entry.ackMs ?? Number.NaN) - entry.dispatched,
    }));
    const wallSeconds = (performance.now() - started) / 1000;
    const count = (kind: string): number => results.filter((r) => r.kind === kind).length;
    const replied = results.filter((r) => r.kind !== 'lost');
    await sleep(500);
    peak = Math.max(peak, treeMemoryMB(pid).peak);
    const botAlive = harness.bot?.exitCode === null;
    let botExitCode: number | null = null;
    if (own && harness.bot && botAlive) {
      // A graceful stop makes the bot log its `stats` line.
      harness.bot.kill('SIGTERM');
      botExitCode = await waitForExit(harness.bot);
    }
    return {
      interactions: options.interactions,
      users: options.users,
      bursts,
      cooldownSeconds: options.cooldownSeconds,
      answered: count('answered'),
      abstained: count('abstained'),
      toldToWait: count('wait'),
      toldBusy: count('busy'),
      errors: results.filter((r) => r.kind.startsWith('error')).length,
      errorSamples: results.filter((r) => r.kind.startsWith('error')).slice(0, 3).map((r) => r.kind),
      lost: count('lost'),
      replyMs: percentiles(replied.map((r) => r.replyMs)),
      ackMs: percentiles(replied.map((r) => r.ackMs)),
      ackAfterDispatchMs: percentiles(replied.map((r) => r.ackAfterDispatchMs)),
      answeredReplyMs: percentiles(results.filter((r) => r.kind === 'answered' || r.kind === 'abstained').map((r) => r.replyMs)),
      peakRssMB: Math.round(peak),
      botAlive,
      unhandled: harness.logs.filter((line) => /unhandled|uncaught|"level":60|interaction failed/iu.test(line)).slice(0, 5),
      wallSeconds: Number(wallSeconds.toFixed(1)),
      botStats: own ? botStats(harness.logs) : null,
      botExitCode,
      botEnv: own ? botEnv : {},
      proxyThread: options.proxyThread ?? 'worker',
    };
  } finally {
    if (sampler) clearInterval(sampler);
    if (own) await stopHarness(harness);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [interactions = 200, users = 50, cooldownSeconds = 10, burstGapMs = 2000] = process.argv.slice(2).map(Number);
  const proxyThread = process.env.LOAD_PROXY_THREAD === 'main' ? 'main' : 'worker';
  const report = await askBurst({ interactions, users, cooldownSeconds, burstGapMs, proxyThread });
  console.log(JSON.stringify(report, null, 2));
  const ok = report.lost === 0 && report.errors === 0 && report.botAlive && report.unhandled.length === 0 && report.botExitCode === 0;
  if (!ok) process.exitCode = 1;
}
