import type { RankFeatures } from './rerank.js';
import type { Library, Passage } from './library.js';
import type { LexicalHit } from './lexical-index.js';
import type { FoundPassage, QuestionSimilarities } from './search-store.js';

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

/**
 * The candidates a store found for a question (its nearest passages and its best BM25 matches),
 * by passage id. `dense` is NaN where only BM25 found the passage: `withSimilarities` fills it in.
 */
export function gather(library: Library, nearest: FoundPassage[], lexicalHits: LexicalHit[], mode: RetrievalMode, depth = CANDIDATE_DEPTH): Map<number, Candidate> {
  const total = library.passages.length;
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
  const known = (id: number): boolean => Number.isInteger(id) && id >= 0 && id < total;
  if (mode !== 'lexical') for (const { id, score } of nearest.slice(0, limit)) if (known(id)) candidate(id).dense = score;
  if (mode !== 'dense') for (const { id, score } of lexicalHits.slice(0, limit)) if (known(id)) candidate(id).lexical = score;
  return byId;
}

/**
 * The candidates with every passage's similarity to the question; in dense and lexical modes
 * scored by that one signal, best first. Hybrid candidates are scored afterwards, by the ranking
 * signals (rerank.ts, Answerer.rank).
 */
export function withSimilarities(candidates: Iterable<Candidate>, similarities: QuestionSimilarities, mode: RetrievalMode): Candidate[] {
  const pool = [...candidates];
  for (const found of pool) {
    if (Number.isNaN(found.dense)) found.dense = similarities.passage(found.passage.id);
    found.score = mode === 'dense' ? found.dense : mode === 'lexical' ? found.lexical : 0;
  }
  return pool.sort((a, b) => b.score - a.score || b.dense - a.dense);
}
