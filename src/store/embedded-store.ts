import type { StoredIndex, VectorIndex } from './index-store.js';
import type { QuantizedVectors } from './quantized-vectors.js';
import { loadLexicalIndex, type LexicalHit, type LexicalIndex } from '../search/lexical-index.js';
import { Library, type Passage } from '../search/library.js';
import type { FoundPassage, QuestionSimilarities, SearchStore } from '../search/search-store.js';

/**
 * The default store, in this process: hnswlib's HNSW graph finds the nearest passages, Witness's
 * BM25 postings the matching ones, and the int8 table (passages, then every sentence) gives the
 * similarities ranking reads.
 */
export class EmbeddedStore implements SearchStore {
  readonly name = 'embedded';

  constructor(
    readonly vectors: VectorIndex,
    readonly lexical: LexicalIndex,
    private readonly table: QuantizedVectors,
    /** Rows of the table before the first sentence's: one per passage. */
    private readonly passageRows: number,
  ) {}

  nearest(vector: Float32Array, k: number): Promise<FoundPassage[]> {
    const limit = Math.min(k, this.passageRows);
    if (limit <= 0) return Promise.resolve([]);
    // On State of the Union vectors with question-like probes (BENCHMARKS.md), ef 256 finds 0.984 of
    // the exact 50 nearest (0.947 at ef 128) for about 0.25 ms more per question.
    this.vectors.setEf(Math.max(256, limit));
    const { neighbors, distances } = this.vectors.searchKnn(Array.from(vector), limit);
    return Promise.resolve(neighbors.map((id, i) => ({ id, score: 1 - (distances[i] as number) })));
  }

  /** Scored here and now, on this thread: the caller starts it before waiting for the question's vector. */
  matching(question: string, k: number): Promise<LexicalHit[]> {
    return Promise.resolve(this.lexical.search(question, k));
  }

  private sentenceRow(passage: Pick<Passage, 'firstSentence'>, index: number): number {
    return this.passageRows + passage.firstSentence + index;
  }

  /** Read from the table as they are asked for. */
  similarities(passages: readonly Passage[], vector: Float32Array): Promise<QuestionSimilarities> {
    const byId = new Map(passages.map((passage) => [passage.id, passage]));
    return Promise.resolve({
      passage: (id) => this.table.dot(id, vector),
      sentence: (id, index) => {
        const passage = byId.get(id);
        return passage ? this.table.dot(this.sentenceRow(passage, index), vector) : -1;
      },
      pair: (id, a, b) => {
        const passage = byId.get(id);
        return passage ? this.table.dotRows(this.sentenceRow(passage, a), this.sentenceRow(passage, b)) : 0;
      },
    });
  }
}

/** A library and its embedded store, from a loaded index: the word index is read once for both. */
export function openEmbedded(index: StoredIndex, options: { libraryUrl?: string } = {}): { library: Library; store: EmbeddedStore } {
  const lexical = loadLexicalIndex(index.lexicalJson);
  return { library: new Library(index.documents, lexical, options), store: new EmbeddedStore(index.vectors, lexical, index.table, index.manifest.chunkCount) };
}
