import type { Span } from '../library/types.js';

export const MAX_QUOTE_SENTENCES = 3;
/**
 * Each sentence beyond the first must earn this much similarity: a longer quote wins only
 * when it answers better, not because it says more.
 */
export const EXTRA_SENTENCE_PENALTY = 0.01;

export interface QuoteWindow extends Span {
  /** Index of the first and last sentence of the window within its passage. */
  first: number;
  last: number;
}

/** Every run of 1–3 consecutive sentences of a passage: the quotes it could give. */
export function quoteWindows(sentences: Span[], maxSentences = MAX_QUOTE_SENTENCES): QuoteWindow[] {
  const windows: QuoteWindow[] = [];
  for (let first = 0; first < sentences.length; first++) {
    for (let last = first; last < Math.min(sentences.length, first + maxSentences); last++) {
      windows.push({ first, last, start: (sentences[first] as Span).start, end: (sentences[last] as Span).end });
    }
  }
  return windows;
}

/** The window most similar to the question, after the length penalty. */
export function selectQuote(windows: QuoteWindow[], similarities: number[]): QuoteWindow {
  let best: QuoteWindow | undefined;
  let bestScore = -Infinity;
  windows.forEach((window, i) => {
    const score = (similarities[i] as number) - EXTRA_SENTENCE_PENALTY * (window.last - window.first);
    if (score > bestScore) {
      best = window;
      bestScore = score;
    }
  });
  if (!best) throw new Error('a passage always has at least one sentence');
  return best;
}
