import type { LexicalHit } from './lexical-index.js';

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

/**
 * Where a question's candidate passages come from. The embedded index (hnswlib's HNSW graph and
 * Witness's BM25) is the default and needs no source; a search engine holding the same passages
 * (Apache Solr, src/store/solr/) can stand in for it. Ranking is the same either way.
 */
export interface CandidateSource {
  readonly name: string;
  /** The `k` passages nearest the question's vector, best first; `score` is the cosine similarity. */
  nearest(vector: Float32Array, k: number): Promise<FoundPassage[]>;
  /** The `k` passages that best match the question's words, best first. */
  matching(question: string, k: number): Promise<LexicalHit[]>;
}
