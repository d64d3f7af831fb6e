import type { Embedder } from '../embed/embedder.js';
import type { Span } from '../library/types.js';
import type { Answer, AnswerResult, Citation } from './answer-types.js';
import type { QuestionSimilarities, SearchStore } from './search-store.js';
import { matchingWindow, overlap, SAME_PASSAGE_OVERLAP, shingles } from './corroborate.js';
import { coverageOf, type LexicalHit } from './lexical-index.js';
import type { Library, Passage } from './library.js';
import { answerability, type AnswerabilityFeatures, type AnswerabilityModel } from './answerability.js';
import { ANSWERABILITY_MODEL } from './answerability-model.js';
import { checkQuestion } from './question.js';
import { missingKind, unknownNames } from './stated-evidence.js';
import { questionIntent, type QuestionIntent } from './question-intent.js';
import { questionCore } from './question-core.js';
import { passageScore, RANK_WEIGHTS, rankFeatures, rankScore, type RankWeights } from './rerank.js';
import { CANDIDATE_DEPTH, gather, withSimilarities, type Candidate, type RetrievalMode } from './retrieve.js';
import { chooseQuotes } from './choose-quote.js';

export interface AskOptions {
  k?: number;
  mode?: RetrievalMode;
}

export interface AnswererSettings {
  /** A question is answered when its best passage's similarity reaches this. */
  minSimilarity: number;
  /** Later results must stay within this of the best one's similarity. */
  resultSimilarityMargin?: number;
  /** Further results must score within this of the first (hybrid ranking score). */
  resultScoreMargin?: number;
  /** How many of the first results are read for the kind of answer asked for before "not stated" is said. */
  notStatedDepth?: number;
  /** Only this many of those passages' sentences closest to the question are read for the answer (0: all). */
  notStatedTopSentences?: number;
  /** Weight of question-word coverage in choosing the quote within a passage (tuning only). */
  quoteLexicalWeight?: number;
  /**
   * 1: decide as before the answerability model, for measuring it: `not_in_library` under the
   * similarity bar, `not_stated` for a name the library lacks or no asked-for kind in the two
   * closest sentences.
   */
  decideByRules?: number;
  /** 0: quotes never reach the next sentence for the answer (reachAnswer; for measuring that lever). */
  reachAnswer?: number;
  /** 0: the vector and BM25 read the whole question, chatter included (questionCore; for measuring that lever). */
  questionCore?: number;
  /** The answerability model (default: the fitted one, answerability-model.ts). */
  answerability?: AnswerabilityModel;
}

/** The candidates of one question, best first, with what the question asks for. */
export interface Ranking {
  candidates: Candidate[];
  intent: QuestionIntent;
  /** The question's similarity to every candidate and its sentences. */
  similarities: QuestionSimilarities;
  /** Words of the question no passage of the library contains. */
  unknownWords: string[];
  /** Whether the question names a few documents by their metadata (author, alias, publisher, year). */
  namesDocuments: boolean;
  /** IDF-weighted share of the question's words the library holds anywhere (hybrid mode). */
  knownShare: number;
}

/** What the answer to a question is decided from (Answerer.evidence). */
export interface Evidence {
  features: AnswerabilityFeatures;
  /** The model's probability that the library answers the question. */
  probability: number;
  /** Names the question writes that the library never mentions. */
  unknownNames: string[];
  /** The asked-for kinds of answer the closest passages lack ("a number"), or null. */
  missingKind: string | null;
  /** The question's words with their rarity, as the quote is chosen by them too. */
  questionWords: Map<string, number>;
}

/**
 * The paragraph a quote was taken from, for "Full paragraph": the passage, and when the quote
 * reaches on into the next paragraph for the answer (choose-quote.ts), that paragraph too, so the
 * span always holds the whole quote.
 */
function passageAround(library: Library, passage: Passage, quote: Span): Span {
  if (quote.end <= passage.chunk.end) return { start: passage.chunk.start, end: passage.chunk.end };
  const next = library.passageAt(passage.document.sourceId, passage.chunkIndex + 1);
  return { start: passage.chunk.start, end: Math.max(quote.end, next?.chunk.end ?? quote.end) };
}

