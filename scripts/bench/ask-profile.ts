// Where a warm /ask spends its time, stage by stage, on an index already on disk:
//
//   npx tsx scripts/bench/ask-profile.ts --workdir /tmp/witness-bench-sotu [--queries 200] [--out FILE]
//
// The questions are the benchmark's (scripts/bench/questions.ts: 10 to warm up, then the timed
// ones), asked with k = 3 as `npm run bench` does. Each question is answered once as a whole
// (the total), then each stage is run again on its own, with the same inputs the answer used:
//
//   embed        the question through the model (worker round trip: tokenize + onnxruntime + pooling)
//   hnsw         the 50 nearest passages from the HNSW graph (ef 128)
//   bm25         MiniSearch's 50 best passages
//   fusion       retrieve() minus the two searches: merging, scoring the missing dense similarities, scaling, sorting
//   selection    the total minus every other stage: choosing k results, duplicate detection (word-trigram fingerprints)
//   quotes       the best 1–3 sentence window of each result, from the stored sentence vectors
//   corroborate  fingerprints of each quote and the matching window in each corroborating passage
//
// A second part splits `embed` into tokenizing, onnxruntime's run and the worker's messaging, by
// running the same model in this thread too, and times the session settings side by side.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { Command, InvalidArgumentError } from 'commander';
import ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';
import { loadCoreConfig } from '../../src/config.js';
import { loadWorkerEmbedder, vendoredModel, type SessionTuning } from '../../src/embed/worker-embedder.js';
import { createLogger } from '../../src/log.js';
import type { AnswerResult } from '../../src/search/answer-types.js';
import { matchingWindow, shingles } from '../../src/search/corroborate.js';
import { searchLexical } from '../../src/search/lexical-index.js';
import type { Passage } from '../../src/search/library.js';
import { retrieve } from '../../src/search/retrieve.js';
import { openWitness } from '../../src/witness.js';
import { percentile } from './measure.js';
import { probeQuestions } from './questions.js';

const STAGES = ['total', 'embed', 'hnsw', 'bm25', 'fusion', 'selection', 'quotes', 'corroborate'] as const;
type Stage = (typeof STAGES)[number];

interface Flags {
  workdir: string;
  queries: number;
  out?: string;
  embedRounds: number;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

const stats = (samples: number[]): { p50: number; p95: number; mean: number; n: number } => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length), n: sorted.length };
};

/** Garbage collections seen, so allocation is only read from stages no collection ran inside. */
const collections: { start: number; end: number }[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collections.push({ start: entry.startTime, end: entry.startTime + entry.duration });
}).observe({ entryTypes: ['gc'] });

