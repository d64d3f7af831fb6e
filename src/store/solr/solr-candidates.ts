import type { CandidateSource, FoundPassage } from '../../search/candidate-source.js';
import type { LexicalHit } from '../../search/lexical-index.js';
import type { Library } from '../../search/library.js';
import { libraryScope, type SolrClient } from './solr-client.js';
import { solrPassageId } from './sync-index.js';

/**
 * Solr 9 has no search beam of its own: topK is the beam (per segment and shard). So the
 * nearest k are taken from a search for this many times k. On 200k synthetic passages the
 * nearest 10 of a topK-50 search were 0.981 of the exact ones and of a topK-100 search 0.998,
 * for about 5–15 ms more (BENCHMARKS.md, "Scale").
 */
const KNN_BEAM_FACTOR = 2;

/** Each passage's Solr id, to its id in the library (passages are in document and chunk order). */
export function solrIdsOf(library: Library, guild?: string): Map<string, number> {
  const ids = new Map<string, number>();
  library.documents.forEach((document, documentIndex) => {
    library.passagesOf(documentIndex).forEach((passage, chunk) => ids.set(solrPassageId(document.sourceId, chunk, guild), passage.id));
  });
  return ids;
}

/**
 * Candidates from a Solr collection holding the library (synced by syncIndexToSolr): Lucene's
 * HNSW for the nearest passages, Solr's BM25 for the words, both scoped to one guild's library.
 */
export class SolrCandidates implements CandidateSource {
  readonly name = 'solr';
  private readonly idOf: Map<string, number>;
  private readonly scope: string[];
  private readonly beforeSearch: () => Promise<void>;

  constructor(
    private readonly client: SolrClient,
    library: Library,
    /** `guild`: whose library to search; `beforeSearch`: awaited before each search (the collection brought in step with the library, once). */
    options: { guild?: string; beforeSearch?: () => Promise<void> } = {},
  ) {
    this.scope = [libraryScope(options.guild)];
    this.idOf = solrIdsOf(library, options.guild);
    this.beforeSearch = options.beforeSearch ?? (() => Promise.resolve());
  }

  private toLibrary<T extends { id: string; score: number }>(hits: T[], score: (value: number) => number): FoundPassage[] {
    return hits.flatMap((hit) => {
      const id = this.idOf.get(hit.id);
      return id === undefined ? [] : [{ id, score: score(hit.score) }];
    });
  }

  async nearest(vector: Float32Array, k: number): Promise<FoundPassage[]> {
    await this.beforeSearch();
    // Solr scores cosine as (1 + cos) / 2.
    return this.toLibrary(await this.client.nearest(vector, k * KNN_BEAM_FACTOR, this.scope), (score) => 2 * score - 1).slice(0, k);
  }

  async matching(question: string, k: number): Promise<LexicalHit[]> {
    const words = question.replace(/[^\p{L}\p{N}\s'-]/gu, ' ').trim();
    if (words.length === 0) return [];
    await this.beforeSearch();
    return this.toLibrary(await this.client.matching(words, k, this.scope), (score) => score);
  }
}
