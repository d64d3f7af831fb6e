/**
 * Load: bursts of `/ask` from many users against the real bot on the local Discord twin.
 * Every interaction must end answered, or told politely to wait (cooldown) or that the bot is
 * busy (queue full); none lost (no response within the timeout), no crash, no unhandled
 * rejection in the bot's output. Reports reply-time percentiles and the bot's peak RSS.
 *
 *   npx tsx scripts/load/ask-burst.ts [interactions=200] [users=50] [cooldownSeconds=10] [burstGapMs=2000]
 */
import { pathToFileURL } from 'node:url';
import { newUser, runScript, slash, startBot, startHarness, stopHarness, type Harness } from '../../test/e2e/harness.js';
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
  ackMs: { p50: number; p95: number; max: number };
  answeredReplyMs: { p50: number; p95: number; max: number };
  peakRssMB: number;
  botAlive: boolean;
  unhandled: string[];
  wallSeconds: number;
}

function percentiles(samples: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  return { p50: Math.round(at(50)), p95: Math.round(at(95)), max: Math.round(sorted[sorted.length - 1] ?? Number.NaN) };
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

export async function askBurst(options: { interactions: number; users: number; cooldownSeconds: number; burstGapMs: number; harness?: Harness }): Promise<BurstReport> {
  const own = !options.harness;
  const harness = options.harness ?? (await startHarness({ env: { WITNESS_COOLDOWN_SECONDS: String(options.cooldownSeconds), WITNESS_LOG_LEVEL: 'info' } }));
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
    // Times are taken where the bot's own requests pass the recording proxy, so they measure the
    // bot, not the twin's database or this script's polling.
    const seen = new Map<string, { t0: number; ackMs?: number; doneMs?: number; kind?: string }>();
    harness.faults.intercept = (request) => {
      const match = /\/interactions\/\d+\/([^/]+)\/callback|\/webhooks\/\d+\/([^/?]+)/u.exec(request.path);
      const token = match?.[1] ?? match?.[2];
      const entry = token ? seen.get(token) : undefined;
      if (!entry) return null;
      const now = performance.now() - entry.t0;
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
        const t0 = performance.now();
        sending.push(
          slash(harness, user, 'ask', [{ name: 'question', type: 3, value: question }]).then((interaction) => {
            seen.set(interaction.token, { t0 });
          }),
        );
      }
      await Promise.all(sending);
      if (burst < bursts - 1) await sleep(options.burstGapMs);
    }
    await Promise.all(sending);
    const deadline = Date.now() + 180_000;
    while ([...seen.values()].some((entry) => entry.doneMs === undefined) && Date.now() < deadline) await sleep(200);
    harness.faults.intercept = null;
    const results = [...seen.values()].map((entry) => ({ kind: entry.kind ?? 'lost', replyMs: entry.doneMs ?? Number.NaN, ackMs: entry.ackMs ?? Number.NaN }));
    const wallSeconds = (performance.now() - started) / 1000;
    const count = (kind: string): number => results.filter((r) => r.kind === kind).length;
    const replied = results.filter((r) => r.kind !== 'lost');
    await sleep(500);
    peak = Math.max(peak, treeMemoryMB(pid).peak);
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
      answeredReplyMs: percentiles(results.filter((r) => r.kind === 'answered' || r.kind === 'abstained').map((r) => r.replyMs)),
      peakRssMB: Math.round(peak),
      botAlive: harness.bot?.exitCode === null,
      unhandled: harness.logs.filter((line) => /unhandled|uncaught|"level":60|interaction failed/iu.test(line)).slice(0, 5),
      wallSeconds: Number(wallSeconds.toFixed(1)),
    };
  } finally {
    if (sampler) clearInterval(sampler);
    if (own) await stopHarness(harness);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [interactions = 200, users = 50, cooldownSeconds = 10, burstGapMs = 2000] = process.argv.slice(2).map(Number);
  const report = await askBurst({ interactions, users, cooldownSeconds, burstGapMs });
  console.log(JSON.stringify(report, null, 2));
  const ok = report.lost === 0 && report.errors === 0 && report.botAlive && report.unhandled.length === 0;
  if (!ok) process.exitCode = 1;
}