/** Results after the first may be this much less similar to the question than the best passage. */
const RESULT_SIMILARITY_MARGIN = 0.2;
/** Each further result from a source already shown counts for this much less (dense and lexical modes: a factor on their 0–1 score). */
const SAME_SOURCE_DECAY = 0.85;
/** The same in hybrid mode: subtracted from the ranking score (rerank.ts) per earlier result from that source. */
const SAME_SOURCE_PENALTY = 0.3;
/** In choosing the quote within a passage, the share of the question's words a window holds (IDF-weighted) counts this much next to its cosine similarity. */
const QUOTE_LEXICAL_WEIGHT = 0.1;
/**
 * Results after the first must score within this of it in the hybrid ranking (rerank.ts
 * weights). 1.5 under the weights before session 8; their similarity weights doubled, so did
 * this (on the tuning sets 1.5 and 3 gave the same hit@1 and hit@3, and 3 shows more further
 * excerpts).
 */
const RESULT_SCORE_MARGIN = 3;
/** A document named by a question (document-metadata.ts) joins the search when it matches at least this share of the best match… */
const NAMED_DOCUMENT_SHARE = 0.75;
/** …and when the question names no more documents than this (a name every document shares narrows nothing). */
const MAX_NAMED_DOCUMENTS = 12;
/** How many of the first results are read for the kind of answer asked for before "not stated" is said. */
const NOT_STATED_DEPTH = 3;
/** See AnswererSettings.notStatedTopSentences. */
const NOT_STATED_TOP_SENTENCES = 2;
/** How many of the first candidates the answerability features read. */
const EVIDENCE_DEPTH = 5;

function toSpans(pairs: [number, number][]): Span[] {
  return pairs.map(([start, end]) => ({ start, end }));
}

function citation(library: Library, passage: Passage, span: Span): Citation {
  const { document } = passage;
  const quote = document.text.slice(span.start, span.end);
  return {
    ...library.locate(document, span.start, quote),
    sourceId: document.sourceId,
    title: document.meta.title,
    publisher: document.meta.publisher,
    date: document.meta.date,
    url: document.meta.url,
    paragraph: passage.chunk.paragraph,
    start: span.start,
    end: span.end,
    quote,
  };
}

interface Selected {
  candidate: Candidate;
  /** The ranking score after the same-source decay: what the results are ordered by. */
  rankScore: number;
  corroborating: Candidate[];
}

/**
 * Near-identical passages score nearly identically, so repeats of a chosen passage are looked
 * for only among this many best candidates: comparing word trigrams is the costly part.
 */
const DUPLICATE_SEARCH_DEPTH = 30;

/**
 * Word-trigram fingerprints of passages, kept across questions: the same passages come back for
 * related questions, and fingerprinting was half the cost of picking results. Emptied when it
 * reaches this many passages, so memory stays bounded on a large library.
 */
const FINGERPRINT_CACHE_SIZE = 4096;

/** Whether a passage's document has pages (a PDF), so its citation can give one. */
const paged = (c: Candidate): boolean => (c.passage.document.pages?.length ?? 0) > 0;

/**
 * Folds a repeat of a chosen passage from another source into it. The same words in a PDF and
 * in another format of one report (a Word file, a web page) are cited from the PDF, which gives
 * the page; the other becomes the corroborating citation.
 */
function corroborate(chosen: Selected, repeat: Candidate): void {
  if (paged(repeat) && !paged(chosen.candidate)) {
    chosen.corroborating.push(chosen.candidate);
    chosen.candidate = repeat;
  } else {
    chosen.corroborating.push(repeat);
  }
}

/** Picks results best first, spreading across sources and folding repeats of one passage together. */
function pickResults(candidates: Candidate[], k: number, floor: number, gramCache: Map<number, Set<number>>, additive: boolean): Selected[] {
  const pool = candidates.filter((c) => c.dense >= floor);
  const grams = (c: Candidate): Set<number> => {
    let found = gramCache.get(c.passage.id);
    if (!found) {
      if (gramCache.size >= FINGERPRINT_CACHE_SIZE) gramCache.clear();
      found = shingles(c.passage.text);
      gramCache.set(c.passage.id, found);
    }
    return found;
  };
  const sameAs = (c: Candidate, selected: Selected[]): Selected | undefined =>
    selected.find((s) => overlap(grams(s.candidate), grams(c)) >= SAME_PASSAGE_OVERLAP);
  const selected: Selected[] = [];
  const perSource = new Map<string, number>();
  const used = new Set<number>();
  while (selected.length < k) {
    let best: Candidate | null = null;
    let bestScore = -Infinity;
    for (const c of pool) {
      if (used.has(c.passage.id)) continue;
      const earlier = perSource.get(c.passage.document.sourceId) ?? 0;
      const adjusted = additive ? c.score - SAME_SOURCE_PENALTY * earlier : c.score * SAME_SOURCE_DECAY ** earlier;
      if (adjusted > bestScore) {
        best = c;
        bestScore = adjusted;
      }
    }
    if (!best) break;
    used.add(best.passage.id);
    const duplicateOf = sameAs(best, selected);
    if (duplicateOf) {
      if (duplicateOf.candidate.passage.document.sourceId !== best.passage.document.sourceId) corroborate(duplicateOf, best);
      continue;
    }
    selected.push({ candidate: best, rankScore: bestScore, corroborating: [] });
    perSource.set(best.passage.document.sourceId, (perSource.get(best.passage.document.sourceId) ?? 0) + 1);
  }
  // Repeats of a chosen passage a little further down the list still corroborate it.
  for (const c of pool.slice(0, DUPLICATE_SEARCH_DEPTH)) {
    if (used.has(c.passage.id)) continue;
    const same = sameAs(c, selected);
    if (same && same.candidate.passage.document.sourceId !== c.passage.document.sourceId) corroborate(same, c);
  }
  return selected;
}

