import MiniSearch, { type Options } from 'minisearch';
import { stemmer } from 'stemmer';
import { eng as englishStopwords } from 'stopword';

const STOPWORDS = new Set(englishStopwords);

export interface LexicalDocument {
  id: number;
  text: string;
}

/** Folds case, accents and apostrophes, drops stopwords, and stems, so "tortured" finds "torture". */
export function lexicalTerm(term: string): string | null {
  const folded = term
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s$/u, '');
  if (folded.length === 0 || STOPWORDS.has(folded)) return null;
  return /^[a-z]+$/u.test(folded) ? stemmer(folded) : folded;
}

/** BM25+ parameters: term-frequency saturation k, length normalisation b, and the floor d a match always earns (MiniSearch's defaults). */
export const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

/** A passage whose words are counted for one question. */
export interface CountedPassage {
  id: number;
  text: string;
}

/** What a question's words earn in the passages it is asked against. */
export interface LexicalAnalysis {
  /** Each given passage that holds a word of the question: its BM25 score and the IDF-weighted share of the question's words it holds. */
  passages: Map<number, { bm25: number; coverage: number }>;
  /** Words of the question (stopwords aside) that no passage of the library contains. */
  unknownWords: string[];
  /** The IDF-weighted share of the question's words that some passage holds (0–1). */
  knownShare: number;
}

/**
 * The library's word statistics as ranking reads them: the BM25 index itself (embedded) or a
 * vocabulary of document frequencies scoring the candidates from their texts (vocabulary.ts,
 * for a process whose postings live in Solr). Both give MiniSearch's scores.
 */
export interface WordStatistics {
  /** BM25 and coverage of each given passage for the question, the question's unknown words and the share of it the library knows. */
  analyze(question: string, passages: Iterable<CountedPassage>): LexicalAnalysis;
  /** The question's known terms, each with its rarity (IDF), for measuring how much of the question a text holds (`coverageOf`). */
  questionWeights(question: string): Map<string, number>;
  /** The question's words, lower-cased, that no passage of the library holds. */
  unknownWords(question: string): string[];
}

/** The words of a question, lower-cased, whose term `known` does not hold (stopwords aside). */
export function unknownWordsOf(question: string, known: (term: string) => boolean): string[] {
  const unknown: string[] = [];
  for (const token of tokenize(question)) {
    const term = lexicalTerm(token);
    const word = token.toLowerCase();
    if (term !== null && !known(term) && !unknown.includes(word)) unknown.push(word);
  }
  return unknown;
}

/**
 * How much of the question the library holds: a word no passage holds counts in the whole at the
 * highest rarity there is, so a question most of whose words the library lacks ("where is the
 * isis boss supposedly holed up") is not "covered" by a passage that holds its one known word.
 */
export function wholeQuestionIdf(knownIdf: number, unknownWords: number, documentCount: number): number {
  return knownIdf + unknownWords * inverseFrequency(documentCount, 0);
}

/** BM25's rarity of a term that `matching` of `documentCount` passages hold. */
export function inverseFrequency(documentCount: number, matching: number): number {
  return Math.log(1 + (documentCount - matching + 0.5) / (matching + 0.5));
}

/**
 * What one question term earns a passage holding it `frequency` times (BM25+, MiniSearch's
 * formula); a word asked twice counts twice, as in MiniSearch, where each occurrence is its own query.
 */
export function bm25Gain(repeats: number, idf: number, frequency: number, length: number, averageLength: number): number {
  const { k, b, d } = BM25;
  const norm = k * (1 - b + (b * length) / averageLength);
  return repeats * idf * (d + (frequency * (k + 1)) / (frequency + norm));
}

/** How MiniSearch indexes and searches the passages; `LexicalIndex` scores with the same settings. */
export const LEXICAL_OPTIONS: Options<LexicalDocument> = {
  fields: ['text'],
  storeFields: [],
  processTerm: lexicalTerm,
  searchOptions: { processTerm: lexicalTerm, bm25: BM25 },
};

/** MiniSearch's word splitter, so questions are cut into words as the passages were. */
export const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/** Builds the BM25 index at ingest: MiniSearch splits, folds and counts; the result is stored in Witness's compact form. */
export function buildLexicalIndex(documents: LexicalDocument[]): LexicalIndex {
  // A library repeats a few tens of thousands of words millions of times: fold and stem each once.
  const folded = new Map<string, string | null>();
  const processTerm = (word: string): string | null => {
    let term = folded.get(word);
    if (term === undefined) {
      term = lexicalTerm(word);
      folded.set(word, term);
    }
    return term;
  };
  const miniSearch = new MiniSearch<LexicalDocument>({ ...LEXICAL_OPTIONS, processTerm });
  miniSearch.addAll(documents);
  return LexicalIndex.fromMiniSearch(miniSearch.toJSON());
}

