import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Command, InvalidArgumentError } from 'commander';
import hnswlib from 'hnswlib-node';
import { seededRandom } from './measure.js';

const { HierarchicalNSW } = hnswlib;

export interface VectorSet {
  dimension: number;
  count: number;
  /** Row-major, unit-norm rows. */
  data: Float32Array;
}

function normalizeRows(data: Float32Array, dimension: number): void {
  for (let row = 0; row * dimension < data.length; row++) {
    let norm = 0;
    for (let i = 0; i < dimension; i++) norm += (data[row * dimension + i] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < dimension; i++) data[row * dimension + i] = (data[row * dimension + i] as number) / norm;
  }
}

/**
 * Unit vectors drawn around random cluster centres, like sentence embeddings of a library on
 * a few thousand topics rather than uniform noise (which makes HNSW look worse than it is).
 */
export function clusteredVectors(count: number, dimension: number, seed: number, clusters = Math.max(8, Math.round(Math.sqrt(count)))): VectorSet {
  const random = seededRandom(seed);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const centres = new Float32Array(clusters * dimension).map(() => gaussian());
  normalizeRows(centres, dimension);
  const data = new Float32Array(count * dimension);
  for (let row = 0; row < count; row++) {
    const centre = Math.floor(random() * clusters);
    for (let i = 0; i < dimension; i++) data[row * dimension + i] = (centres[centre * dimension + i] as number) + 0.06 * gaussian();
  }
  normalizeRows(data, dimension);
  return { dimension, count, data };
}

export function row(set: VectorSet, index: number): Float32Array {
  return set.data.subarray(index * set.dimension, (index + 1) * set.dimension);
}

/** Exact top-k by inner product: the ground truth, and the baseline an index must beat. */
export function exactTopK(set: VectorSet, query: Float32Array, k: number): number[] {
  const best: { id: number; score: number }[] = [];
  const { data, dimension, count } = set;
  for (let id = 0; id < count; id++) {
    let score = 0;
    const offset = id * dimension;
    for (let i = 0; i < dimension; i++) score += (data[offset + i] as number) * (query[i] as number);
    if (best.length < k || score > (best[best.length - 1] as { score: number }).score) {
      best.push({ id, score });
      best.sort((a, b) => b.score - a.score);
      if (best.length > k) best.pop();
    }
  }
  return best.map((b) => b.id);
}

export interface HnswFigures {
  buildSeconds: number;
  m: number;
  efConstruction: number;
  exact: { qps: number; msPerQuery: number };
  sweep: { efSearch: number; recallAt10: number; qps: number }[];
}

/** Builds an HNSW index like Witness does and measures recall@10 and single-query throughput. */
export function benchHnsw(set: VectorSet, queries: VectorSet, efs: number[], m = 16, efConstruction = 200): HnswFigures {
  const index = new HierarchicalNSW('cosine', set.dimension);
  index.initIndex({ maxElements: set.count, m, efConstruction, randomSeed: 100 });
  let started = performance.now();
  for (let id = 0; id < set.count; id++) index.addPoint(Array.from(row(set, id)), id);
  const buildSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  const truth = Array.from({ length: queries.count }, (_, q) => exactTopK(set, row(queries, q), 10));
  const exactSeconds = (performance.now() - started) / 1000;

  // One untimed pass so the first timed setting does not pay for JIT and cold caches.
  index.setEf(efs[0] ?? 10);
  for (let q = 0; q < queries.count; q++) index.searchKnn(Array.from(row(queries, q)), 10);

  const sweep = efs.map((efSearch) => {
    index.setEf(efSearch);
    const plain = Array.from({ length: queries.count }, (_, q) => Array.from(row(queries, q)));
    const begin = performance.now();
    const found = plain.map((query) => index.searchKnn(query, 10).neighbors);
    const seconds = (performance.now() - begin) / 1000;
    let hits = 0;
    found.forEach((neighbors, q) => {
      const expected = new Set(truth[q]);
      hits += neighbors.filter((id) => expected.has(id)).length;
    });
    return { efSearch, recallAt10: hits / (queries.count * 10), qps: queries.count / seconds };
  });
  return {
    buildSeconds,
    m,
    efConstruction,
    exact: { qps: queries.count / exactSeconds, msPerQuery: (exactSeconds * 1000) / queries.count },
    sweep,
  };
}

// ---------------------------------------------------------------------------------------------
// The parameter sweep: hnswlib-node against FAISS (HNSW and exact) on the same vectors, in one run.
//
//   npx tsx scripts/bench/vector-bench.ts --preset all --python /tmp/bench-venv/bin/python \
//     [--variant avx2=/tmp/hnswlib-avx2/node_modules/hnswlib-node --variant native=…]
//
// runs the presets below (100k and 1M synthetic vectors, the SOTU index's real vectors at k 10 and
// k 50) and writes bench-results/*.json; `npx tsx scripts/bench/report.ts FILE…` renders them.
// The FAISS side is scripts/bench/peers.py --serve, a long-lived Python process answering one JSON
// line per request. For every (M, efConstruction) both libraries build an index over the same
// vectors; then the queries run in blocks (100 by default) and the libraries take turns block by
// block, order swapped every block and every repeat, so whatever else runs on the machine slows both
// alike. Recall is against FAISS IndexFlatIP (checked against a JavaScript scan on a few queries).

const PACKAGE_ROOT = path.resolve(import.meta.dirname, '../..');
const localRequire = createRequire(import.meta.url);

interface HnswModule {
  HierarchicalNSW: typeof HierarchicalNSW;
}

export interface Spread {
  /** Queries per second of each timed pass, in the order they ran. */
  runs: number[];
  median: number;
  min: number;
  max: number;
  /** Queries per second from the CPU time the process got (less sensitive to other jobs taking the core). */
  cpuMedian?: number;
  cpuRuns?: number[];
}

export interface SweepPoint {
  efSearch: number;
  hnswlib: { recallAt10: number; recallAtK?: number; single: Spread; twoThreads?: Spread };
  /** Other builds of hnswlib-node (e.g. compiled for AVX2) searching the very same index file, single-threaded. */
  variants?: Record<string, { recallAt10: number; single: Spread; pairedRatio?: Spread }>;
  faiss?: { recallAt10: number; recallAtK?: number; single: Spread; batchOneThread: Spread; batchTwoThreads?: Spread };
  /** Per repeat: hnswlib-node QPS / FAISS QPS, both one query per call on 1 thread, measured block by block side by side. */
  pairedRatio?: Spread;
  /** Per repeat: 2 hnswlib-node workers / FAISS batch search on 2 threads. */
  pairedRatioTwoThreads?: Spread;
}

