import type { Span } from '../library/types.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** Whether a code point is a letter or a digit: a table lookup for ASCII, Unicode properties beyond. */
function isWordCodePoint(codePoint: number): boolean {
  if (codePoint < 0x80) return (codePoint >= 0x61 && codePoint <= 0x7a) || (codePoint >= 0x30 && codePoint <= 0x39) || (codePoint >= 0x41 && codePoint <= 0x5a);
  return WORD_CHARACTER.test(String.fromCodePoint(codePoint));
}

/**
 * Three 32-bit word hashes mixed into 31 bits, which V8 keeps as small integers (no allocation
 * per fingerprint). Two passages of 200 words share a chance fingerprint about once in 50,000
 * comparisons, far too rare to move an overlap across the 0.5 mark.
 */
const trigram = (a: number, b: number, c: number): number => ((Math.imul(a, 0x1f1f1f1f) ^ Math.imul(b, 0x3f3f3f) ^ c) >>> 1);

/**
 * Fingerprints of the word trigrams of the folded text: robust to quotes, dashes, case and
 * spacing differences. Numbers, not strings, because this runs on every candidate of a question.
 *
 * Words are runs of letters and digits (punctuation, curly or straight quotes, dashes and
 * ellipses separate them), each hashed with FNV-1a over its UTF-16 code units as it is read,
 * so no word string is ever made: splitting with a regular expression was half the cost.
 */
export function shingles(text: string): Set<number> {
  const folded = text.normalize('NFKC').replace(/[\u200B-\u200D\uFEFF]/gu, '').toLowerCase();
  const set = new Set<number>();
  // The last three word hashes, and how many words have been read.
  let first = 0;
  let second = 0;
  let third = 0;
  let words = 0;
  let hash = FNV_OFFSET;
  let inWord = false;
  const endWord = (): void => {
    first = second;
    second = third;
    third = hash >>> 0;
    words++;
    if (words >= 3) set.add(trigram(first, second, third));
    hash = FNV_OFFSET;
    inWord = false;
  };
  for (let i = 0; i < folded.length; ) {
    const codePoint = folded.codePointAt(i) as number;
    const units = codePoint > 0xffff ? 2 : 1;
    if (isWordCodePoint(codePoint)) {
      for (let u = 0; u < units; u++) {
        hash ^= folded.charCodeAt(i + u);
        hash = Math.imul(hash, FNV_PRIME);
      }
      inWord = true;
    } else if (inWord) {
      endWord();
    }
    i += units;
  }
  if (inWord) endWord();
  if (words > 0 && words < 3) {
    // One or two words: a single fingerprint of them all.
    const hashes = words === 1 ? [third] : [second, third];
    set.add(hashes.reduce((a, b) => Math.imul(a, 31) + b, 7) >>> 1);
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
