import type { Span } from './types.js';

/**
 * A quotation that runs over several sentences is one statement: news writing puts the
 * speaker ("…,” said another man) after its last sentence, so a quote cut at a sentence
 * boundary loses either what was said or who said it. Sentences inside one quotation are
 * therefore kept together as one unit, up to this many characters; a longer quotation keeps
 * its ordinary sentence boundaries.
 */
export const MAX_QUOTED_UNIT_CHARS = 500;

const OPENING = new Set(['“', '«', '„']);
const CLOSING = new Set(['”', '»']);

/** True when a straight double quote at `i` opens a quotation rather than closing one. */
function straightQuoteOpens(text: string, i: number, lowerBound: number): boolean {
  const before = i > lowerBound ? (text[i - 1] as string) : ' ';
  const after = text[i + 1] ?? ' ';
  return /[\s([{\u2014\u2013-]/u.test(before) && !/\s/u.test(after);
}

/**
 * For each sentence, whether a quotation opened before its end is still open there: the
 * boundary after such a sentence falls inside quoted speech.
 */
function openAtSentenceEnds(text: string, span: Span, sentences: Span[]): boolean[] {
  const open: boolean[] = [];
  let depth = 0;
  let next = 0;
  for (let i = span.start; i < span.end && next < sentences.length; i++) {
    const ch = text[i] as string;
    if (OPENING.has(ch)) depth = 1;
    else if (CLOSING.has(ch)) depth = 0;
    else if (ch === '"') depth = straightQuoteOpens(text, i, span.start) ? 1 : 0;
    while (next < sentences.length && i === (sentences[next] as Span).end - 1) {
      open.push(depth > 0);
      next++;
    }
  }
  while (open.length < sentences.length) open.push(false);
  return open;
}

/**
 * Merges consecutive sentences that belong to one quotation into a single span. Offsets stay
 * exact: a unit runs from its first sentence's start to its last sentence's end.
 */
export function groupQuotedSpeech(text: string, span: Span, sentences: Span[], maxChars = MAX_QUOTED_UNIT_CHARS): Span[] {
  if (sentences.length < 2) return sentences;
  const open = openAtSentenceEnds(text, span, sentences);
  const units: Span[] = [];
  let i = 0;
  while (i < sentences.length) {
    let j = i;
    // Extend while the boundary after sentence j is inside a quotation that closes within reach.
    while (j + 1 < sentences.length && open[j]) j++;
    const unit = { start: (sentences[i] as Span).start, end: (sentences[j] as Span).end };
    const closes = !open[j];
    if (j > i && closes && unit.end - unit.start <= maxChars) {
      units.push(unit);
      i = j + 1;
    } else {
      // Too long, or never closed in this passage: its sentences stand on their own.
      for (let k = i; k <= j; k++) units.push(sentences[k] as Span);
      i = j + 1;
    }
  }
  return units;
}