/** The candidate whose similarity the best one's is compared with (AnswerabilityFeatures.denseGap). */
const GAP_RANK = 20;

/** The largest value minus the `rank`-th largest (the last one when there are fewer). */
function gapToRank(values: number[], rank: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => b - a);
  return (sorted[0] as number) - (sorted[Math.min(rank, sorted.length) - 1] as number);
}

/** The rules the model replaced (decideByRules): a name the library lacks, or no asked-for kind in the two closest sentences. */
function ruleReason(evidence: Evidence): string | null {
  if (evidence.unknownNames.length > 0 || evidence.features.kindMissingClosest === 1) return notStatedReason(evidence);
  return null;
}

/** Why related passages do not answer, in words for the user. */
function notStatedReason(evidence: Evidence): string {
  if (evidence.unknownNames.length > 0) return `the library never mentions ${evidence.unknownNames.map((word) => `“${word}”`).join(', ')}`;
  if (evidence.missingKind) return `the closest passages do not state ${evidence.missingKind}`;
  return 'the closest passages are related but do not seem to answer it';
}

/** Answers questions from a library with exact quotes; never writes text of its own. */
export class Answerer {
  private readonly fingerprints = new Map<number, Set<number>>();

  /** The answerability model in use: the settings' or the fitted one. */
  private get model(): AnswerabilityModel {
    return this.settings.answerability ?? ANSWERABILITY_MODEL;
  }

  constructor(
    readonly library: Library,
    /** Where the vectors and the word index are: in this process (EmbeddedStore) or on a cluster (Solr). */
    readonly store: SearchStore,
    private readonly embedder: Embedder,
    readonly settings: AnswererSettings,
    private readonly weights: RankWeights = RANK_WEIGHTS,
  ) {}