export interface AtRecall {
  target: number;
  /** Queries per second at exactly the target recall, interpolated (log QPS, linear in recall) between the two efs around it. */
  hnswlib: { qps: number | null; qpsTwoThreads: number | null; firstEf: number | null };
  variants?: Record<string, { qps: number | null; firstEf: number | null; ratio: number | null }>;
  faiss?: { qps: number | null; qpsBatchOneThread: number | null; qpsTwoThreads: number | null; firstEf: number | null };
  /** hnswlib-node single-query QPS over FAISS single-query QPS (1 thread each). */
  ratio?: number | null;
  /** hnswlib-node with 2 worker threads over FAISS batch search with 2 OpenMP threads. */
  ratioTwoThreads?: number | null;
}

export interface SweepConfig {
  m: number;
  efConstruction: number;
  hnswlib: { buildSeconds: number; buildCpuSeconds: number; reused?: boolean; indexFileBytes: number; bytesPerVectorFile: number; loadedRssBytes: number | null; bytesPerVectorRss: number | null };
  faiss?: { buildSeconds: number; buildCpuSeconds: number; buildThreads: number; reused?: boolean; parallelWithHnswlib?: boolean; indexBytes: number; bytesPerVector: number; rssDeltaBytes: number | null };
  sweep: SweepPoint[];
  atRecall: AtRecall[];
  loadAverage: number[];
}

/** Runs both sides of one block, `first` first when `firstGoesFirst`: alternating the order spreads other jobs' load evenly. */
async function takeTurns(firstGoesFirst: boolean, first: () => Promise<void>, second: () => Promise<void>): Promise<void> {
  if (firstGoesFirst) {
    await first();
    await second();
  } else {
    await second();
    await first();
  }
}

export function spread(runs: number[], cpuRuns?: number[]): Spread {
  const middle = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const half = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? (sorted[half] as number) : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
  };
  const result: Spread = { runs, median: middle(runs), min: Math.min(...runs), max: Math.max(...runs) };
  if (cpuRuns && cpuRuns.length > 0) {
    result.cpuMedian = middle(cpuRuns);
    result.cpuRuns = cpuRuns;
  }
  return result;
}

/** QPS at `target` recall on a recall/QPS curve (points in ef order): log-linear interpolation between the efs around it. */
export function qpsAtRecall(points: { recall: number; qps: number; ef: number }[], target: number): { qps: number | null; firstEf: number | null } {
  const index = points.findIndex((p) => p.recall >= target);
  if (index < 0) return { qps: null, firstEf: null };
  const hit = points[index] as { recall: number; qps: number; ef: number };
  const before = points[index - 1];
  if (!before || hit.recall === before.recall || before.recall >= target) return { qps: hit.qps, firstEf: hit.ef };
  const t = (target - before.recall) / (hit.recall - before.recall);
  return { qps: Math.exp(Math.log(before.qps) + t * (Math.log(hit.qps) - Math.log(before.qps))), firstEf: hit.ef };
}

function recallOf(found: number[][], truth: Int32Array, k: number): number {
  let hits = 0;
  found.forEach((neighbors, q) => {
    const expected = new Set(truth.subarray(q * k, (q + 1) * k));
    hits += neighbors.filter((id) => expected.has(id)).length;
  });
  return hits / (found.length * k);
}

function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