export class LexicalIndexError extends Error {}

/** The parts of MiniSearch's serialization (format 2, pinned with the package) that BM25 needs. */
interface MiniSearchJson {
  serializationVersion: number;
  documentCount: number;
  documentIds: Record<string, number>;
  fieldIds: Record<string, number>;
  fieldLength: Record<string, number[]>;
  averageFieldLength: number[];
  index: [string, Record<string, Record<string, number>>][];
}

/** How Witness stores the lexical index (lexical.json): flat arrays, little-endian, base64. */
interface CompactJson {
  format: typeof COMPACT_FORMAT;
  documentCount: number;
  averageLength: number;
  terms: string[];
  passageIds: string;
  lengths: string;
  postingStart: string;
  postingDoc: string;
  postingFreq: string;
}
const COMPACT_FORMAT = 'witness-bm25/1';

interface Arrays {
  documentCount: number;
  averageLength: number;
  terms: string[];
  passageIds: Int32Array;
  lengths: Float32Array;
  postingStart: Uint32Array;
  postingDoc: Uint32Array;
  /** Term frequencies, capped at 65,535: BM25 saturates long before that. */
  postingFreq: Uint16Array;
}

const toBase64 = (array: ArrayBufferView): string => Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');

/** Decodes into a fresh, aligned buffer; a length that is not a whole number of elements is a corrupt file. */
function fromBase64<T>(text: unknown, bytesPer: number, make: (buffer: ArrayBuffer) => T, name: string): T {
  if (typeof text !== 'string') throw new LexicalIndexError(`the lexical index has no ${name}`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % bytesPer !== 0) throw new LexicalIndexError(`the lexical index's ${name} is truncated`);
  return make(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * BM25 over flat postings, ranked exactly as MiniSearch's `search` with `combineWith: 'OR'` ranks
 * (BM25+ per question term, summed, times the number of distinct question terms the passage
 * contains; test/unit/lexical-index.test.ts holds the two side by side).
 *
 * MiniSearch builds a result object with per-term match lists for every passage that shares a
 * word with the question, then sorts them all: 6.6 ms and about 4 MB per question on the State of
 * the Union library (BENCHMARKS.md). Here scores accumulate in arrays allocated once and only the
 * best `limit` passages are kept. Loading decodes a few arrays instead of rebuilding a radix tree.
 */
export class LexicalIndex implements WordStatistics {
  private readonly termIds = new Map<string, number>();
  /** Scratch space for one question, reused: scores, distinct terms matched, and which documents were touched. */
  private readonly score: Float64Array;
  /** Scratch for `analyze`: the IDF of the question's words each passage holds. */
  private covered: Float64Array | null = null;
  private readonly matched: Uint16Array;
  private readonly touched: Uint32Array;

  private constructor(private readonly data: Arrays) {
    const { terms, passageIds, lengths, postingStart, postingDoc } = data;
    if (lengths.length !== passageIds.length || postingStart.length !== terms.length + 1 || postingStart[terms.length] !== postingDoc.length || data.postingFreq.length !== postingDoc.length) {
      throw new LexicalIndexError('the lexical index is inconsistent');
    }
    for (const doc of postingDoc) if (doc >= passageIds.length) throw new LexicalIndexError('the lexical index refers to a passage it does not hold');
    terms.forEach((term, t) => this.termIds.set(term, t));
    this.score = new Float64Array(passageIds.length);
    this.matched = new Uint16Array(passageIds.length);
    this.touched = new Uint32Array(passageIds.length);
  }

  /** From MiniSearch's serialization: at ingest, and for indexes written before the compact form. */
  static fromMiniSearch(serialized: MiniSearchJson): LexicalIndex {
    if (serialized.serializationVersion !== 2) throw new LexicalIndexError(`the lexical index is in MiniSearch format ${String(serialized.serializationVersion)}, not 2`);
    const fieldId = serialized.fieldIds.text;
    if (fieldId === undefined) throw new LexicalIndexError('the lexical index has no text field');
    const field = String(fieldId);
    const shortIds = Object.keys(serialized.documentIds);
    // MiniSearch's short ids count up from 0; size by the largest, to be safe.
    const size = shortIds.reduce((max, id) => Math.max(max, Number(id) + 1), 0);
    const passageIds = new Int32Array(size).fill(-1);
    const lengths = new Float32Array(size);
    for (const shortId of shortIds) {
      const slot = Number(shortId);
      passageIds[slot] = serialized.documentIds[shortId] as number;
      lengths[slot] = serialized.fieldLength[shortId]?.[fieldId] ?? 0;
    }
    let total = 0;
    for (const [, fields] of serialized.index) total += Object.keys(fields[field] ?? {}).length;
    const postingStart = new Uint32Array(serialized.index.length + 1);
    const postingDoc = new Uint32Array(total);
    const postingFreq = new Uint16Array(total);
    const terms: string[] = [];
    let at = 0;
    serialized.index.forEach(([term, fields], t) => {
      terms.push(term);
      postingStart[t] = at;
      for (const [shortId, frequency] of Object.entries(fields[field] ?? {})) {
        postingDoc[at] = Number(shortId);
        postingFreq[at] = Math.min(frequency, 0xffff);
        at++;
      }
    });
    postingStart[terms.length] = at;
    const averageLength = serialized.averageFieldLength[fieldId] ?? 0;
    return new LexicalIndex({ documentCount: serialized.documentCount, averageLength, terms, passageIds, lengths, postingStart, postingDoc, postingFreq });
  }

  static fromCompact(stored: CompactJson): LexicalIndex {
    if (!Array.isArray(stored.terms) || !stored.terms.every((term) => typeof term === 'string') || typeof stored.documentCount !== 'number' || typeof stored.averageLength !== 'number') {
      throw new LexicalIndexError('the lexical index is missing its terms or counts');
    }
    return new LexicalIndex({
      documentCount: stored.documentCount,
      averageLength: stored.averageLength,
      terms: stored.terms,
      passageIds: fromBase64(stored.passageIds, 4, (b) => new Int32Array(b), 'passage ids'),
      lengths: fromBase64(stored.lengths, 4, (b) => new Float32Array(b), 'passage lengths'),
      postingStart: fromBase64(stored.postingStart, 4, (b) => new Uint32Array(b), 'posting offsets'),
      postingDoc: fromBase64(stored.postingDoc, 4, (b) => new Uint32Array(b), 'postings'),
      postingFreq: fromBase64(stored.postingFreq, 2, (b) => new Uint16Array(b), 'term frequencies'),
    });
  }

  /** The compact stored form (what `JSON.stringify` writes). */
  toJSON(): CompactJson {
    const { documentCount, averageLength, terms, passageIds, lengths, postingStart, postingDoc, postingFreq } = this.data;
    return {
      format: COMPACT_FORMAT,
      documentCount,
      averageLength,
      terms,
      passageIds: toBase64(passageIds),
      lengths: toBase64(lengths),
      postingStart: toBase64(postingStart),
      postingDoc: toBase64(postingDoc),
      postingFreq: toBase64(postingFreq),
    };
  }

  get size(): number {
    return this.data.documentCount;
  }

  /** The question's terms as the index holds them, with how often each occurs in the question. */
  private questionTerms(question: string): Map<number, number> {
    const terms = new Map<number, number>();
    for (const token of tokenize(question)) {
      const term = lexicalTerm(token);
      const id = term === null ? undefined : this.termIds.get(term);
      if (id !== undefined) terms.set(id, (terms.get(id) ?? 0) + 1);
    }
    return terms;
  }

  /** The word statistics without the postings: each term's document frequency, the passage count and average length. */
  termStatistics(): { documentFrequency: Map<string, number>; documentCount: number; averageLength: number } {
    const { documentCount, averageLength, terms, postingStart } = this.data;
    const documentFrequency = new Map<string, number>();
    terms.forEach((term, t) => documentFrequency.set(term, (postingStart[t + 1] as number) - (postingStart[t] as number)));
    return { documentFrequency, documentCount, averageLength };
  }

  questionWeights(question: string): Map<string, number> {
    const weights = new Map<string, number>();
    const { documentCount, postingStart, terms } = this.data;
    for (const id of this.questionTerms(question).keys()) {
      weights.set(terms[id] as string, inverseFrequency(documentCount, (postingStart[id + 1] as number) - (postingStart[id] as number)));
    }
    return weights;
  }

  unknownWords(question: string): string[] {
    return unknownWordsOf(question, (term) => this.termIds.has(term));
  }

  /** The `limit` best passages for a question by BM25, best first. */
  search(question: string, limit: number): LexicalHit[] {
    return this.scan(question, limit, null).hits;
  }

  /** Read from the postings of the question's words: the given passages' texts are not read. */
  analyze(question: string, passages: Iterable<CountedPassage>): LexicalAnalysis {
    const wanted = new Set<number>();
    for (const passage of passages) wanted.add(passage.id);
    const scored = new Map<number, { bm25: number; coverage: number }>();
    const { totalIdf } = this.scan(question, 0, { wanted, scored });
    const unknownWords = this.unknownWords(question);
    const whole = wholeQuestionIdf(totalIdf, unknownWords.length, this.data.documentCount);
    if (whole > 0) for (const entry of scored.values()) entry.coverage /= whole;
    return { passages: scored, unknownWords, knownShare: whole > 0 ? totalIdf / whole : 0 };
  }

  /** BM25 over the question's postings: the best `limit` hits, and each `wanted` passage's score and IDF held into `scored`. */
  private scan(question: string, limit: number, collect: { wanted: Set<number>; scored: Map<number, { bm25: number; coverage: number }> } | null): { hits: LexicalHit[]; totalIdf: number } {
    const { documentCount, averageLength, passageIds, lengths, postingStart, postingDoc, postingFreq } = this.data;
    const { score, matched, touched } = this;
    const covered = collect ? (this.covered ??= new Float64Array(score.length)) : null;
    let touchedCount = 0;
    let totalIdf = 0;
    for (const [term, repeats] of this.questionTerms(question)) {
      const from = postingStart[term] as number;
      const to = postingStart[term + 1] as number;
      const idf = inverseFrequency(documentCount, to - from);
      totalIdf += idf;
      for (let p = from; p < to; p++) {
        const doc = postingDoc[p] as number;
        const gain = bm25Gain(repeats, idf, postingFreq[p] as number, lengths[doc] as number, averageLength);
        if (matched[doc] === 0) touched[touchedCount++] = doc;
        score[doc] = (score[doc] as number) + gain;
        matched[doc] = (matched[doc] as number) + 1;
        if (covered) covered[doc] = (covered[doc] as number) + idf;
      }
    }
    const best = topScores(touched, touchedCount, (doc) => (score[doc] as number) * (matched[doc] as number), limit);
    for (let i = 0; i < touchedCount; i++) {
      const doc = touched[i] as number;
      const id = passageIds[doc] as number;
      if (collect && covered && collect.wanted.has(id)) collect.scored.set(id, { bm25: (score[doc] as number) * (matched[doc] as number), coverage: covered[doc] as number });
      if (covered) covered[doc] = 0;
      score[doc] = 0;
      matched[doc] = 0;
    }
    return { hits: best.map(({ doc, score: value }) => ({ id: passageIds[doc] as number, score: value })), totalIdf };
  }
}

/** The IDF-weighted share of the question's words (`questionWeights`) that a text holds. */
export function coverageOf(text: string, weights: Map<string, number>): number {
  let total = 0;
  for (const weight of weights.values()) total += weight;
  if (total === 0) return 0;
  const seen = new Set<string>();
  let held = 0;
  for (const token of tokenize(text)) {
    const term = lexicalTerm(token);
    if (term === null || seen.has(term)) continue;
    seen.add(term);
    held += weights.get(term) ?? 0;
  }
  return held / total;
}

export interface LexicalHit {
  id: number;
  score: number;
}

/** The `limit` highest-scoring of `count` documents, best first (earlier documents first on ties, as MiniSearch's stable sort). */
function topScores(docs: Uint32Array, count: number, scoreOf: (doc: number) => number, limit: number): { doc: number; score: number }[] {
  const best: { doc: number; score: number }[] = [];
  if (limit <= 0) return best;
  for (let i = 0; i < count; i++) {
    const doc = docs[i] as number;
    const score = scoreOf(doc);
    if (best.length === limit && score <= (best[limit - 1] as { score: number }).score) continue;
    let at = best.length;
    while (at > 0 && (best[at - 1] as { score: number }).score < score) at--;
    best.splice(at, 0, { doc, score });
    if (best.length > limit) best.pop();
  }
  return best;
}

/** Reads lexical.json: Witness's compact form, or MiniSearch's from indexes written before it. */
export function loadLexicalIndex(json: string): LexicalIndex {
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    throw new LexicalIndexError('the lexical index is not valid JSON');
  }
  if (typeof stored !== 'object' || stored === null) throw new LexicalIndexError('the lexical index is not an object');
  if ((stored as { format?: unknown }).format === COMPACT_FORMAT) return LexicalIndex.fromCompact(stored as CompactJson);
  if ('serializationVersion' in stored && Array.isArray((stored as { index?: unknown }).index)) return LexicalIndex.fromMiniSearch(stored as MiniSearchJson);
  throw new LexicalIndexError('the lexical index is in a format this version cannot read');
}
