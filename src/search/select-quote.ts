import { wordCount } from '../library/normalize.js';
import type { Span } from '../library/types.js';

/** Neighbouring sentences this close to the best one's score join the quote. */
const JOIN_MARGIN = 0.04;
const MAX_SENTENCES = 3;
/** A best sentence shorter than this is a fragment ("It's over.") and takes its neighbour along. */
const MIN_QUOTE_WORDS = 7;

export interface QuoteWindow extends Span {
  first: number;
  last: number;
}

/**
 * The 1–3 consecutive sentences of a passage that best answer the question, given a relevance
 * score per sentence. Returns sentence indices and the exact span they cover.
 */
export function selectQuote(text: string, sentences: Span[], scores: number[]): QuoteWindow {
  if (sentences.length === 0) throw new Error('a passage always has at least one sentence');
  let best = 0;
  scores.forEach((score, i) => {
    if (score > (scores[best] as number)) best = i;
  });
  let first = best;
  let last = best;
  const bar = (scores[best] as number) - JOIN_MARGIN;
  const words = (): number => wordCount(text.slice((sentences[first] as Span).start, (sentences[last] as Span).end));
  while (last - first + 1 < MAX_SENTENCES) {
    const before = first > 0 ? (scores[first - 1] as number) : -Infinity;
    const after = last < sentences.length - 1 ? (scores[last + 1] as number) : -Infinity;
    const short = words() < MIN_QUOTE_WORDS;
    if (after >= bar && after >= before) last++;
    else if (before >= bar) first--;
    else if (short && after > -Infinity) last++;
    else if (short && before > -Infinity) first--;
    else break;
  }
  return { first, last, start: (sentences[first] as Span).start, end: (sentences[last] as Span).end };
}