  /**
   * The candidates for a question, best first: BM25 and the vector index each give theirs, the
   * passages of any document the question names by its metadata join them, and in hybrid mode
   * they are ranked by a weighted sum of signals (rerank.ts). Dense and lexical modes rank by
   * their one signal, for comparison.
   */
  async rank(question: string, mode: RetrievalMode = 'hybrid'): Promise<Ranking> {
    const intent = questionIntent(question);
    const total = this.library.passages.length;
    const depth = Math.min(CANDIDATE_DEPTH, total);
    // The model runs in its own thread, so BM25 runs meanwhile (here, or on the search cluster).
    // The vector and BM25 read what the question is about, without its chatter ("exact words pls").
    const core = this.settings.questionCore === 0 ? question : questionCore(question);
    const embedding = this.embedder.embedQueries([core]);
    const matching: Promise<LexicalHit[]> = mode === 'dense' || total === 0 ? Promise.resolve([]) : this.store.matching(core, depth);
    // Both are awaited below; this only keeps the one that fails second from being reported as unhandled.
    embedding.catch(() => undefined);
    matching.catch(() => undefined);
    const named = mode === 'hybrid' ? this.library.names.match(question) : new Map<number, number>();
    const [queryVector] = await embedding;
    const vector = queryVector as Float32Array;
    const [nearest, lexicalHits] = await Promise.all([mode === 'lexical' || total === 0 ? [] : this.store.nearest(vector, depth), matching]);
    const pool = gather(this.library, nearest, lexicalHits, mode, depth);
    // A question naming a few documents ("in his 1962 address") searches all of their passages too.
    const namedDocuments = [...named].filter(([, score]) => score >= NAMED_DOCUMENT_SHARE);
    const namesDocuments = namedDocuments.length > 0 && namedDocuments.length <= MAX_NAMED_DOCUMENTS;
    if (namesDocuments) {
      for (const [documentIndex] of namedDocuments) {
        for (const passage of this.library.passagesOf(documentIndex)) {
          if (!pool.has(passage.id)) pool.set(passage.id, { passage, dense: Number.NaN, lexical: 0, score: 0 });
        }
      }
    }
    const similarities = await this.store.similarities([...pool.values()].map((c) => c.passage), vector);
    const ranked = withSimilarities(pool.values(), similarities, mode);
    if (mode !== 'hybrid') {
      return { candidates: ranked, intent, similarities, unknownWords: mode === 'dense' || total === 0 ? [] : this.library.words.unknownWords(question), namesDocuments, knownShare: 1 };
    }

    const analysis = this.library.words.analyze(core, ranked.map((c) => c.passage));
    const unknownWords = total === 0 ? [] : analysis.unknownWords;
    const documentBest = new Map<number, number>();
    for (const c of ranked) documentBest.set(c.passage.documentIndex, Math.max(documentBest.get(c.passage.documentIndex) ?? -1, c.dense));
    const maxBm25 = Math.max(0, ...ranked.map((c) => analysis.passages.get(c.passage.id)?.bm25 ?? 0));
    for (const c of ranked) {
      c.features = rankFeatures({
        intent,
        similarities,
        passage: c.passage,
        dense: c.dense,
        lexical: analysis.passages.get(c.passage.id),
        maxBm25,
        knownShare: analysis.knownShare,
        named: named.get(c.passage.documentIndex) ?? 0,
        documentBest: documentBest.get(c.passage.documentIndex) ?? c.dense,
      });
      c.score = rankScore(c.features, this.weights);
    }
    ranked.sort((a, b) => b.score - a.score || b.dense - a.dense);
    return { candidates: ranked, intent, similarities, unknownWords, namesDocuments, knownShare: analysis.knownShare };
  }

  /** The evidence for answering a ranked question, and the answerability model's verdict on it. */
  evidence(question: string, ranking: Ranking): Evidence {
    const { candidates, intent, similarities } = ranking;
    const bar = this.settings.minSimilarity;
    const first = candidates.slice(0, EVIDENCE_DEPTH);
    const names = unknownNames(question, ranking.unknownWords, (word) => this.library.names.knows(word));
    const search = {
      depth: this.settings.notStatedDepth ?? NOT_STATED_DEPTH,
      topSentences: this.settings.notStatedTopSentences ?? NOT_STATED_TOP_SENTENCES,
      similarity: (passage: Passage, index: number) => similarities.sentence(passage.id, index),
    };
    const kind = missingKind(intent, candidates, question, { ...search, neighbours: true });
    const kindClosest = kind === null ? missingKind(intent, candidates, question, { ...search, neighbours: false }) : kind;
    const questionWords = this.library.words.questionWeights(question);
    let sentenceCoverage = 0;
    for (const { passage } of first) {
      for (const [start, end] of passage.chunk.sentences) sentenceCoverage = Math.max(sentenceCoverage, coverageOf(passage.document.text.slice(start, end), questionWords));
    }
    const sentence = Math.max(-1, ...first.map((c) => c.features?.sentence ?? c.dense)) - bar;
    const libraryScale = Math.log10(Math.min(Math.max(1, this.library.passages.length), this.model.passages.max));
    const rank = (candidates[0]?.score ?? 0) / 10;
    const features: AnswerabilityFeatures = {
      dense: Math.max(-1, ...candidates.map((c) => c.dense)) - bar,
      sentence,
      coverage: Math.max(0, ...first.map((c) => c.features?.coverage ?? 0)),
      known: ranking.knownShare,
      named: ranking.namesDocuments ? 1 : 0,
      kindMissing: kind === null ? 0 : 1,
      kindMissingClosest: kindClosest === null ? 0 : 1,
      sentenceCoverage,
      unknownName: names.length > 0 ? 1 : 0,
      denseGap: gapToRank(candidates.map((c) => c.dense), GAP_RANK),
      sentenceGap: gapToRank(candidates.map((c) => c.features?.sentence ?? c.dense), GAP_RANK),
      libraryScale,
      rank,
      rankAtScale: rank * libraryScale,
      sentenceAtScale: sentence * libraryScale,
    };
    return { features, probability: answerability(features, this.model), unknownNames: names, missingKind: kind, questionWords };
  }

