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

/** Sentence spans inside `span` (Unicode sentence boundaries), trimmed, never empty. */
export function sentenceSpans(text: string, span: Span): Span[] {
  const slice = text.slice(span.start, span.end);
  const sentences: Span[] = [];
  for (const { index, segment } of segmenter.segment(slice)) {
    const trimmed = trimSpan(text, { start: span.start + index, end: span.start + index + segment.length });
    if (trimmed.end > trimmed.start) sentences.push(trimmed);
  }
  return sentences;
}

export function sliceOf(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}
