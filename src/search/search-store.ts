import type { LexicalHit } from './lexical-index.js';
import type { Passage } from './library.js';

/**
 * The store holding the passages could not be asked (every node down, a timeout, a refusal): the
 * question cannot be searched now, though nothing about it is wrong. The message names the store
 * and what failed, for the log; users get a plain sentence instead.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** A passage a store found for a question: its id in the library, and the store's own score. */
export interface FoundPassage {
  id: number;
  score: number;
}

/** How close a question is to given passages and to each of their sentences (cosine similarity). */
export interface QuestionSimilarities {
  passage(id: number): number;
  /** The passage's `index`-th sentence. */
  sentence(id: number, index: number): number;
  /**
   * Cosine similarity of two sentences of the passage (`a`, `b`: their places) at most two apart,
   * as within a quote window of 1–3 sentences (select-quote.ts); further apart it may be 0.
   */
  pair(id: number, a: number, b: number): number;
}

/**
 * Where the library's vectors and word index live: everything a question is searched and ranked
 * with except the passages' texts and their documents' structure (the Library). The embedded
 * store (src/store/embedded-store.ts: hnswlib's HNSW graph, the int8 vector table and Witness's
 * BM25) is the default; Apache Solr (src/store/solr/) holds the same vectors and words on a
 * cluster, so a Solr-backed Witness keeps none of them in memory. Ranking is the same either way.
 */
export interface SearchStore {
  readonly name: string;
  /** The `k` passages nearest the question's vector, best first; `score` is the cosine similarity. */
  nearest(vector: Float32Array, k: number): Promise<FoundPassage[]>;
  /** The `k` passages that best match the question's words, best first. */
  matching(question: string, k: number): Promise<LexicalHit[]>;
  /** The question's similarity to each of these passages and each of their sentences, and their sentences' to each other. */
  similarities(passages: readonly Passage[], vector: Float32Array): Promise<QuestionSimilarities>;
}
