import { comparisonKey } from '../library/normalize.js';
import type { Span } from '../library/types.js';

/** Word trigrams of the folded text: robust to quotes, dashes, case and spacing differences. */
export function shingles(text: string): Set<string> {
  const words = comparisonKey(text)
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/u)
    .filter(Boolean);
  const set = new Set<string>();
  if (words.length < 3) {
    if (words.length > 0) set.add(words.join(' '));
    return set;
  }
  for (let i = 0; i + 3 <= words.length; i++) set.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return set;
}

/** Share of the smaller text's trigrams found in the other: 1 when one passage contains the other. */
export function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const gram of small) if (large.has(gram)) shared++;
  return shared / small.size;
}

/** Two passages that share this much are the same testimony or wire copy told twice. */
export const SAME_PASSAGE_OVERLAP = 0.5;

/** The run of 1–3 sentences in `sentences` that best matches `quote`. */
export function matchingWindow(text: string, sentences: Span[], quote: Set<string>): Span & { overlap: number } {
  let best: Span & { overlap: number } = { start: sentences[0]?.start ?? 0, end: sentences[0]?.end ?? 0, overlap: -1 };
  for (let first = 0; first < sentences.length; first++) {
    for (let last = first; last < Math.min(sentences.length, first + 3); last++) {
      const span = { start: (sentences[first] as Span).start, end: (sentences[last] as Span).end };
      const grams = shingles(text.slice(span.start, span.end));
      let shared = 0;
      for (const gram of grams) if (quote.has(gram)) shared++;
      // Reward covering the quote, penalise dragging in unrelated sentences.
      const score = quote.size === 0 ? 0 : shared / quote.size - 0.1 * (grams.size - shared) / Math.max(1, grams.size);
      if (score > best.overlap) best = { ...span, overlap: score };
    }
  }
  return best;
}
