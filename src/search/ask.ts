import type { Embedder } from '../embed/embedder.js';
import type { Span } from '../library/types.js';
import type { Answer, AnswerResult, Citation } from './answer-types.js';
import { matchingWindow, overlap, SAME_PASSAGE_OVERLAP, shingles } from './corroborate.js';
import { lexicalTerm } from './lexical-index.js';
import type { Library, Passage } from './library.js';
import { checkQuestion } from './question.js';
import { retrieve, RRF_K, type Candidate, type RetrievalMode } from './retrieve.js';
import { selectQuote } from './select-quote.js';
import { dot } from './vectors.js';

export interface AskOptions {
  k?: number;
  mode?: RetrievalMode;
}

export interface AnswererSettings {
  /** A question is answered when its best passage's similarity reaches this. */
  minSimilarity: number;
  /** Later results must stay within this of the best one's similarity. */
  resultSimilarityMargin?: number;
}

/** Each further result from a source already shown counts for this much less. */
const SAME_SOURCE_DECAY = 0.85;
/** Weight of question-word coverage next to embedding similarity when choosing sentences. */
const SENTENCE_LEXICAL_WEIGHT = 0.2;

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

function questionTerms(question: string): Set<string> {
  const terms = new Set<string>();
  for (const word of question.split(/[^\p{L}\p{N}'’-]+/u)) {
    const term = word ? lexicalTerm(word) : null;
    if (term) terms.add(term);
  }
  return terms;
}

function coverage(terms: Set<string>, text: string): number {
  if (terms.size === 0) return 0;
  const present = new Set<string>();
  for (const word of text.split(/[^\p{L}\p{N}'’-]+/u)) {
    const term = word ? lexicalTerm(word) : null;
    if (term && terms.has(term)) present.add(term);
  }
  return present.size / terms.size;
}

interface Selected {
  candidate: Candidate;
  corroborating: Candidate[];
}

/** Picks results best first, spreading across sources and folding repeats of one passage together. */
function pickResults(candidates: Candidate[], k: number, floor: number): Selected[] {
  const pool = candidates.filter((c) => c.dense >= floor);
  const grams = new Map(pool.map((c) => [c.passage.id, shingles(c.passage.text)]));
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
    const mine = grams.get(best.passage.id) as Set<string>;
    const duplicateOf = selected.find((s) => overlap(grams.get(s.candidate.passage.id) as Set<string>, mine) >= SAME_PASSAGE_OVERLAP);
    if (duplicateOf) {
      if (duplicateOf.candidate.passage.document.sourceId !== best.passage.document.sourceId) duplicateOf.corroborating.push(best);
      continue;
    }
    selected.push({ candidate: best, corroborating: [] });
    perSource.set(best.passage.document.sourceId, (perSource.get(best.passage.document.sourceId) ?? 0) + 1);
  }
  // Repeats of a chosen passage further down the list still corroborate it.
  for (const c of pool) {
    if (used.has(c.passage.id)) continue;
    const mine = grams.get(c.passage.id) as Set<string>;
    const same = selected.find((s) => overlap(grams.get(s.candidate.passage.id) as Set<string>, mine) >= SAME_PASSAGE_OVERLAP);
    if (same && same.candidate.passage.document.sourceId !== c.passage.document.sourceId) same.corroborating.push(c);
  }
  return selected;
}

/** Answers questions from a library with exact quotes; never writes text of its own. */
export class Answerer {
  constructor(
    readonly library: Library,
    private readonly embedder: Embedder,
    readonly settings: AnswererSettings,
  ) {}

  async ask(rawQuestion: string, options: AskOptions = {}): Promise<Answer> {
    const question = checkQuestion(rawQuestion);
    const k = Math.max(1, Math.min(options.k ?? 5, 20));
    const [queryVector] = await this.embedder.embedQueries([question]);
    const candidates = retrieve(this.library, question, queryVector as Float32Array, options.mode ?? 'hybrid');
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
    const floor = Math.max(this.settings.minSimilarity, bestSimilarity - (this.settings.resultSimilarityMargin ?? 0.15));
    const picked = pickResults(candidates, k, floor);
    const sentenceScores = await this.scoreSentences(question, queryVector as Float32Array, picked.map((p) => p.candidate.passage));
    const topScore = 2 / (RRF_K + 1);
    const results: AnswerResult[] = picked.map(({ candidate, corroborating }) => {
      const { passage } = candidate;
      const sentences = toSpans(passage.chunk.sentences);
      const window = selectQuote(passage.document.text, sentences, sentenceScores.get(passage.id) ?? sentences.map(() => 0));
      const primary = citation(passage, window);
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
        score: options.mode === 'hybrid' || options.mode === undefined ? Math.min(1, candidate.score / topScore) : candidate.score,
        similarity: candidate.dense,
        passage: { start: passage.chunk.start, end: passage.chunk.end },
        corroboratedBy,
      };
    });
    return { question, answered: true, results, closest: [] };
  }

  /** Relevance of each sentence of the chosen passages: embedding similarity plus question-word coverage. */
  private async scoreSentences(question: string, queryVector: Float32Array, passages: Passage[]): Promise<Map<number, number[]>> {
    const terms = questionTerms(question);
    const texts: string[] = [];
    const owners: { id: number; index: number }[] = [];
    for (const passage of passages) {
      if (passage.chunk.sentences.length < 2) continue;
      passage.chunk.sentences.forEach(([start, end], index) => {
        texts.push(passage.document.text.slice(start, end));
        owners.push({ id: passage.id, index });
      });
    }
    const vectors = texts.length > 0 ? await this.embedder.embedPassages(texts) : [];
    const scores = new Map<number, number[]>();
    owners.forEach(({ id, index }, i) => {
      const list = scores.get(id) ?? [];
      list[index] = dot(queryVector, vectors[i] as Float32Array) + SENTENCE_LEXICAL_WEIGHT * coverage(terms, texts[i] as string);
      scores.set(id, list);
    });
    return scores;
  }
}
