import type { Embedder } from '../embed/embedder.js';
import type { Span } from '../library/types.js';
import type { Answer, AnswerResult, Citation } from './answer-types.js';
import { matchingWindow, overlap, SAME_PASSAGE_OVERLAP, shingles } from './corroborate.js';
import type { Library, Passage } from './library.js';
import { checkQuestion } from './question.js';
import { lexicalCandidates, retrieve, type Candidate, type RetrievalMode } from './retrieve.js';
import { quoteWindows, selectQuote, type QuoteWindow } from './select-quote.js';

export interface AskOptions {
  k?: number;
  mode?: RetrievalMode;
}

export interface AnswererSettings {
  /** A question is answered when its best passage's similarity reaches this. */
  minSimilarity: number;
  /** Later results must stay within this of the best one's similarity. */
  resultSimilarityMargin?: number;
  /** Share of the dense signal in the hybrid blend, 0–1. */
  denseWeight?: number;
}

/** Results after the first may be this much less similar to the question than the best passage. */
const RESULT_SIMILARITY_MARGIN = 0.2;
/** Each further result from a source already shown counts for this much less. */
const SAME_SOURCE_DECAY = 0.85;

function toSpans(pairs: [number, number][]): Span[] {
  return pairs.map(([start, end]) => ({ start, end }));
}

function citation(passage: Passage, span: Span): Citation {
  const { document } = passage;
  return {
    sourceId: document.sourceId,
    title: document.meta.title,
    publisher: document.meta.publisher,
    date: document.meta.date,
    url: document.meta.url,
    paragraph: passage.chunk.paragraph,
    start: span.start,
    end: span.end,
    quote: document.text.slice(span.start, span.end),
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

/** Picks results best first, spreading across sources and folding repeats of one passage together. */
function pickResults(candidates: Candidate[], k: number, floor: number, gramCache: Map<number, Set<number>>): Selected[] {
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
      const adjusted = c.score * SAME_SOURCE_DECAY ** (perSource.get(c.passage.document.sourceId) ?? 0);
      if (adjusted > bestScore) {
        best = c;
        bestScore = adjusted;
      }
    }
    if (!best) break;
    used.add(best.passage.id);
    const duplicateOf = sameAs(best, selected);
    if (duplicateOf) {
      if (duplicateOf.candidate.passage.document.sourceId !== best.passage.document.sourceId) duplicateOf.corroborating.push(best);
      continue;
    }
    selected.push({ candidate: best, rankScore: bestScore, corroborating: [] });
    perSource.set(best.passage.document.sourceId, (perSource.get(best.passage.document.sourceId) ?? 0) + 1);
  }
  // Repeats of a chosen passage a little further down the list still corroborate it.
  for (const c of pool.slice(0, DUPLICATE_SEARCH_DEPTH)) {
    if (used.has(c.passage.id)) continue;
    const same = sameAs(c, selected);
    if (same && same.candidate.passage.document.sourceId !== c.passage.document.sourceId) same.corroborating.push(c);
  }
  return selected;
}

/** Answers questions from a library with exact quotes; never writes text of its own. */
export class Answerer {
  private readonly fingerprints = new Map<number, Set<number>>();

  constructor(
    readonly library: Library,
    private readonly embedder: Embedder,
    readonly settings: AnswererSettings,
  ) {}

  async ask(rawQuestion: string, options: AskOptions = {}): Promise<Answer> {
    const question = checkQuestion(rawQuestion);
    const k = Math.max(1, Math.min(options.k ?? 5, 20));
    const mode = options.mode ?? 'hybrid';
    // The model runs in its own thread, so BM25 runs here while the question is embedded.
    const embedding = this.embedder.embedQueries([question]);
    // Handled below by the await; this only keeps a failure from being reported as unhandled if BM25 throws first.
    embedding.catch(() => undefined);
    const lexicalHits = lexicalCandidates(this.library, question, mode);
    const [queryVector] = await embedding;
    const candidates = retrieve(this.library, lexicalHits, queryVector as Float32Array, mode, undefined, this.settings.denseWeight);
    const bestSimilarity = candidates.reduce((max, c) => Math.max(max, c.dense), -Infinity);
    if (candidates.length === 0 || bestSimilarity < this.settings.minSimilarity) {
      const closest: Answer['closest'] = [];
      for (const c of [...candidates].sort((a, b) => b.dense - a.dense)) {
        if (closest.length >= 3) break;
        if (closest.some((seen) => seen.sourceId === c.passage.document.sourceId)) continue;
        closest.push({ sourceId: c.passage.document.sourceId, title: c.passage.document.meta.title, similarity: c.dense });
      }
      return { question, answered: false, results: [], closest };
    }
    const floor = bestSimilarity - (this.settings.resultSimilarityMargin ?? RESULT_SIMILARITY_MARGIN);
    const picked = pickResults(candidates, k, floor, this.fingerprints);
    const quotes = this.chooseQuotes(queryVector as Float32Array, picked.map((p) => p.candidate.passage));
    const results: AnswerResult[] = picked.map(({ candidate, rankScore, corroborating }) => {
      const { passage } = candidate;
      const primary = citation(passage, quotes.get(passage.id) as Span);
      const quoteGrams = shingles(primary.quote);
      const seenSources = new Set([passage.document.sourceId]);
      const corroboratedBy: Citation[] = [];
      for (const other of corroborating) {
        if (seenSources.has(other.passage.document.sourceId)) continue;
        seenSources.add(other.passage.document.sourceId);
        const match = matchingWindow(other.passage.document.text, toSpans(other.passage.chunk.sentences), quoteGrams);
        corroboratedBy.push(citation(other.passage, match));
      }
      return {
        ...primary,
        score: rankScore,
        similarity: candidate.dense,
        passage: { start: passage.chunk.start, end: passage.chunk.end },
        corroboratedBy,
      };
    });
    return { question, answered: true, results, closest: [] };
  }

  /**
   * For each passage, the run of 1–3 sentences closest to the question. A run is represented by
   * the normalised sum of its stored sentence vectors, so no model call is needed here; on the
   * dev questions this chose as well as embedding each run afresh (README, "How an answer is chosen").
   */
  private chooseQuotes(queryVector: Float32Array, passages: Passage[]): Map<number, QuoteWindow> {
    const chosen = new Map<number, QuoteWindow>();
    for (const passage of passages) {
      const windows = quoteWindows(toSpans(passage.chunk.sentences));
      const rows = passage.chunk.sentences.map((_, i) => this.library.sentenceRow(passage, i));
      const toQuestion = rows.map((row) => this.library.sentenceSimilarity(row, queryVector));
      const similarities = windows.map(({ first, last }) => {
        let along = 0;
        let squaredNorm = 0;
        for (let i = first; i <= last; i++) {
          along += toQuestion[i] as number;
          for (let j = first; j <= last; j++) squaredNorm += i === j ? 1 : this.library.sentencePairSimilarity(rows[i] as number, rows[j] as number);
        }
        return along / Math.sqrt(squaredNorm);
      });
      chosen.set(passage.id, selectQuote(windows, similarities));
    }
    return chosen;
  }
}
