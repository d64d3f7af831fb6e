import type { Span } from './types.js';

const SPACE = /\s/u;

/** Shrinks a span so it neither starts nor ends with whitespace (including non-breaking spaces). */
export function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && SPACE.test(text[start] ?? '')) start++;
  while (end > start && SPACE.test(text[end - 1] ?? '')) end--;
  return { start, end };
}

/** Lines of `span`, without their line terminators, trimmed; empty lines included as empty spans. */
export function lineSpans(text: string, span: Span): Span[] {
  const lines: Span[] = [];
  let lineStart = span.start;
  for (let i = span.start; i <= span.end; i++) {
    if (i === span.end || text[i] === '\n') {
      lines.push(trimSpan(text, { start: lineStart, end: i }));
      lineStart = i + 1;
    }
  }
  return lines;
}

/** Blocks of consecutive non-blank lines: what a reader sees as paragraphs. */
export function blockSpans(text: string, span: Span = { start: 0, end: text.length }): Span[][] {
  const blocks: Span[][] = [];
  let current: Span[] = [];
  for (const line of lineSpans(text, span)) {
    if (line.start === line.end) {
      if (current.length > 0) blocks.push(current);
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Iterating the segments of one long string takes time quadratic in their number in V8 (a
 * 440 kB paragraph of short sentences took 19 s), so long spans are segmented in windows.
 */
export const SEGMENT_WINDOW = 4096;

/**
 * Words written with a full stop that stand before a name or a number, so a sentence never ends
 * on them: Unicode's sentence rules break after "St." in "the river St. Croix" and after
 * "Gen." in "Gen. Petraeus". Lower-case; compared without the full stop.
 */
const TITLES = new Set([
  'mr', 'mrs', 'ms', 'messrs', 'mme', 'dr', 'prof', 'rev', 'hon', 'st', 'ste', 'mt', 'ft', 'gen', 'lt', 'col', 'maj', 'capt', 'cpt',
  'sgt', 'cpl', 'pvt', 'adm', 'cmdr', 'gov', 'sen', 'rep', 'pres', 'supt', 'fr', 'sr', 'jr', 'no', 'nos', 'vol', 'art', 'sec', 'ch',
  'fig', 'vs', 'v', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
]);

/** The last word of a sentence, when it is written with a full stop that does not end the sentence. */
function endsOnAbbreviation(sentence: string, next: string): boolean {
  const last = /(\S+)\.$/u.exec(sentence)?.[1];
  if (last === undefined) return false;
  const word = last.replace(/^[\p{Ps}\p{Pi}"'(]+/u, '');
  // An initial ("John F. Kennedy") or a dotted abbreviation ("U.S.", "D.C.", "p.m."), followed by a
  // capitalised word or a number: taken as one sentence. ("…in the U.S. The next day…" is then
  // joined too; a quote a sentence longer is the lesser harm than one cut in a name.)
  if (/^(?:\p{Lu}|\p{L}(?:\.\p{L})+)$/u.test(word)) return /^[\p{Lu}\d]/u.test(next);
  // A title is written capitalised ("No. 5", "St. Croix"): a lower-case "no." ends a sentence.
  if (TITLES.has(word.toLowerCase()) && (/^\p{Lu}/u.test(word) || word === 'vs')) return /^[\p{Lu}\d]/u.test(next);
  return false;
}

/** Sentence spans inside `span`: Unicode sentence boundaries, except after abbreviations and initials; trimmed, never empty. */
export function sentenceSpans(text: string, span: Span): Span[] {
  const merged: Span[] = [];
  for (const sentence of unicodeSentenceSpans(text, span)) {
    const previous = merged[merged.length - 1];
    if (previous && endsOnAbbreviation(sliceOf(text, previous), text.slice(sentence.start, sentence.start + 2))) previous.end = sentence.end;
    else merged.push({ ...sentence });
  }
  return merged;
}

/** Sentence spans inside `span` (Unicode sentence boundaries), trimmed, never empty. */
export function unicodeSentenceSpans(text: string, span: Span): Span[] {
  const sentences: Span[] = [];
  let from = span.start;
  while (from < span.end) {
    let to = Math.min(span.end, from + SEGMENT_WINDOW);
    let segments = [...segmenter.segment(text.slice(from, to))];
    // Sentences longer than the window: widen it until enough of them end inside.
    while (to < span.end && segments.length < 3) {
      to = Math.min(span.end, from + (to - from) * 2);
      segments = [...segmenter.segment(text.slice(from, to))];
    }
    // The last sentence may run past the window, and the break before it may exist only because
    // the window cut a look-ahead short (Unicode rule SB8): both are segmented again.
    const restart = to === span.end ? undefined : segments[segments.length - 2];
    const complete = restart ? segments.slice(0, -2) : segments;
    for (const { index, segment } of complete) {
      const trimmed = trimSpan(text, { start: from + index, end: from + index + segment.length });
      if (trimmed.end > trimmed.start) sentences.push(trimmed);
    }
    from = restart ? from + restart.index : span.end;
  }
  return sentences;
}

export function sliceOf(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}