  async ask(rawQuestion: string, options: AskOptions = {}): Promise<Answer> {
    const question = checkQuestion(rawQuestion);
    const k = Math.max(1, Math.min(options.k ?? 5, 20));
    const mode = options.mode ?? 'hybrid';
    const ranking = await this.rank(question, mode);
    const { candidates, intent, similarities } = ranking;
    const bestSimilarity = candidates.reduce((max, c) => Math.max(max, c.dense), -Infinity);
    // Hybrid mode decides from all the evidence (answerability.ts); the single-signal modes, kept
    // for comparison, by the similarity bar alone.
    const evidence = mode === 'hybrid' && candidates.length > 0 ? this.evidence(question, ranking) : null;
    // A library smaller than any the model was fitted on is decided by the bar and the rules.
    const byBar = this.settings.decideByRules === 1 || this.library.passages.length < this.model.passages.min;
    // A name the library and its metadata never mention also declines on its own: on the tuning
    // sets it marked 6 of 153 unanswerable questions and none of 638 answerable ones, too few
    // for the model to weigh it (docs/quality.md, "Deciding to answer").
    const unanswered =
      evidence && !byBar
        ? evidence.probability < this.model.threshold || evidence.unknownNames.length > 0
        : bestSimilarity < this.settings.minSimilarity;
    // Declined with nothing close: not in the library. Otherwise the related passages are shown
    // with what they lack.
    if (candidates.length === 0 || (unanswered && bestSimilarity < this.settings.minSimilarity)) {
      const closest: Answer['closest'] = [];
      for (const c of [...candidates].sort((a, b) => b.dense - a.dense)) {
        if (closest.length >= 3) break;
        if (closest.some((seen) => seen.sourceId === c.passage.document.sourceId)) continue;
        closest.push({ sourceId: c.passage.document.sourceId, title: c.passage.document.meta.title, similarity: c.dense });
      }
      return { question, answered: false, outcome: 'not_in_library', results: [], closest };
    }
    const floor = bestSimilarity - (this.settings.resultSimilarityMargin ?? RESULT_SIMILARITY_MARGIN);
    const top = candidates[0] as Candidate;
    // In hybrid mode, further results must come close to the first in ranking score: the rest is noise.
    // Judged on what the passage itself says: a document's name or its other passages must not
    // carry an unrelated paragraph of it into the results.
    const ownScore = (c: Candidate): number => (c.features ? passageScore(c.features, this.weights) : c.score);
    const scoreFloor = mode === 'hybrid' ? ownScore(top) - (this.settings.resultScoreMargin ?? RESULT_SCORE_MARGIN) : -Infinity;
    const picked = pickResults(
      candidates.filter((c) => ownScore(c) >= scoreFloor),
      k,
      floor,
      this.fingerprints,
      mode === 'hybrid',
    );
    const questionWords = evidence?.questionWords ?? this.library.words.questionWeights(question);
    const chosen = picked.map((p) => p.candidate.passage);
    const quotes = chooseQuotes(chosen, { similarities, intent, questionWords, lexicalWeight: this.settings.quoteLexicalWeight ?? QUOTE_LEXICAL_WEIGHT,
      reach: this.settings.reachAnswer !== 0,
      nextPassage: (passage) => this.library.passageAt(passage.document.sourceId, passage.chunkIndex + 1),
    });
    const results: AnswerResult[] = picked.map(({ candidate, rankScore: score, corroborating }) => {
      const { passage } = candidate;
      const primary = citation(this.library, passage, quotes.get(passage.id) as Span);
      const quoteGrams = shingles(primary.quote);
      const seenSources = new Set([passage.document.sourceId]);
      const corroboratedBy: Citation[] = [];
      for (const other of corroborating) {
        if (seenSources.has(other.passage.document.sourceId)) continue;
        seenSources.add(other.passage.document.sourceId);
        const match = matchingWindow(other.passage.document.text, toSpans(other.passage.chunk.sentences), quoteGrams);
        corroboratedBy.push(citation(this.library, other.passage, match));
      }
      return {
        ...primary,
        score,
        similarity: candidate.dense,
        passage: passageAround(this.library, passage, primary),
        corroboratedBy,
      };
    });
    const notStated = evidence && (byBar ? ruleReason(evidence) : unanswered ? notStatedReason(evidence) : null);
    if (notStated) return { question, answered: false, outcome: 'not_stated', notStated, results, closest: [] };
    return { question, answered: true, outcome: 'answered', results, closest: [] };
  }
}
