// Where a warm /ask spends its time, stage by stage, on an index already on disk:
//
//   npx tsx scripts/bench/ask-profile.ts --workdir /tmp/witness-bench-sotu [--queries 200] [--out FILE]
//
// The questions are the benchmark's (scripts/bench/questions.ts: 10 to warm up, then the timed
// ones), asked with k = 3 as `npm run bench` does. Each question is answered once as a whole
// (the total), then each stage is run again on its own, with the same inputs the answer used:
//
//   embed          the question through the model (worker round trip: tokenize + onnxruntime + pooling)
//   bm25           the 50 best passages by BM25 (the store's `matching`: src/search/lexical-index.ts)
//   embed ‖ bm25   both, as an answer runs them: BM25 here while the worker embeds
//   hnsw           the 50 nearest passages from the HNSW graph (the store's `nearest`)
//   fusion         merging both lists and reading every candidate's and sentence's similarity (the store's `similarities`), sorting
//   selection      the total minus every other stage: choosing k results, duplicate detection (word-trigram fingerprints)
//   quotes         the best 1–3 sentence window of each result, from the stored sentence vectors
//   corroborate    fingerprints of each quote and the matching window in each corroborating passage
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { Command } from 'commander';
import { count } from './flags.js';
import { loadCoreConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { AnswerResult } from '../../src/search/answer-types.js';
import { matchingWindow, shingles } from '../../src/search/corroborate.js';
import { chooseQuotes } from '../../src/search/choose-quote.js';
import type { Passage } from '../../src/search/library.js';
import { questionIntent } from '../../src/search/question-intent.js';
import { CANDIDATE_DEPTH, gather, withSimilarities } from '../../src/search/retrieve.js';
import { openWitness } from '../../src/witness.js';
import { summarize } from './measure.js';
import { probeQuestions } from './questions.js';

const STAGES = ['total', 'embed', 'bm25', 'embed ‖ bm25', 'hnsw', 'fusion', 'selection', 'quotes', 'corroborate'] as const;
type Stage = (typeof STAGES)[number];

interface Flags {
  workdir: string;
  queries: number;
  out?: string;
}

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
  const { store } = answerer;

  const questions = probeQuestions(library, flags.queries + 10);
  const bySource = new Map<string, Passage[]>();
  for (const passage of library.passages) {
    const list = bySource.get(passage.document.sourceId) ?? [];
    list.push(passage);
    bySource.set(passage.document.sourceId, list);
  }
  const passageOf = (result: { sourceId: string; start: number; end: number }): Passage | undefined =>
    bySource.get(result.sourceId)?.find((p) => p.chunk.start <= result.start && result.end <= p.chunk.end);

  const times: Record<Stage, number[]> = Object.fromEntries(STAGES.map((s) => [s, []])) as unknown as Record<Stage, number[]>;
  const allocations: Record<Stage, number[]> = Object.fromEntries(STAGES.map((s) => [s, []])) as unknown as Record<Stage, number[]>;
  const fingerprintMs: number[] = [];
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
    const bm25Depth = Math.min(CANDIDATE_DEPTH, library.passages.length);
    const bm25 = await timed(warm ? null : 'bm25', () => store.matching(question, bm25Depth));
    const overlapped = await timed(warm ? null : 'embed ‖ bm25', async () => {
      const vectorPromise = embedder.embedQueries([question]);
      await store.matching(question, bm25Depth);
      return vectorPromise;
    });
    const hnsw = await timed(null, () => store.nearest(vector, CANDIDATE_DEPTH));
    const retrieved = await timed(null, async () => {
      const pool = gather(library, await store.nearest(vector, CANDIDATE_DEPTH), bm25.value, 'hybrid');
      return withSimilarities(pool.values(), await store.similarities([...pool.values()].map((c) => c.passage), vector), 'hybrid');
    });
    if (warm) continue;
    hnsw.record('hnsw');
    times.fusion.push(Math.max(0, retrieved.ms - hnsw.ms));
    if (!answer.answered) {
      times.selection.push(Math.max(0, total.ms - overlapped.ms - retrieved.ms));
      continue;
    }
    answered++;
    const passages = answer.results.map((r) => passageOf(r)).filter((p): p is Passage => p !== undefined);
    const quotes = await timed('quotes', async () =>
      chooseQuotes(passages, {
        similarities: await store.similarities(passages, vector),
        intent: questionIntent(question),
        questionWords: library.words.questionWeights(question),
        lexicalWeight: answerer.settings.quoteLexicalWeight ?? 0.1,
      }),
    );
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
    times.selection.push(Math.max(0, total.ms - overlapped.ms - retrieved.ms - quotes.ms - corroborate.ms));
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

  const result = {
    workdir: flags.workdir,
    passages: library.passages.length,
    questions: questions.length - 10,
    answered,
    corroborations,
    loadAverage: loadavg(),
    stagesMs: Object.fromEntries(STAGES.map((s) => [s, summarize(times[s])])) as Record<Stage, ReturnType<typeof summarize>>,
    allocationKB: Object.fromEntries(STAGES.map((s) => [s, summarize(allocations[s])])) as Record<Stage, ReturnType<typeof summarize>>,
    candidateFingerprintsMs: summarize(fingerprintMs),
  };
  if (flags.out) writeFileSync(flags.out, `${JSON.stringify(result, null, 2)}\n`);
  const f = (n: number): string => n.toFixed(2);
  const lines = ['| stage | p50 ms | p95 ms | mean ms | allocated p50 KB |', '|---|---|---|---|---|'];
  for (const stage of STAGES) {
    const s = result.stagesMs[stage];
    lines.push(`| ${stage} | ${f(s.p50)} | ${f(s.p95)} | ${f(s.mean)} | ${result.allocationKB[stage].n > 0 ? result.allocationKB[stage].p50.toFixed(0) : '–'} |`);
  }
  lines.push(`| (inside selection) fingerprints of the ≤30 top candidates | ${f(result.candidateFingerprintsMs.p50)} | ${f(result.candidateFingerprintsMs.p95)} | ${f(result.candidateFingerprintsMs.mean)} | |`);
  process.stdout.write(`${lines.join('\n')}\n\n${String(result.questions)} questions, ${String(answered)} answered, ${String(corroborations)} corroborating citations; load average ${result.loadAverage.map((n) => n.toFixed(2)).join(' ')}\n\n`);
  await embedder.dispose();
}

const program = new Command('ask-profile')
  .description('Warm /ask taken apart stage by stage on an index already on disk')
  .requiredOption('--workdir <dir>', 'work folder with corpus/ and an up-to-date index/')
  .option('--queries <n>', 'timed questions (after 10 to warm up)', count, 200)
  .option('--out <file>', 'write the JSON result here')
  .action((flags: Flags) => main({ ...flags, workdir: path.resolve(flags.workdir) }));

await program.parseAsync(process.argv.slice(2), { from: 'user' });
