import type { Library, Passage } from './library.js';
import { searchLexical } from './lexical-index.js';
import { dot } from './vectors.js';

export type RetrievalMode = 'hybrid' | 'dense' | 'lexical';

export interface Candidate {
  passage: Passage;
  /** Cosine similarity between the question and the passage. */
  dense: number;
  denseRank: number | null;
  lexical: number;
  lexicalRank: number | null;
  /** The ranking score for this mode. */
  score: number;
}

/** Reciprocal rank fusion constant: large enough that one list's top rank cannot swamp the other. */
export const RRF_K = 60;

export function rrf(rank: number | null): number {
  return rank === null ? 0 : 1 / (RRF_K + rank + 1);
}

/** Candidates from the vector index and from BM25, fused by reciprocal rank, best first. */
export function retrieve(library: Library, question: string, queryVector: Float32Array, mode: RetrievalMode, depth = 50): Candidate[] {
  const total = library.passages.length;
  if (total === 0) return [];
  const limit = Math.min(depth, total);
  const byId = new Map<number, Candidate>();
  const candidate = (id: number): Candidate => {
    let found = byId.get(id);
    if (!found) {
      found = { passage: library.passages[id] as Passage, dense: Number.NaN, denseRank: null, lexical: 0, lexicalRank: null, score: 0 };
      byId.set(id, found);
    }
    return found;
  };

  if (mode !== 'lexical') {
    library.vectors.setEf(Math.max(64, limit));
    const { neighbors, distances } = library.vectors.searchKnn(Array.from(queryVector), limit);
    const ranked = neighbors.map((id, i) => ({ id, similarity: 1 - (distances[i] as number) })).sort((a, b) => b.similarity - a.similarity);
    ranked.forEach(({ id, similarity }, rank) => {
      const found = candidate(id);
      found.dense = similarity;
      found.denseRank = rank;
    });
  }
  if (mode !== 'dense') {
    searchLexical(library.lexical, question, limit).forEach(({ id, score }, rank) => {
      const found = candidate(id);
      found.lexical = score;
      found.lexicalRank = rank;
    });
  }
  for (const found of byId.values()) {
    if (Number.isNaN(found.dense)) found.dense = dot(queryVector, library.vectorOf(found.passage.id));
    found.score = mode === 'dense' ? found.dense : mode === 'lexical' ? found.lexical : rrf(found.denseRank) + rrf(found.lexicalRank);
  }
  return [...byId.values()].sort((a, b) => b.score - a.score || b.dense - a.dense);
}
