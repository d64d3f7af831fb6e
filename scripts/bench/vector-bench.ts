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
