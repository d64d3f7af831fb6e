import type { Span } from '../library/types.js';
import { coverageOf } from './lexical-index.js';
import type { Passage } from './library.js';
import type { QuestionIntent } from './question-intent.js';
import type { QuestionSimilarities } from './search-store.js';
import { MAX_QUOTE_SENTENCES, quoteWindows, selectQuote, type QuoteWindow } from './select-quote.js';

/** A quote window stating the kind of answer asked for gains this much similarity. */
const ANSWER_KIND_BONUS = 0.03;

function toSpans(pairs: [number, number][]): Span[] {
  return pairs.map(([start, end]) => ({ start, end }));
}

/** What choosing a quote within a passage reads. */
export interface QuoteSignals {
  similarities: QuestionSimilarities;
  intent: QuestionIntent;
  /** The question's words with their rarity (Vocabulary.questionWeights). */
  questionWords: Map<string, number>;
  /** Weight of question-word coverage next to similarity. */
  lexicalWeight: number;
  /** Whether a quote may reach the next sentence for the answer (default true). */
  reach?: boolean;
  /** The passage after a given one in its document, if any: a quote may reach its first sentence. */
  nextPassage?: (passage: Passage) => Passage | undefined;
}

/**
 * For each passage, the run of 1–3 sentences closest to the question. A run is represented by
 * the normalised sum of its stored sentence vectors, so no model call is needed here; on the
 * dev questions this chose as well as embedding each run afresh (docs/ranking.md, "Quote").
 */
export function chooseQuotes(passages: readonly Passage[], signals: QuoteSignals): Map<number, QuoteWindow> {
  const { similarities, intent, questionWords, lexicalWeight } = signals;
  const chosen = new Map<number, QuoteWindow>();
  for (const passage of passages) {
    const windows = quoteWindows(toSpans(passage.chunk.sentences));
    const toQuestion = passage.chunk.sentences.map((_, i) => similarities.sentence(passage.id, i));
    const windowSimilarities = windows.map(({ first, last }) => {
      let along = 0;
      let squaredNorm = 0;
      for (let i = first; i <= last; i++) {
        along += toQuestion[i] as number;
        for (let j = first; j <= last; j++) squaredNorm += i === j ? 1 : similarities.pair(passage.id, i, j);
      }
      return along / Math.sqrt(squaredNorm);
    });
    // A window stating the kind of answer asked for (a number for "how many") is preferred, and
    // so is one holding more of the question's (rarer) words.
    const bonus = windows.map(({ first, last, start, end }) => {
      const kind = intent.wants !== 0 && passage.chunk.signals.slice(first, last + 1).some((bits) => (bits & intent.wants) !== 0) ? ANSWER_KIND_BONUS : 0;
      return kind + (lexicalWeight > 0 ? lexicalWeight * coverageOf(passage.document.text.slice(start, end), questionWords) : 0);
    });
    const best = selectQuote(windows, windowSimilarities.map((value, i) => value + (bonus[i] as number)));
    chosen.set(passage.id, signals.reach === false ? best : reachAnswer(passage, best, signals));
  }
  return chosen;
}

/** A following sentence must add this much of the question's words (IDF-weighted share) to join the quote for them. */
const REACH_COVERAGE_GAIN = 0.15;

/**
 * The quote window, extended by the next sentence when the window restates the question and the
 * next sentence carries the answer: the kind asked for ("how many" → a number) that the window
 * lacks, or question words it lacks. "He had trusted the unit." is the premise; "Then he saw what
 * it did to prisoners." answers.
 */
function reachAnswer(passage: Passage, window: QuoteWindow, signals: QuoteSignals): QuoteWindow {
  if (window.last - window.first + 1 >= MAX_QUOTE_SENTENCES) return window;
  // The next sentence: in the passage, or the first of the document's next passage (a paragraph
  // that ends on the premise is often followed by one that begins with what came of it).
  const inPassage = window.last + 1 < passage.chunk.sentences.length;
  const following = inPassage ? passage : signals.nextPassage?.(passage);
  const index = inPassage ? window.last + 1 : 0;
  const span = following?.chunk.sentences[index];
  if (!following || !span) return window;
  const longer: QuoteWindow = { ...window, end: span[1], ...(inPassage ? { last: index } : {}) };
  const { wants, asksWhatFollowed } = signals.intent;
  // "After X, what did they do": the window restating X is followed by the answer.
  if (asksWhatFollowed) return longer;
  const windowHasKind = passage.chunk.signals.slice(window.first, window.last + 1).some((bits) => (bits & wants) !== 0);
  if (wants !== 0 && !windowHasKind && ((following.chunk.signals[index] ?? 0) & wants) !== 0) return longer;
  const text = passage.document.text;
  const gain = coverageOf(text.slice(longer.start, longer.end), signals.questionWords) - coverageOf(text.slice(window.start, window.end), signals.questionWords);
  return gain >= REACH_COVERAGE_GAIN ? longer : window;
}