const log = (message: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

/** scripts/bench/peers.py --serve: one JSON request per line on stdin, one reply per line on stdout. */
class FaissPeer {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private readonly waiting: ((line: string) => void)[] = [];
  private exited: string | null = null;

  constructor(python: string, work: string) {
    this.child = spawn(python, [path.join(import.meta.dirname, 'peers.py'), '--serve', '--work', work], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
    this.child.on('exit', (code) => {
      this.exited = `the FAISS peer exited with ${String(code)} (see scripts/bench/README.md)`;
      for (const resolve of this.waiting.splice(0)) resolve(JSON.stringify({ ok: false, error: this.exited }));
    });
  }

  request<T>(body: Record<string, unknown>): Promise<T> {
    if (this.exited) return Promise.reject(new Error(this.exited));
    return new Promise((resolve, reject) => {
      this.waiting.push((line) => {
        const { ok, error, ...reply } = JSON.parse(line) as { ok: boolean; error?: string } & Record<string, unknown>;
        if (ok) resolve(reply as T);
        else reject(new Error(`FAISS peer: ${error ?? 'failed'}`));
      });
      this.child.stdin.write(`${JSON.stringify(body)}\n`);
    });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end(`${JSON.stringify({ op: 'quit' })}\n`);
    await done;
  }
}

// Runs in each worker thread: loads a copy of the index from disk and answers timed blocks of queries.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { HierarchicalNSW } = require(workerData.module);
const index = new HierarchicalNSW('cosine', workerData.dimension);
index.readIndexSync(workerData.file);
const rows = [];
for (let q = 0; q * workerData.dimension < workerData.queries.length; q++) {
  rows.push(Array.from(workerData.queries.subarray(q * workerData.dimension, (q + 1) * workerData.dimension)));
}
parentPort.postMessage({ ready: true });
parentPort.on('message', ({ ef, k, start, end }) => {
  index.setEf(ef);
  for (let q = start; q < end; q++) index.searchKnn(rows[q], k);
  parentPort.postMessage({ done: true });
});
`;

/** Several worker threads, each with its own copy of the index (hnswlib-node searches on the calling thread only). */
class HnswWorkers {
  private constructor(private readonly workers: Worker[]) {}

  static async start(count: number, module: string, file: string, queries: VectorSet): Promise<HnswWorkers> {
    const workers = Array.from({ length: count }, () => new Worker(WORKER_SOURCE, { eval: true, workerData: { module, file, dimension: queries.dimension, queries: queries.data } }));
    await Promise.all(workers.map((worker) => new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject))));
    return new HnswWorkers(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Every worker runs queries start…end-1 at `ef`; returns the wall seconds until the last one finishes. */
  async block(ef: number, k: number, start: number, end: number): Promise<number> {
    const begin = performance.now();
    await Promise.all(this.workers.map((worker) => new Promise((resolve) => worker.once('message', resolve).postMessage({ ef, k, start, end }))));
    return (performance.now() - begin) / 1000;
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** Resident memory a fresh Node process gains by loading the index file: what serving it costs. */
function loadedIndexRss(module: string, file: string, dimension: number): number | null {
  const script = `const { HierarchicalNSW } = require(${JSON.stringify(module)});
const before = process.memoryUsage.rss();
const index = new HierarchicalNSW('cosine', ${String(dimension)});
index.readIndexSync(${JSON.stringify(file)});
console.log(JSON.stringify({ bytes: process.memoryUsage.rss() - before, count: index.getCurrentCount() }));`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (run.status !== 0) return null;
  return (JSON.parse(run.stdout.trim()) as { bytes: number }).bytes;
}

export interface SweepOptions {
  n: number;
  queries: number;
  dimension: number;
  seed: number;
  efs: number[];
  repeats: number;
  python: string | null;
  twoThreads: boolean;
  /** Path of the hnswlib-node package to load (another build of it); default: the installed one. */
  hnswlibModule: string;
  /** Other hnswlib-node builds (label -> package directory) timed on the same index files. */
  variants: Record<string, string>;
  /** Written after every configuration, so a long run that stops early keeps what it measured. */
  out: string | null;
  work: string;
  /** Recall targets for the at-recall comparison. */
  targets: number[];
  /** Queries whose exact top 10 is also computed by the JavaScript scan, to check FAISS's ground truth. */
  checkQueries: number;
  /** Vectors and queries read from a work directory (vectors.f32, queries.f32, meta.json) instead of generated. */
  vectorsFrom: string | null;
  /** A Witness index folder: its passage vectors, and `queries` probe questions embedded by its model. */
  fromIndex: string | null;
  faissBuildThreads: number;
  /** (M, efConstruction) pairs, in order. */
  configs: [number, number][];
  /** Queries per block: the libraries take turns block by block, so load from other jobs falls on both alike. */
  blockSize: number;
  /** Load index files an earlier run left in `work` (same vectors, M and efConstruction) instead of building them again. */
  reuse: boolean;
  /** Neighbours asked for per query (at least 10). */
  k: number;
  /** Build and time FAISS HNSW too (false: FAISS gives the exact ground truth only). */
  faissHnsw: boolean;
  /** Build the FAISS index at the same time as the hnswlib-node one (saves wall time at large n). */
  parallelBuilds: boolean;
}

/**
 * Real vectors: the passage vectors of a Witness index, and question-like probes (the first 14 words of
 * sentences drawn with a fixed seed from the library, as npm run bench does) embedded by the index's model.
 */
async function vectorsFromIndex(indexDir: string, howMany: number): Promise<{ set: VectorSet; queries: VectorSet; source: Record<string, unknown> }> {
  const [{ loadIndex }, { openEmbedded }, { loadEmbedder }, { loadCoreConfig }] = await Promise.all([
    import('../../src/store/index-store.js'),
    import('../../src/store/embedded-store.js'),
    import('../../src/embed/embedder.js'),
    import('../../src/config.js'),
  ]);
  const manifest = JSON.parse(readFileSync(path.join(indexDir, readFileSync(path.join(indexDir, 'CURRENT'), 'utf8').trim(), 'manifest.json'), 'utf8')) as { modelId: string };
  const loaded = await loadIndex(indexDir, { modelId: manifest.modelId });
  if (!loaded.ok) throw new Error(`--from-index ${indexDir}: ${loaded.reason}`);
  const { library, store } = openEmbedded(loaded.index);
  const dimension = loaded.index.manifest.dimension;
  const set: VectorSet = { dimension, count: library.passages.length, data: new Float32Array(library.passages.length * dimension) };
  for (const passage of library.passages) set.data.set(store.vectors.getPoint(passage.id), passage.id * dimension);
  normalizeRows(set.data, dimension);

  const random = seededRandom(7);
  const questions: string[] = [];
  for (let attempt = 0; questions.length < howMany && attempt < howMany * 20; attempt++) {
    const passage = library.passages[Math.floor(random() * library.passages.length)];
    const sentence = passage?.chunk.sentences[Math.floor(random() * passage.chunk.sentences.length)];
    if (!passage || !sentence) continue;
    const words = passage.document.text.slice(sentence[0], sentence[1]).split(/\s+/u).slice(0, 14).join(' ');
    if (words.length > 10) questions.push(words);
  }
  const config = loadCoreConfig();
  log(`embedding ${String(questions.length)} probe questions with ${manifest.modelId} …`);
  const embedder = await loadEmbedder({ modelId: manifest.modelId, modelDir: config.modelDir, allowRemoteModels: false, threads: config.embedThreads });
  const vectors = await embedder.embedQueries(questions);
  await embedder.dispose();
  const queries: VectorSet = { dimension, count: vectors.length, data: new Float32Array(vectors.length * dimension) };
  vectors.forEach((vector, i) => queries.data.set(vector, i * dimension));
  return {
    set,
    queries,
    source: { fromIndex: indexDir, model: manifest.modelId, passages: set.count, queries: 'first 14 words of sentences drawn with seed 7 from the library, embedded as questions' },
  };
}

/**
 * Microseconds per searchKnn() call on a 64-vector index (k 10, ef 10), where the search itself is nearly free:
 * what one call costs (hnswlib-node reads the query array element by element through N-API).
 */
function callOverhead(module: HnswModule, dimension: number, calls = 5000): { median: number; min: number; max: number } {
  const random = seededRandom(1);
  const index = new module.HierarchicalNSW('cosine', dimension);
  index.initIndex({ maxElements: 64, m: 16, efConstruction: 200, randomSeed: 100 });
  for (let id = 0; id < 64; id++) index.addPoint(Array.from({ length: dimension }, () => random() - 0.5), id);
  index.setEf(10);
  const query = Array.from({ length: dimension }, () => random() - 0.5);
  for (let i = 0; i < calls / 4; i++) index.searchKnn(query, 10);
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const begin = performance.now();
    for (let i = 0; i < calls; i++) index.searchKnn(query, 10);
    runs.push(((performance.now() - begin) * 1000) / calls);
  }
  runs.sort((a, b) => a - b);
  return { median: runs[2] as number, min: runs[0] as number, max: runs[4] as number };
}

function readMatrix(file: string, dimension: number): VectorSet {
  const bytes = readFileSync(file);
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
  return { dimension, count: data.length / dimension, data };
}

export async function runSweep(options: SweepOptions): Promise<Record<string, unknown>> {
  const started = performance.now();
  // Neighbours asked for per query. Recall@10 (the issue's measure) compares the first 10 of them with the
  // exact top 10; with k > 10 (Witness asks for 50 candidates) recallAtK compares all k with the exact top k.
  const k = Math.max(10, options.k);
  mkdirSync(options.work, { recursive: true });
  const loadAtStart = loadAverage();

  let set: VectorSet;
  let querySet: VectorSet;
  let source: Record<string, unknown>;
  if (options.fromIndex) {
    ({ set, queries: querySet, source } = await vectorsFromIndex(options.fromIndex, options.queries));
  } else if (options.vectorsFrom) {
    const meta = JSON.parse(readFileSync(path.join(options.vectorsFrom, 'meta.json'), 'utf8')) as { dim: number; library?: string };
    set = readMatrix(path.join(options.vectorsFrom, 'vectors.f32'), meta.dim);
    querySet = readMatrix(path.join(options.vectorsFrom, 'queries.f32'), meta.dim);
    source = { from: options.vectorsFrom, library: meta.library ?? null };
  } else {
    log(`generating ${String(options.n + options.queries)} clustered ${String(options.dimension)}-d vectors …`);
    const all = clusteredVectors(options.n + options.queries, options.dimension, options.seed);
    set = { dimension: options.dimension, count: options.n, data: all.data.subarray(0, options.n * options.dimension) };
    querySet = { dimension: options.dimension, count: options.queries, data: all.data.subarray(options.n * options.dimension) };
    source = {
      generator: 'clusteredVectors (scripts/bench/vector-bench.ts): unit vectors around round(sqrt(n + queries)) random centres, noise 0.06 per coordinate; the queries are the last rows of the same draw',
      seed: options.seed,
      clusters: Math.max(8, Math.round(Math.sqrt(options.n + options.queries))),
    };
  }
  const { dimension } = set;
  writeFileSync(path.join(options.work, 'vectors.f32'), new Uint8Array(set.data.buffer, set.data.byteOffset, set.data.byteLength));
  writeFileSync(path.join(options.work, 'queries.f32'), new Uint8Array(querySet.data.buffer, querySet.data.byteOffset, querySet.data.byteLength));
  const plain = Array.from({ length: querySet.count }, (_, q) => Array.from(row(querySet, q)));
  const vectorsKey = createHash('sha256').update(new Uint8Array(set.data.buffer, set.data.byteOffset, set.data.byteLength)).digest('hex');

  const peer = options.python ? new FaissPeer(options.python, options.work) : null;
  try {
    const peerInfo = peer ? await peer.request<Record<string, unknown>>({ op: 'load', n: set.count, q: querySet.count, dim: dimension, k }) : null;

    // Ground truth: FAISS IndexFlatIP when the peer runs (fast), else the JavaScript scan.
    let truth: Int32Array;
    let faissExact: Record<string, unknown> | null = null;
    const check = Math.min(options.checkQueries, querySet.count);
    const begin = performance.now();
    const jsTruth = Array.from({ length: peer ? check : querySet.count }, (_, q) => exactTopK(set, row(querySet, q), k));
    const jsMsPerQuery = (performance.now() - begin) / Math.max(1, jsTruth.length);
    let agreement: number | null = null;
    if (peer) {
      log('exact search (FAISS IndexFlatIP) for the ground truth …');
      faissExact = (await peer.request<{ exact: Record<string, unknown> }>({ op: 'exact', threads: options.twoThreads ? [1, 2] : [1] })).exact;
      const bytes = readFileSync(path.join(options.work, 'truth.i32'));
      truth = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
      agreement = recallOf(jsTruth, truth.subarray(0, jsTruth.length * k), k);
      log(`JavaScript exact scan agrees with FAISS on ${(agreement * 100).toFixed(2)}% of the top 10 of ${String(jsTruth.length)} queries (${jsMsPerQuery.toFixed(1)} ms/query)`);
    } else {
      truth = Int32Array.from(jsTruth.flat());
    }

    const hnswlibModule = localRequire(options.hnswlibModule) as HnswModule;
    const variantModules = Object.fromEntries(Object.entries(options.variants).map(([label, dir]) => [label, localRequire(dir) as HnswModule]));

    // Cost of one call, interleaved like the rest: hnswlib-node builds, then FAISS, three times over.
    const overheadRuns: Record<string, { median: number; min: number; max: number }[]> = {};
    for (let round = 0; round < 3; round++) {
      for (const [name, module] of [['hnswlib', hnswlibModule], ...Object.entries(variantModules)] as [string, HnswModule][]) {
        (overheadRuns[name] ??= []).push(callOverhead(module, dimension));
      }
      if (peer) (overheadRuns.faiss ??= []).push((await peer.request<{ microseconds: { median: number; min: number; max: number } }>({ op: 'overhead', dim: dimension })).microseconds);
    }
    const callMicroseconds = Object.fromEntries(Object.entries(overheadRuns).map(([name, runs]) => [name, spread(runs.map((r) => r.median))]));
    log(`µs per call on a 64-vector index: ${Object.entries(callMicroseconds).map(([name, s]) => `${name} ${s.median.toFixed(1)}`).join(', ')}`);
    const configs: SweepConfig[] = [];
    const result = (): Record<string, unknown> => ({
      kind: 'vector-sweep',
      library: options.fromIndex ? `index:${path.relative(tmpdir(), options.fromIndex)}` : options.vectorsFrom ? `vectors:${String(source.library ?? options.vectorsFrom)}` : `synthetic:${String(set.count)}`,
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAverage() },
      hnswlibNode: {
        version: (localRequire(path.join(packageDir(options.hnswlibModule), 'package.json')) as { version: string }).version,
        module: options.hnswlibModule,
        space: 'cosine (unit vectors: same order as inner product)',
        variants: Object.keys(options.variants).length > 0 ? options.variants : undefined,
      },
      peer: peerInfo,
      vectors: set.count,
      queries: querySet.count,
      dimension,
      k,
      source,
      repeats: options.repeats,
      blockSize: options.blockSize,
      timing:
        'Each pass runs every query once, in blocks of blockSize queries; the libraries take turns block by block (order swapped every block and every repeat), so load from other jobs falls on both alike. ' +
        'hnswlib single: one searchKnn() per query on the main thread (queries pre-converted to arrays). ' +
        'hnswlib twoThreads: two worker threads, each with its own copy of the index loaded from disk, each running every query of the block; QPS = all answers / wall time. ' +
        'variants: other builds of hnswlib-node loading the same index file, timed like single. ' +
        'FAISS single: one index.search() call per query (1 OpenMP thread, Python loop). FAISS batchOneThread / batchTwoThreads: one search() call per block with 1 or 2 OpenMP threads. ' +
        'Median and spread over the repeats. cpuMedian: QPS from the CPU time the process got instead of wall time. pairedRatio: median over repeats of the QPS ratio within the same repeat.',
      truth: { source: peer ? 'FAISS IndexFlatIP (exact inner product)' : 'JavaScript exact scan', checkQueries: peer ? jsTruth.length : null, jsAgreement: agreement },
      exact: { jsMsPerQuery, jsQps: 1000 / jsMsPerQuery, faiss: faissExact },
      /** Microseconds per search call on a 64-vector index (k 10, ef 10): the fixed cost of a call (median of three rounds). */
      callMicroseconds,
      configs,
      complete: configs.length === options.configs.length,
      wallSeconds: (performance.now() - started) / 1000,
    });
    for (const [m, efConstruction] of options.configs) {
      configs.push(await sweepConfig({ options, peer: options.faissHnsw ? peer : null, hnswlibModule, variantModules, set, querySet, plain, truth, k, m, efConstruction, vectorsKey }));
      const best = configs.at(-1)?.atRecall.find((a) => a.target === 0.99);
      log(`M ${String(m)} efC ${String(efConstruction)}: at recall 0.99 hnswlib ${best?.hnswlib.qps?.toFixed(0) ?? '–'} QPS, FAISS ${best?.faiss?.qps?.toFixed(0) ?? '–'} QPS`);
      if (options.out) writeFileSync(options.out, `${JSON.stringify(result(), null, 2)}\n`);
    }
    return result();
  } finally {
    await peer?.close();
  }
}

function packageDir(module: string): string {
  return module === 'hnswlib-node' ? path.dirname(localRequire.resolve('hnswlib-node/package.json')) : module;
}

interface BuildRecord {
  buildSeconds: number;
  buildCpuSeconds: number;
  /** True when the index came from an earlier run's --work folder (same vectors, M and efConstruction); the build figures are that run's. */
  reused?: boolean;
}

/** A timed pass summed over its blocks. */
interface Pass {
  seconds: number;
  cpuSeconds: number;
  /** Of the first 10 found, how many are in the exact top 10 (summed over queries). */
  hits: number;
  /** Of all k found, how many are in the exact top k. */
  hitsK: number;
  queries: number;
}
type Block = { seconds: number; cpuSeconds: number; hits: number; hitsK: number };
const emptyPass = (): Pass => ({ seconds: 0, cpuSeconds: 0, hits: 0, hitsK: 0, queries: 0 });
const addTo = (pass: Pass, block: Block, queries: number): void => {
  pass.seconds += block.seconds;
  pass.cpuSeconds += block.cpuSeconds;
  pass.hits += block.hits;
  pass.hitsK += block.hitsK;
  pass.queries += queries;
};

/** Found ids in the exact top `top` (truth rows hold k ids, best first), over queries start, start+1, … */
function hitsOf(found: number[][], truth: Int32Array, k: number, start: number, top: number): number {
  let hits = 0;
  found.forEach((neighbors, i) => {
    const expected = new Set(truth.subarray((start + i) * k, (start + i) * k + top));
    hits += neighbors.slice(0, top).filter((id) => expected.has(id)).length;
  });
  return hits;
}

async function sweepConfig(context: {
  options: SweepOptions;
  peer: FaissPeer | null;
  hnswlibModule: HnswModule;
  variantModules: Record<string, HnswModule>;
  set: VectorSet;
  querySet: VectorSet;
  plain: number[][];
  truth: Int32Array;
  k: number;
  m: number;
  efConstruction: number;
  vectorsKey: string;
}): Promise<SweepConfig> {
  const { options, peer, set, querySet, plain, truth, k, m, efConstruction, vectorsKey } = context;
  const label = `M ${String(m)} efC ${String(efConstruction)}`;
  const stem = path.join(options.work, `m${String(m)}-efc${String(efConstruction)}`);
  const file = `${stem}.hnswlib`;
  const sidecar = `${stem}.hnswlib.json`;

  const requestFaissBuild = (): Promise<NonNullable<SweepConfig['faiss']>> => {
    log(`${label}: FAISS build (${String(options.faissBuildThreads)} thread(s)) …`);
    return (peer as FaissPeer).request<NonNullable<SweepConfig['faiss']>>({
      op: 'build',
      m,
      efConstruction,
      threads: options.faissBuildThreads,
      file: `${stem}.faiss`,
      reuse: options.reuse,
      vectorsKey,
    });
  };
  // With --parallel-builds FAISS builds in its process while hnswlib-node builds here: each has a core
  // (when nothing else runs), and the CPU seconds stay comparable while the wall times do not.
  const faissPending = peer && options.parallelBuilds ? requestFaissBuild() : null;
  if (faissPending) await new Promise((resolve) => setTimeout(resolve, 200));

  const index = new context.hnswlibModule.HierarchicalNSW('cosine', set.dimension);
  let build: BuildRecord;
  const earlier = options.reuse && existsSync(file) && existsSync(sidecar) ? (JSON.parse(readFileSync(sidecar, 'utf8')) as BuildRecord & { vectorsKey: string }) : null;
  if (earlier && earlier.vectorsKey === vectorsKey) {
    index.readIndexSync(file);
    build = { buildSeconds: earlier.buildSeconds, buildCpuSeconds: earlier.buildCpuSeconds, reused: true };
    log(`${label}: hnswlib-node index reused from ${file}`);
  } else {
    log(`${label}: hnswlib-node build of ${String(set.count)} vectors (one thread) …`);
    index.initIndex({ maxElements: set.count, m, efConstruction, randomSeed: 100 });
    const begin = performance.now();
    const cpu = process.cpuUsage();
    const step = Math.max(1, Math.floor(set.count / 10));
    for (let id = 0; id < set.count; id++) {
      index.addPoint(Array.from(row(set, id)), id);
      if ((id + 1) % step === 0 && id + 1 < set.count) {
        const used = process.cpuUsage(cpu);
        log(`  ${String(id + 1)} added, ${((performance.now() - begin) / 1000).toFixed(0)} s (CPU ${((used.user + used.system) / 1e6).toFixed(0)} s)`);
      }
    }
    const used = process.cpuUsage(cpu);
    build = { buildSeconds: (performance.now() - begin) / 1000, buildCpuSeconds: (used.user + used.system) / 1e6 };
    index.writeIndexSync(file);
    writeFileSync(sidecar, JSON.stringify({ ...build, vectorsKey, m, efConstruction }));
    log(`${label}: hnswlib-node built in ${build.buildSeconds.toFixed(1)} s (CPU ${build.buildCpuSeconds.toFixed(1)} s)`);
  }
  const indexFileBytes = statSync(file).size;
  const modulePath = options.hnswlibModule === 'hnswlib-node' ? localRequire.resolve('hnswlib-node') : options.hnswlibModule;
  const loadedRssBytes = loadedIndexRss(modulePath, file, set.dimension);

  let faissBuild: SweepConfig['faiss'];
  if (peer) {
    faissBuild = { ...(await (faissPending ?? requestFaissBuild())), ...(faissPending ? { parallelWithHnswlib: true } : {}) };
    log(`${label}: FAISS ${faissBuild.reused ? 'index reused' : `built in ${faissBuild.buildSeconds.toFixed(1)} s (CPU ${faissBuild.buildCpuSeconds.toFixed(1)} s)`}`);
  }

  const variants = Object.entries(context.variantModules).map(([name, module]) => {
    const copy = new module.HierarchicalNSW('cosine', set.dimension);
    copy.readIndexSync(file);
    return { name, index: copy };
  });
  const searchers = [{ name: '', index }, ...variants];
  const workers = options.twoThreads ? await HnswWorkers.start(2, modulePath, file, querySet) : null;

  const hnswBlock = (searcher: InstanceType<typeof HierarchicalNSW>, ef: number, start: number, end: number): Block => {
    searcher.setEf(ef);
    const cpuBefore = process.cpuUsage();
    const begin = performance.now();
    const found: number[][] = [];
    for (let q = start; q < end; q++) found.push(searcher.searchKnn(plain[q] as number[], k).neighbors);
    const seconds = (performance.now() - begin) / 1000;
    const used = process.cpuUsage(cpuBefore);
    return { seconds, cpuSeconds: (used.user + used.system) / 1e6, hits: hitsOf(found, truth, k, start, 10), hitsK: hitsOf(found, truth, k, start, k) };
  };
  const faissBlock = (ef: number, mode: 'single' | 'batch', threads: number, start: number, end: number): Promise<Block> =>
    (peer as FaissPeer).request({ op: 'search', ef, mode, threads, start, end });

  const blocks: [number, number][] = [];
  for (let start = 0; start < querySet.count; start += options.blockSize) blocks.push([start, Math.min(querySet.count, start + options.blockSize)]);

  try {
    // One untimed pass of each kind first: JIT, page faults and cold caches are not part of any figure.
    const warm = options.efs[Math.floor(options.efs.length / 2)] ?? 64;
    for (const searcher of searchers) hnswBlock(searcher.index, warm, 0, querySet.count);
    await workers?.block(warm, k, 0, querySet.count);
    if (peer) {
      await faissBlock(warm, 'single', 1, 0, querySet.count);
      await faissBlock(warm, 'batch', 1, 0, querySet.count);
    }

    type Slot = { hnsw: Pass[][]; hnsw2: Pass[]; faiss: Pass[]; faissBatch1: Pass[]; faissBatch2: Pass[] };
    const runs = new Map<number, Slot>();
    for (const ef of options.efs) runs.set(ef, { hnsw: searchers.map(() => []), hnsw2: [], faiss: [], faissBatch1: [], faissBatch2: [] });
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      for (const ef of options.efs) {
        const slot = runs.get(ef) as Slot;
        const hnsw = searchers.map(() => emptyPass());
        const faiss = emptyPass();
        const faissBatch1 = emptyPass();
        // One thread: blocks of queries alternate between the libraries (order swapped every block and every repeat).
        for (const [b, [start, end]] of blocks.entries()) {
          const hnswSide = async (): Promise<void> => {
            for (let i = 0; i < searchers.length; i++) {
              const which = (i + b) % searchers.length; // rotate the builds too
              addTo(hnsw[which] as Pass, hnswBlock((searchers[which] as (typeof searchers)[number]).index, ef, start, end), end - start);
            }
          };
          const faissSide = async (): Promise<void> => {
            if (!peer) return;
            addTo(faiss, await faissBlock(ef, 'single', 1, start, end), end - start);
            addTo(faissBatch1, await faissBlock(ef, 'batch', 1, start, end), end - start);
          };
          await takeTurns((b + repeat) % 2 === 0, hnswSide, faissSide);
        }
        hnsw.forEach((pass, i) => slot.hnsw[i]?.push(pass));
        if (peer) {
          slot.faiss.push(faiss);
          slot.faissBatch1.push(faissBatch1);
        }
        // Two threads, the same way: two hnswlib-node workers against FAISS batch search on 2 OpenMP threads.
        if (workers) {
          const hnsw2 = emptyPass();
          const faissBatch2 = emptyPass();
          for (const [b, [start, end]] of blocks.entries()) {
            const hnswSide = async (): Promise<void> => {
              addTo(hnsw2, { seconds: await workers.block(ef, k, start, end), cpuSeconds: 0, hits: 0, hitsK: 0 }, (end - start) * workers.size);
            };
            const faissSide = async (): Promise<void> => {
              if (peer) addTo(faissBatch2, await faissBlock(ef, 'batch', 2, start, end), end - start);
            };
            await takeTurns((b + repeat) % 2 === 0, hnswSide, faissSide);
          }
          slot.hnsw2.push(hnsw2);
          if (peer) slot.faissBatch2.push(faissBatch2);
        }
      }
      log(`${label}: repeat ${String(repeat + 1)}/${String(options.repeats)} done (load ${loadAverage().join(' ')})`);
    }

    const spreadOf = (passes: Pass[], withCpu = true): Spread =>
      spread(
        passes.map((p) => p.queries / p.seconds),
        withCpu ? passes.map((p) => p.queries / p.cpuSeconds) : undefined,
      );
    const recallOfPasses = (passes: Pass[]): number => (passes[0] ? passes[0].hits / (passes[0].queries * 10) : Number.NaN);
    const recallAtKOf = (passes: Pass[]): number => (passes[0] ? passes[0].hitsK / (passes[0].queries * k) : Number.NaN);
    /** Median over repeats of (this library's QPS / FAISS's QPS in the same repeat): the two ran side by side, block by block. */
    const paired = (mine: Pass[], theirs: Pass[]): Spread | undefined =>
      theirs.length === mine.length && mine.length > 0 ? spread(mine.map((p, i) => (p.queries / p.seconds) / ((theirs[i] as Pass).queries / (theirs[i] as Pass).seconds))) : undefined;

    const sweep: SweepPoint[] = options.efs.map((efSearch) => {
      const slot = runs.get(efSearch) as Slot;
      const main = slot.hnsw[0] as Pass[];
      const point: SweepPoint = { efSearch, hnswlib: { recallAt10: recallOfPasses(main), ...(k > 10 ? { recallAtK: recallAtKOf(main) } : {}), single: spreadOf(main) } };
      if (slot.hnsw2.length > 0) point.hnswlib.twoThreads = spreadOf(slot.hnsw2, false);
      if (variants.length > 0) {
        point.variants = Object.fromEntries(
          variants.map((variant, i) => {
            const passes = slot.hnsw[i + 1] as Pass[];
            const entry: { recallAt10: number; single: Spread; pairedRatio?: Spread } = { recallAt10: recallOfPasses(passes), single: spreadOf(passes) };
            const ratioToFaiss = paired(passes, slot.faiss);
            if (ratioToFaiss) entry.pairedRatio = ratioToFaiss;
            return [variant.name, entry];
          }),
        );
      }
      if (peer) {
        point.faiss = { recallAt10: recallOfPasses(slot.faiss), ...(k > 10 ? { recallAtK: recallAtKOf(slot.faiss) } : {}), single: spreadOf(slot.faiss), batchOneThread: spreadOf(slot.faissBatch1) };
        if (slot.faissBatch2.length > 0) point.faiss.batchTwoThreads = spreadOf(slot.faissBatch2, false);
        const single = paired(main, slot.faiss);
        if (single) point.pairedRatio = single;
        const two = paired(slot.hnsw2, slot.faissBatch2);
        if (two) point.pairedRatioTwoThreads = two;
      }
      return point;
    });

    const curve = (pick: (p: SweepPoint) => { recall: number; qps: number | undefined } | null): { recall: number; qps: number; ef: number }[] =>
      sweep.flatMap((p) => {
        const value = pick(p);
        return value && value.qps !== undefined ? [{ recall: value.recall, qps: value.qps, ef: p.efSearch }] : [];
      });
    const atRecall: AtRecall[] = options.targets.map((target) => {
      const hnsw = qpsAtRecall(curve((p) => ({ recall: p.hnswlib.recallAt10, qps: p.hnswlib.single.median })), target);
      const hnsw2 = qpsAtRecall(curve((p) => ({ recall: p.hnswlib.recallAt10, qps: p.hnswlib.twoThreads?.median })), target);
      const entry: AtRecall = { target, hnswlib: { qps: hnsw.qps, qpsTwoThreads: hnsw2.qps, firstEf: hnsw.firstEf } };
      const faissSingle = peer ? qpsAtRecall(curve((p) => (p.faiss ? { recall: p.faiss.recallAt10, qps: p.faiss.single.median } : null)), target).qps : null;
      if (variants.length > 0) {
        entry.variants = Object.fromEntries(
          variants.map((variant) => {
            const at = qpsAtRecall(
              curve((p) => {
                const v = p.variants?.[variant.name];
                return v ? { recall: v.recallAt10, qps: v.single.median } : null;
              }),
              target,
            );
            return [variant.name, { qps: at.qps, firstEf: at.firstEf, ratio: at.qps !== null && faissSingle !== null ? at.qps / faissSingle : null }];
          }),
        );
      }
      if (peer) {
        const faiss = qpsAtRecall(curve((p) => (p.faiss ? { recall: p.faiss.recallAt10, qps: p.faiss.single.median } : null)), target);
        const faissBatch = qpsAtRecall(curve((p) => (p.faiss ? { recall: p.faiss.recallAt10, qps: p.faiss.batchOneThread.median } : null)), target);
        const faiss2 = qpsAtRecall(curve((p) => (p.faiss ? { recall: p.faiss.recallAt10, qps: p.faiss.batchTwoThreads?.median } : null)), target);
        entry.faiss = { qps: faiss.qps, qpsBatchOneThread: faissBatch.qps, qpsTwoThreads: faiss2.qps, firstEf: faiss.firstEf };
        entry.ratio = hnsw.qps !== null && faiss.qps !== null ? hnsw.qps / faiss.qps : null;
        entry.ratioTwoThreads = hnsw2.qps !== null && faiss2.qps !== null ? hnsw2.qps / faiss2.qps : null;
      }
      return entry;
    });

    return {
      m,
      efConstruction,
      hnswlib: {
        ...build,
        indexFileBytes,
        bytesPerVectorFile: indexFileBytes / set.count,
        loadedRssBytes,
        bytesPerVectorRss: loadedRssBytes === null ? null : loadedRssBytes / set.count,
      },
      ...(faissBuild ? { faiss: faissBuild } : {}),
      sweep,
      atRecall,
      loadAverage: loadAverage(),
    };
  } finally {
    await workers?.stop();
  }
}

const list = (value: string): number[] => {
  const values = value.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v <= 0)) throw new InvalidArgumentError('expected a comma-separated list of positive numbers');
  return values;
};
const whole = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected a whole number');
  return parsed;
};

async function main(argv: string[]): Promise<void> {
  const program = new Command('vector-bench')
    .description('hnswlib-node against FAISS HNSW and exact search on the same vectors, sweeping M, efConstruction and ef (scripts/bench/README.md)')
    .option('--n <count>', 'synthetic vectors to index', whole, 100_000)
    .option('--queries <count>', 'query vectors', whole, 1000)
    .option('--k <count>', 'neighbours per query (Witness asks for 50); recall@10 is always reported, recall@k too when k > 10', whole, 10)
    .option('--dimension <d>', 'vector dimension', whole, 384)
    .option('--seed <seed>', 'seed of the synthetic draw (42: the same vectors as npm run bench -- --library synthetic:N)', whole, 42)
    .option('--m <list>', 'HNSW M values', list, [16, 24, 32])
    .option('--ef-construction <list>', 'HNSW efConstruction values', list, [200])
    .option('--configs <list>', 'explicit M/efConstruction pairs instead of every --m with every --ef-construction, e.g. 16/200,24/200,16/400')
    .option('--efs <list>', 'efSearch values', list, [16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512])
    .option('--repeats <count>', 'timed passes per library, mode and ef', whole, 5)
    .option('--block <count>', 'queries per block: the libraries take turns block by block', whole, 100)
    .option('--reuse', 'load index files left in --work by an earlier run (same vectors, M, efConstruction) instead of rebuilding')
    .option('--targets <list>', 'recall@10 levels to compare the two libraries at', list, [0.95, 0.98, 0.99, 0.995])
    .option('--python <path>', 'Python with faiss-cpu (scripts/bench/README.md); without it only hnswlib-node runs')
    .option('--no-two-threads', 'skip the 2-thread measurements')
    .option('--parallel-builds', 'build the FAISS index while hnswlib-node builds (wall times then overlap; CPU seconds stay comparable)')
    .option('--no-faiss-hnsw', 'use FAISS for the exact ground truth only, not as an HNSW peer (saves its build at large n)')
    .option('--faiss-build-threads <count>', 'OpenMP threads for the FAISS build (1 matches hnswlib-node addPoint loop)', whole, 1)
    .option('--check-queries <count>', 'queries whose exact top 10 the JavaScript scan recomputes, to check the ground truth', whole, 20)
    .option('--from-index <dir>', "index a Witness index folder's passage vectors, queried by --queries probe questions embedded with its model")
    .option('--vectors-from <dir>', 'index vectors.f32/queries.f32/meta.json from this directory (e.g. a --peers work folder) instead of synthetic ones')
    .option('--hnswlib <path>', 'load hnswlib-node from this package directory (e.g. a copy rebuilt with other compiler flags)', 'hnswlib-node')
    .option('--variant <label=dir...>', 'also time another hnswlib-node build on the same index files (repeatable), e.g. avx2=/tmp/hnswlib-avx2/node_modules/hnswlib-node')
    .option('--work <dir>', 'scratch folder for vectors, ground truth and index files (default: a temporary folder, removed at the end)')
    .option('--out <file>', 'write the JSON result here');
  program.parse(argv, { from: 'user' });
  const flags = program.opts<{
    n: number;
    queries: number;
    k: number;
    dimension: number;
    seed: number;
    m: number[];
    efConstruction: number[];
    configs?: string;
    efs: number[];
    repeats: number;
    block: number;
    reuse?: boolean;
    targets: number[];
    python?: string;
    twoThreads: boolean;
    faissHnsw: boolean;
    parallelBuilds?: boolean;
    faissBuildThreads: number;
    checkQueries: number;
    vectorsFrom?: string;
    fromIndex?: string;
    hnswlib: string;
    variant?: string[];
    work?: string;
    out?: string;
  }>();
  const work = flags.work ?? mkdtempSync(path.join(tmpdir(), 'witness-vector-sweep-'));
  try {
    const result = await runSweep({
      n: flags.n,
      queries: flags.queries,
      dimension: flags.dimension,
      seed: flags.seed,
      configs: flags.configs
        ? flags.configs.split(',').map((pair) => {
            const [m, efc] = pair.split('/').map(Number);
            if (!m || !efc) throw new InvalidArgumentError(`--configs ${pair}: expected M/efConstruction`);
            return [m, efc] as [number, number];
          })
        : flags.efConstruction.flatMap((efc) => flags.m.map((m) => [m, efc] as [number, number])),
      blockSize: Math.max(1, flags.block),
      reuse: Boolean(flags.reuse),
      faissHnsw: flags.faissHnsw,
      k: flags.k,
      parallelBuilds: Boolean(flags.parallelBuilds),
      efs: [...flags.efs].sort((a, b) => a - b),
      repeats: Math.max(1, flags.repeats),
      python: flags.python ?? null,
      twoThreads: flags.twoThreads,
      hnswlibModule: flags.hnswlib === 'hnswlib-node' ? 'hnswlib-node' : path.resolve(flags.hnswlib),
      work,
      targets: flags.targets,
      checkQueries: flags.checkQueries,
      vectorsFrom: flags.vectorsFrom ? path.resolve(flags.vectorsFrom) : null,
      fromIndex: flags.fromIndex ? path.resolve(flags.fromIndex) : null,
      faissBuildThreads: Math.max(1, flags.faissBuildThreads),
      variants: Object.fromEntries(
        (flags.variant ?? []).map((entry) => {
          const [label, dir] = entry.split('=');
          if (!label || !dir) throw new InvalidArgumentError(`--variant ${entry}: expected label=dir`);
          return [label, path.resolve(dir)];
        }),
      ),
      out: flags.out ? path.resolve(PACKAGE_ROOT, flags.out) : null,
    });
    const json = `${JSON.stringify(result, null, 2)}\n`;
    if (flags.out) writeFileSync(path.resolve(PACKAGE_ROOT, flags.out), json);
    process.stdout.write(flags.out ? `wrote ${flags.out}\n` : json);
  } finally {
    if (!flags.work) rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The runs behind BENCHMARKS.md's vector tables. Flags given after --preset NAME override the preset's;
 * `all` runs every preset in turn. Index files stay in the preset's work folder, so a repeated run with
 * the same vectors only redoes the timings (--reuse).
 */
export const PRESETS: Record<string, string[]> = {
  'synthetic-100k': ['--n', '100000', '--queries', '1000', '--configs', '16/200,24/200,32/200,16/400', '--repeats', '5', '--work', path.join(tmpdir(), 'witness-vector-100k'), '--reuse', '--out', 'bench-results/synthetic-100k-sweep.json'],
  'synthetic-1m': [
    '--n', '1000000', '--queries', '1000', '--configs', '16/200', '--efs', '16,32,48,64,96,128,192,256,384,512', '--repeats', '3',
    '--no-two-threads', '--parallel-builds', '--work', path.join(tmpdir(), 'witness-vector-1m'), '--reuse', '--out', 'bench-results/synthetic-1m.json',
  ],
  // The index of `npm run bench -- --library sotu --workdir /tmp/sotu` (all 233 addresses, bge-small).
  sotu: [
    '--from-index', '/tmp/sotu/index', '--queries', '1000', '--configs', '16/200,24/200,32/200,16/400,32/400',
    '--efs', '16,32,48,64,96,128,192,256,384,512', '--repeats', '3', '--no-two-threads', '--out', 'bench-results/sotu-vectors-sweep.json',
  ],
  // The same vectors, asking for 50 neighbours as Witness's retrieval does (depth 50, ef max(128, 50)).
  'sotu-k50': [
    '--from-index', '/tmp/sotu/index', '--queries', '1000', '--k', '50', '--configs', '16/200,32/200,16/400',
    '--efs', '64,96,128,192,256,384,512', '--repeats', '3', '--no-two-threads', '--out', 'bench-results/sotu-vectors-k50.json',
  ],
};

async function withPresets(argv: string[]): Promise<void> {
  const at = argv.indexOf('--preset');
  if (at < 0) return main(argv);
  const name = argv[at + 1] ?? '';
  const rest = [...argv.slice(0, at), ...argv.slice(at + 2)];
  const names = name === 'all' ? Object.keys(PRESETS) : [name];
  for (const preset of names) {
    const args = PRESETS[preset];
    if (!args) throw new InvalidArgumentError(`--preset ${name}: expected one of ${[...Object.keys(PRESETS), 'all'].join(', ')}`);
    log(`preset ${preset}: ${[...args, ...rest].join(' ')}`);
    await main([...args, ...rest]);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await withPresets(process.argv.slice(2));
}
