import type { RankFeatures } from './rerank.js';
import type { Library, Passage } from './library.js';
import type { LexicalHit } from './lexical-index.js';
import type { FoundPassage } from './candidate-source.js';

export type RetrievalMode = 'hybrid' | 'dense' | 'lexical';

export interface Candidate {
  passage: Passage;
  /** Cosine similarity between the question and the passage. */
  dense: number;
  lexical: number;
  /** The ranking score for this mode. */
  score: number;
  /** In hybrid mode, the signals the score was computed from. */
  features?: RankFeatures;
}

/** Default number of candidates taken from each index. */
export const CANDIDATE_DEPTH = 50;

/** Candidates from the vector index and from BM25 (`LexicalIndex.analyze`'s hits); in dense and lexical mode, scored by that signal, best first. */
export function retrieve(
  library: Library,
  lexicalHits: LexicalHit[],
  queryVector: Float32Array,
  mode: RetrievalMode,
  depth = CANDIDATE_DEPTH,
  /** The nearest passages found by another store (CandidateSource), instead of the HNSW graph. */
  nearest?: FoundPassage[],
): Candidate[] {
  const total = library.passages.length;
  if (total === 0) return [];
  const limit = Math.min(depth, total);
  const byId = new Map<number, Candidate>();
  const candidate = (id: number): Candidate => {
    let found = byId.get(id);
    if (!found) {
      found = { passage: library.passages[id] as Passage, dense: Number.NaN, lexical: 0, score: 0 };
      byId.set(id, found);
    }
    return found;
  };

  if (mode !== 'lexical' && nearest) {
    for (const { id, score } of nearest.slice(0, limit)) if (id >= 0 && id < total) candidate(id).dense = score;
  } else if (mode !== 'lexical') {
    // On State of the Union vectors with question-like probes (BENCHMARKS.md), ef 256 finds 0.984 of
    // the exact 50 nearest (0.947 at ef 128) for about 0.25 ms more per question.
    library.vectors.setEf(Math.max(256, limit));
    const { neighbors, distances } = library.vectors.searchKnn(Array.from(queryVector), limit);
    neighbors.forEach((id, i) => {
      candidate(id).dense = 1 - (distances[i] as number);
    });
  }
  if (mode !== 'dense') {
    for (const { id, score } of lexicalHits.slice(0, limit)) if (id >= 0 && id < total) candidate(id).lexical = score;
  }
  const pool = [...byId.values()];
  for (const found of pool) {
    if (Number.isNaN(found.dense)) found.dense = library.passageSimilarity(found.passage.id, queryVector);
  }
  // Hybrid candidates are scored afterwards, by the ranking signals (rerank.ts, Answerer.rank).
  for (const found of pool) found.score = mode === 'dense' ? found.dense : mode === 'lexical' ? found.lexical : 0;
  return pool.sort((a, b) => b.score - a.score || b.dense - a.dense);
}
