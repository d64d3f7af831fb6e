import type { Span } from '../library/types.js';

/** FNV-1a over a string: a cheap 32-bit fingerprint for one word. */
function wordHash(word: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    hash ^= word.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Fingerprints of the word trigrams of the folded text: robust to quotes, dashes, case and
 * spacing differences. Numbers, not strings, because this runs on every candidate of a question.
 */
export function shingles(text: string): Set<number> {
  // Punctuation (curly or straight quotes, dashes, ellipses) separates words and is dropped.
  const words = text
    .normalize('NFKC')
    .replace(/[\u200B-\u200D\uFEFF]/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map(wordHash);
  const set = new Set<number>();
  if (words.length < 3) {
    if (words.length > 0) set.add(words.reduce((a, b) => Math.imul(a, 31) + b, 7) >>> 0);
    return set;
  }
  for (let i = 0; i + 3 <= words.length; i++) {
    // Mixing three 32-bit word hashes into one safe integer; collisions are vanishingly rare at passage sizes.
    set.add(((words[i] as number) * 0x1f1f1f1f + (words[i + 1] as number) * 0x3f3f3f + (words[i + 2] as number)) % Number.MAX_SAFE_INTEGER);
  }
  return set;
}

/** Share of the smaller text's trigrams found in the other: 1 when one passage contains the other. */
export function overlap(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const gram of small) if (large.has(gram)) shared++;
  return shared / small.size;
}

/** Two passages that share this much are the same testimony or wire copy told twice. */
export const SAME_PASSAGE_OVERLAP = 0.5;

/** The run of 1–3 sentences in `sentences` that best matches `quote`. */
export function matchingWindow(text: string, sentences: Span[], quote: Set<number>): Span & { overlap: number } {
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
