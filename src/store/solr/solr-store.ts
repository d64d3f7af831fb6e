import type { LexicalHit } from '../../search/lexical-index.js';
import type { Library, Passage } from '../../search/library.js';
import type { FoundPassage, QuestionSimilarities, SearchStore } from '../../search/search-store.js';
import { libraryScope, type SolrClient, type SolrHit } from './solr-client.js';
import { solrPassageId } from './sync-index.js';

/**
 * Solr 9 has no search beam of its own: topK is the beam (per segment and shard). So the
 * nearest k are taken from a search for this many times k. On 200k synthetic passages the
 * nearest 10 of a topK-50 search were 0.981 of the exact ones and of a topK-100 search 0.998,
 * for about 5–15 ms more (BENCHMARKS.md, "Scale").
 */
const KNN_BEAM_FACTOR = 2;

/** A stored list of numbers (a multi-valued float field), or none. */
const numbers = (value: unknown): number[] => (Array.isArray(value) ? value.map(Number) : []);

/** Solr scores cosine similarity as (1 + cos) / 2. */
const cosine = (score: number): number => 2 * score - 1;

/**
 * The library's vectors and words in a Solr collection (synced by syncIndexToSolr), scoped to
 * one guild's library: Lucene's HNSW finds the nearest passages, Solr's BM25 the matching ones,
 * and the similarities ranking reads (each candidate's and each of its sentences') are computed
 * by Solr over the few candidates of a question, so this process holds no vector and no posting.
 */
export class SolrStore implements SearchStore {
  readonly name = 'solr';
  private readonly scope: string[];
  private readonly beforeSearch: () => Promise<void>;
  private readonly guildPrefix: string;

  constructor(
    private readonly client: SolrClient,
    private readonly library: Library,
    /** `guild`: whose library to search; `beforeSearch`: awaited before each search (the collection brought in step with the library, once). */
    private readonly options: { guild?: string; beforeSearch?: () => Promise<void> } = {},
  ) {
    this.scope = [libraryScope(options.guild)];
    this.guildPrefix = options.guild === undefined ? '' : `${options.guild}/`;
    this.beforeSearch = options.beforeSearch ?? (() => Promise.resolve());
  }

  private solrId(passage: Passage): string {
    return solrPassageId(passage.document.sourceId, passage.chunkIndex, this.options.guild);
  }

  /** The library's passage for a Solr id (`[guild/]sourceId!pN`), if this library holds it. */
  private passageOf(id: unknown): Passage | undefined {
    if (typeof id !== 'string' || !id.startsWith(this.guildPrefix)) return undefined;
    const at = id.lastIndexOf('!p');
    if (at < this.guildPrefix.length) return undefined;
    return this.library.passageAt(id.slice(this.guildPrefix.length, at), Number(id.slice(at + 2)));
  }

  private toLibrary(hits: SolrHit[], score: (value: number) => number): FoundPassage[] {
    return hits.flatMap((hit) => {
      const passage = this.passageOf(hit.id);
      return passage ? [{ id: passage.id, score: score(hit.score) }] : [];
    });
  }

  async nearest(vector: Float32Array, k: number): Promise<FoundPassage[]> {
    await this.beforeSearch();
    return this.toLibrary(await this.client.nearest(vector, k * KNN_BEAM_FACTOR, this.scope), cosine).slice(0, k);
  }

  async matching(question: string, k: number): Promise<LexicalHit[]> {
    const words = question.replace(/[^\p{L}\p{N}\s'-]/gu, ' ').trim();
    if (words.length === 0) return [];
    await this.beforeSearch();
    return this.toLibrary(await this.client.matching(words, k, this.scope), (score) => score);
  }

  /** Each passage's Solr id, with how many sentences it has. */
  private sentenceCounts(passages: readonly Passage[]): Map<string, number> {
    return new Map(passages.map((passage) => [this.solrId(passage), passage.chunk.sentences.length]));
  }

  /**
   * Two searches at once, each a kNN search Lucene answers exactly over a small filter: the
   * candidates themselves (with their sentences' stored similarities to each other) and all of
   * their sentences.
   */
  async similarities(passages: readonly Passage[], vector: Float32Array): Promise<QuestionSimilarities> {
    if (passages.length === 0) return { passage: () => -1, sentence: () => -1, pair: () => 0 };
    await this.beforeSearch();
    const [passageHits, sentenceHits] = await Promise.all([
      this.client.passagesScored(
        passages.map((passage) => this.solrId(passage)),
        vector,
        this.scope,
        'id,score,near1,near2',
      ),
      this.client.sentencesOf(this.sentenceCounts(passages), vector, this.scope),
    ]);
    const toPassage = new Map<number, number>();
    const near = new Map<number, [number[], number[]]>();
    for (const hit of passageHits) {
      const passage = this.passageOf(hit.id);
      if (!passage) continue;
      toPassage.set(passage.id, cosine(hit.score));
      near.set(passage.id, [numbers(hit.fields.near1), numbers(hit.fields.near2)]);
    }
    const toSentences = new Map(passages.map((passage) => [passage.id, passage.chunk.sentences.map(() => -1)]));
    for (const hit of sentenceHits) {
      const passage = this.passageOf(hit.fields.parent_id);
      const sentences = passage ? toSentences.get(passage.id) : undefined;
      const index = Number(hit.fields.sentence);
      if (sentences && Number.isInteger(index) && index >= 0 && index < sentences.length) sentences[index] = cosine(hit.score);
    }
    return {
      passage: (id) => toPassage.get(id) ?? -1,
      sentence: (id, index) => toSentences.get(id)?.[index] ?? -1,
      pair: (id, a, b) => near.get(id)?.[Math.abs(a - b) - 1]?.[Math.min(a, b)] ?? 0,
    };
  }
}