async function main(flags: Flags): Promise<void> {
  const corpusDir = path.join(flags.workdir, 'corpus');
  const indexDir = path.join(flags.workdir, 'index');
  const config = loadCoreConfig({ corpusDir, indexDir, logLevel: 'error' });
  const witness = await openWitness(config, createLogger('error'));
  if (!witness.report.upToDate) throw new Error('the index was not up to date: this run re-ingested, so it is not a warm profile of the index on disk');
  const { answerer, library, embedder } = witness;
  const denseWeight = answerer.settings.denseWeight;
  const chooseQuotes = (answerer as unknown as { chooseQuotes(v: Float32Array, p: Passage[]): Map<number, unknown> }).chooseQuotes.bind(answerer);

  const questions = probeQuestions(library, flags.queries + 10);
  const passageOf = (result: { sourceId: string; start: number; end: number }): Passage | undefined =>
    library.passages.find((p) => p.document.sourceId === result.sourceId && p.chunk.start <= result.start && result.end <= p.chunk.end);

  const times: Record<Stage, number[]> = Object.fromEntries(STAGES.map((s) => [s, []])) as unknown as Record<Stage, number[]>;
  const allocations: Record<Stage, number[]> = Object.fromEntries(STAGES.map((s) => [s, []])) as unknown as Record<Stage, number[]>;
  const fingerprintMs: number[] = [];
  // What overlapping the two would save: the question embedded in the worker while BM25 runs here.
  const sequentialMs: number[] = [];
  const overlappedMs: number[] = [];
  let answered = 0;
  let corroborations = 0;

  const pendingAllocations: { stage: Stage; start: number; end: number; bytes: number }[] = [];
  /** Times one stage; when `stage` is given, records its time and (read later, once collections are known) its allocation. */
  async function timed<T>(stage: Stage | null, work: () => T | Promise<T>): Promise<{ value: T; ms: number; record: (as: Stage, ms?: number) => void }> {
    const heapBefore = process.memoryUsage().heapUsed;
    const start = performance.now();
    const value = await work();
    const ms = performance.now() - start;
    const bytes = process.memoryUsage().heapUsed - heapBefore;
    const record = (as: Stage, recordedMs = ms): void => {
      times[as].push(recordedMs);
      pendingAllocations.push({ stage: as, start, end: start + ms, bytes });
    };
    if (stage) record(stage);
    return { value, ms, record };
  }

  for (const [i, question] of questions.entries()) {
    const warm = i < 10;
    const total = await timed(warm ? null : 'total', () => answerer.ask(question, { k: 3 }));
    const answer = total.value;
    const embed = await timed(warm ? null : 'embed', () => embedder.embedQueries([question]));
    const vector = embed.value[0] as Float32Array;
    const hnsw = await timed(null, () => {
      library.vectors.setEf(128);
      return library.vectors.searchKnn(Array.from(vector), 50);
    });
    const bm25 = await timed(null, () => searchLexical(library.lexical, question, 50));
    const retrieved = await timed(null, () => retrieve(library, question, vector, 'hybrid', 50, denseWeight));
    const overlapped = await timed(null, async () => {
      const vectorPromise = embedder.embedQueries([question]);
      searchLexical(library.lexical, question, 50);
      return vectorPromise;
    });
    if (warm) continue;
    sequentialMs.push(embed.ms + bm25.ms);
    overlappedMs.push(overlapped.ms);
    hnsw.record('hnsw');
    bm25.record('bm25');
    times.fusion.push(Math.max(0, retrieved.ms - hnsw.ms - bm25.ms));
    if (!answer.answered) {
      times.selection.push(Math.max(0, total.ms - embed.ms - retrieved.ms));
      continue;
    }
    answered++;
    const passages = answer.results.map((r) => passageOf(r)).filter((p): p is Passage => p !== undefined);
    const quotes = await timed('quotes', () => chooseQuotes(vector, passages));
    const corroborate = await timed('corroborate', () => {
      for (const result of answer.results as AnswerResult[]) {
        const grams = shingles(result.quote);
        for (const other of result.corroboratedBy) {
          const passage = passageOf(other);
          if (!passage) continue;
          corroborations++;
          matchingWindow(passage.document.text, passage.chunk.sentences.map(([start, end]) => ({ start, end })), grams);
        }
      }
    });
    times.selection.push(Math.max(0, total.ms - embed.ms - retrieved.ms - quotes.ms - corroborate.ms));
    // Inside selection: fingerprinting the candidates near the top, which duplicate detection compares.
    const best = Math.max(...retrieved.value.map((c) => c.dense));
    const pool = retrieved.value.filter((c) => c.dense >= best - 0.2).slice(0, 30);
    fingerprintMs.push((await timed(null, () => pool.forEach((c) => shingles(c.passage.text)))).ms);
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (const sample of pendingAllocations) {
    if (collections.some((gc) => gc.start < sample.end && gc.end > sample.start)) continue;
    allocations[sample.stage].push(sample.bytes / 1024);
  }

  const embedParts = await profileEmbedding(config.modelDir, config.modelId, questions.slice(10), embedder.profile.queryPrefix, flags.embedRounds, (question) =>
    searchLexical(library.lexical, question, 50),
  );

  const result = {
    workdir: flags.workdir,
    passages: library.passages.length,
    questions: questions.length - 10,
    answered,
    corroborations,
    loadAverage: loadavg(),
    stagesMs: Object.fromEntries(STAGES.map((s) => [s, stats(times[s])])) as Record<Stage, ReturnType<typeof stats>>,
    allocationKB: Object.fromEntries(STAGES.map((s) => [s, stats(allocations[s])])) as Record<Stage, ReturnType<typeof stats>>,
    candidateFingerprintsMs: stats(fingerprintMs),
    embedThenBm25Ms: stats(sequentialMs),
    embedWhileBm25Ms: stats(overlappedMs),
    embedding: embedParts,
  };
  if (flags.out) writeFileSync(flags.out, `${JSON.stringify(result, null, 2)}\n`);
  const f = (n: number): string => n.toFixed(2);
  const lines = ['| stage | p50 ms | p95 ms | mean ms | allocated p50 KB |', '|---|---|---|---|---|'];
  for (const stage of STAGES) {
    const s = result.stagesMs[stage];
    lines.push(`| ${stage} | ${f(s.p50)} | ${f(s.p95)} | ${f(s.mean)} | ${result.allocationKB[stage].n > 0 ? result.allocationKB[stage].p50.toFixed(0) : '–'} |`);
  }
  lines.push(`| (inside selection) fingerprints of the ≤30 top candidates | ${f(result.candidateFingerprintsMs.p50)} | ${f(result.candidateFingerprintsMs.p95)} | ${f(result.candidateFingerprintsMs.mean)} | |`);
  lines.push(`| embed then bm25, one after the other | ${f(result.embedThenBm25Ms.p50)} | ${f(result.embedThenBm25Ms.p95)} | ${f(result.embedThenBm25Ms.mean)} | |`);
  lines.push(`| embed in the worker while bm25 runs here | ${f(result.embedWhileBm25Ms.p50)} | ${f(result.embedWhileBm25Ms.p95)} | ${f(result.embedWhileBm25Ms.mean)} | |`);
  process.stdout.write(`${lines.join('\n')}\n\n${String(result.questions)} questions, ${String(answered)} answered, ${String(corroborations)} corroborating citations; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}\n\n`);
  process.stdout.write(`${formatEmbedding(embedParts)}\n`);
  await embedder.dispose();
}

interface EmbedParts {
  tokenizeMs: ReturnType<typeof stats>;
  tokens: ReturnType<typeof stats>;
  variants: { label: string; runMs?: ReturnType<typeof stats>; roundTripMs?: ReturnType<typeof stats>; bm25AfterMs?: ReturnType<typeof stats> }[];
}

/**
 * The question embedding taken apart: tokenizing (in this thread), onnxruntime's run with the
 * session settings the worker uses and with others, and the worker's full round trip; every
 * variant takes its turn on every question.
 */
async function profileEmbedding(
  modelDir: string,
  modelId: string,
  questions: string[],
  prefix: string,
  rounds: number,
  /** What an answer does next on this thread (BM25): timed after each worker round trip, to see what idle pool threads cost it. */
  next: (question: string) => unknown,
): Promise<EmbedParts> {
  const files = vendoredModel(modelDir, modelId);
  if (!files) throw new Error(`${modelId} is not vendored in ${modelDir}`);
  const tokenizer = new Tokenizer(JSON.parse(readFileSync(files.tokenizerFile, 'utf8')) as object, JSON.parse(readFileSync(files.tokenizerConfigFile, 'utf8')) as object);
  const texts = questions.map((q) => prefix + q);
  const tokenizeMs: number[] = [];
  const tokens: number[] = [];
  const encoded = texts.map((text) => {
    const start = performance.now();
    const ids = tokenizer.encode(text).ids;
    tokenizeMs.push(performance.now() - start);
    tokens.push(ids.length);
    return ids;
  });
  const feeds = encoded.map((ids) => {
    const dims = [1, ids.length];
    return {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), dims),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), dims),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(ids.length), dims),
    };
  });
  const sessionVariants: { label: string; options: ort.InferenceSession.SessionOptions }[] = [
    { label: 'in-thread run, 2 threads, arena off', options: { intraOpNumThreads: 2, enableCpuMemArena: false } },
    { label: 'in-thread run, 2 threads, arena on', options: { intraOpNumThreads: 2, enableCpuMemArena: true } },
    { label: 'in-thread run, 1 thread, arena off', options: { intraOpNumThreads: 1, enableCpuMemArena: false } },
  ];
  // Two phases, so idle pool threads of one phase's sessions cannot slow the other's; within a
  // phase the variants take turns on every question, in an order that rotates.
  const runMs: number[][] = sessionVariants.map(() => []);
  const sessions = await Promise.all(
    sessionVariants.map((v) => ort.InferenceSession.create(files.modelFile, { logSeverityLevel: 3, graphOptimizationLevel: 'all', executionMode: 'sequential', interOpNumThreads: 1, ...v.options })),
  );
  for (let round = 0; round < rounds; round++) {
    for (const [q, feed] of feeds.entries()) {
      for (let i = 0; i < sessions.length; i++) {
        const s = (q + i) % sessions.length;
        const start = performance.now();
        await sessions[s]?.run(feed);
        if (round > 0 || q >= 10) runMs[s]?.push(performance.now() - start);
      }
    }
  }
  for (const session of sessions) await session.release();

  const workerVariants: { label: string; threads: number; tuning: SessionTuning }[] = [
    { label: 'worker round trip, 1 thread (shipped)', threads: 0, tuning: {} },
    { label: 'worker round trip, 2 threads, spinning', threads: 0, tuning: { queryThreads: 2 } },
    { label: 'worker round trip, 2 threads, no spinning', threads: 0, tuning: { queryThreads: 2, spinning: false } },
  ];
  const workers = [];
  for (const v of workerVariants) workers.push(await loadWorkerEmbedder({ modelId, modelDir, allowRemoteModels: false, threads: v.threads }, files, v.tuning));
  const roundTripMs: number[][] = workers.map(() => []);
  const bm25AfterMs: number[][] = workers.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [q, question] of questions.entries()) {
      for (let i = 0; i < workers.length; i++) {
        const w = (q + i) % workers.length;
        const start = performance.now();
        await workers[w]?.embedQueries([question]);
        const embedded = performance.now();
        next(question);
        if (round > 0 || q >= 10) {
          roundTripMs[w]?.push(embedded - start);
          bm25AfterMs[w]?.push(performance.now() - embedded);
        }
      }
    }
  }
  for (const worker of workers) await worker.dispose();
  return {
    tokenizeMs: stats(tokenizeMs),
    tokens: stats(tokens),
    variants: [
      ...sessionVariants.map((v, i) => ({ label: v.label, runMs: stats(runMs[i] ?? []) })),
      ...workerVariants.map((w, i) => ({ label: w.label, roundTripMs: stats(roundTripMs[i] ?? []), bm25AfterMs: stats(bm25AfterMs[i] ?? []) })),
    ],
  };
}

function formatEmbedding(parts: EmbedParts): string {
  const f = (n: number): string => n.toFixed(2);
  const lines = [
    `Question embedding: ${f(parts.tokens.p50)} tokens (p50); tokenizing p50 ${f(parts.tokenizeMs.p50)} ms, p95 ${f(parts.tokenizeMs.p95)} ms`,
    '',
    '| variant | p50 ms | p95 ms | mean ms | BM25 right after, p50 ms |',
    '|---|---|---|---|---|',
  ];
  for (const v of parts.variants) {
    const s = v.runMs ?? v.roundTripMs;
    if (s !== undefined) lines.push(`| ${v.label} | ${f(s.p50)} | ${f(s.p95)} | ${f(s.mean)} | ${v.bm25AfterMs ? f(v.bm25AfterMs.p50) : '–'} |`);
  }
  return lines.join('\n');
}

const program = new Command('ask-profile')
  .description('Warm /ask taken apart stage by stage on an index already on disk')
  .requiredOption('--workdir <dir>', 'work folder with corpus/ and an up-to-date index/')
  .option('--queries <n>', 'timed questions (after 10 to warm up)', count, 200)
  .option('--embed-rounds <n>', 'passes over the questions for the embedding variants', count, 1)
  .option('--out <file>', 'write the JSON result here')
  .action((flags: Flags) => main({ ...flags, workdir: path.resolve(flags.workdir) }));

await program.parseAsync(process.argv.slice(2), { from: 'user' });
