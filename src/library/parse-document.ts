import { classifyLine, METADATA_PATTERNS, type LineKind } from './boilerplate.js';
import { parseStatedDate } from './dates.js';
import type { MetaOverrides } from './meta-overrides.js';
import { comparisonKey, wordCount } from './normalize.js';
import { groupQuotedSpeech } from './quoted-speech.js';
import { sentenceSignals } from './answer-signals.js';
import { blockSpans, sentenceSpans, sliceOf } from './spans.js';
import type { ChunkSpan, DocumentMeta, Span } from './types.js';

export interface ChunkingOptions {
  /** Longest passage the embedding model should see, in the unit `measure` counts. */
  maxPassageSize: number;
  /** Size of a text in model tokens (or an estimate of it). */
  measure: (text: string) => number;
}

/** A passage needs this many words to be worth retrieving on its own (drops "518", "Photo authenticity"). */
const MIN_PASSAGE_WORDS = 4;
/** Repeated lines shorter than this are kept: short lines repeat legitimately ("Yes."). */
const MIN_DUPLICATE_LINE_WORDS = 6;

/**
 * Bumped whenever the same file would be cut into different passages or sentences, so an
 * index built by an older version is brought up to date (its vectors are reused by text).
 * 2: sentences of one quotation are kept together (quoted-speech.ts).
 * 3: no sentence ends on an abbreviation or initial ("St. Croix"); each sentence carries its answer signals.
 * 4: "scores of", fractions and plural round numbers are numbers; passages are embedded with their context (passage-header.ts).
 */
export const CHUNKING_VERSION = 4;

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

interface HeuristicMeta {
  title: string | null;
  titleSpan: Span | null;
  publisher: string | null;
  date: string | null;
  author: string | null;
  url: string | null;
}

/** A byline or source longer than this is a paragraph that happens to start like one, not a name. */
const MAX_NAME_WORDS = 12;
const asName = (value: string): string | null => (value && wordCount(value) <= MAX_NAME_WORDS ? value : null);

function readHeuristicMeta(text: string, blocks: Span[][]): HeuristicMeta {
  const meta: HeuristicMeta = { title: null, titleSpan: null, publisher: null, date: null, author: null, url: null };
  const lines = blocks.flat();
  lines.forEach((line, i) => {
    const value = sliceOf(text, line);
    const source = METADATA_PATTERNS.source.exec(value);
    if (source) {
      const stated = (source[1] ?? '').trim() || (lines[i + 1] ? sliceOf(text, lines[i + 1] as Span).trim() : '');
      if (stated && !meta.publisher) meta.publisher = asName(stated);
    }
    const date = METADATA_PATTERNS.date.exec(value);
    if (date && !meta.date) meta.date = parseStatedDate(date[1] ?? '') ?? (date[1] ?? '').trim();
    const syndication = METADATA_PATTERNS.syndication.exec(value);
    if (syndication && !meta.publisher) meta.publisher = asName((syndication[1] ?? '').trim());
    const author = METADATA_PATTERNS.author.exec(value);
    if (author && !meta.author) meta.author = asName((author[1] ?? '').trim());
    const url = METADATA_PATTERNS.url.exec(value);
    if (url && !meta.url) meta.url = (url[1] ?? '').trim();
  });
  // The title: the first short, unpunctuated line near the top that stands as its own paragraph.
  for (const block of blocks.slice(0, 6)) {
    const first = block[0];
    if (!first) continue;
    const value = sliceOf(text, first).trim();
    const kind = classifyLine(value);
    if (kind === 'heading') {
      meta.title = value.replace(/^#+\s*/u, '');
      meta.titleSpan = first;
      break;
    }
    if (kind !== 'content') continue;
    const words = wordCount(value);
    if (block.length === 1 && words >= 3 && words <= 30 && !/[.!:;]$/u.test(value)) {
      meta.title = value;
      meta.titleSpan = first;
      break;
    }
    if (words > 30 || /[.!]$/u.test(value)) break;
  }
  return meta;
}

/** Splits a passage that is too long for the model at sentence boundaries. */
function splitLongPassage(text: string, passage: Span, sentences: Span[], options: ChunkingOptions): Span[][] {
  if (options.measure(sliceOf(text, passage)) <= options.maxPassageSize || sentences.length <= 1) return [sentences];
  const groups: Span[][] = [];
  let current: Span[] = [];
  for (const sentence of sentences) {
    const candidate = current.length > 0 ? { start: (current[0] as Span).start, end: sentence.end } : sentence;
    if (current.length > 0 && options.measure(sliceOf(text, candidate)) > options.maxPassageSize) {
      groups.push(current);
      current = [];
    }
    current.push(sentence);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

export interface ParsedBody {
  meta: DocumentMeta;
  chunks: ChunkSpan[];
}

/**
 * Cuts a document into passages with exact offsets, dropping site furniture and repeated
 * paragraphs, and reads its citation metadata. The text itself is never altered.
 */
export function parseDocument(
  text: string,
  fallbackTitle: string,
  options: ChunkingOptions,
  bodyStart = 0,
  overrides: MetaOverrides = {},
  fallback: MetaOverrides = {},
): ParsedBody {
  const blocks = blockSpans(text, { start: bodyStart, end: text.length });
  const heuristic = readHeuristicMeta(text, blocks);
  const seenLines = new Set<string>();
  const seenPassages = new Set<string>();
  const chunks: ChunkSpan[] = [];
  let paragraph = 0;

  for (const block of blocks) {
    // Runs of consecutive content lines form passages; anything else breaks a run.
    const runs: Span[][] = [];
    let run: Span[] = [];
    let inTrailer = false;
    let afterBareSource = false;
    for (const line of block) {
      const value = sliceOf(text, line);
      let kind: LineKind = inTrailer ? 'trailer' : afterBareSource ? 'metadata' : classifyLine(value);
      afterBareSource = /^source:\s*$/iu.test(value);
      if (kind === 'trailer') inTrailer = true;
      if (heuristic.titleSpan && line.start === heuristic.titleSpan.start) kind = 'heading';
      const key = comparisonKey(value);
      if (kind === 'content' && wordCount(value) >= MIN_DUPLICATE_LINE_WORDS && seenLines.has(key)) kind = 'boilerplate';
      if (kind === 'content') {
        seenLines.add(key);
        run.push(line);
      } else if (run.length > 0) {
        runs.push(run);
        run = [];
      }
    }
    if (run.length > 0) runs.push(run);

    for (const lines of runs) {
      const passage: Span = { start: (lines[0] as Span).start, end: (lines[lines.length - 1] as Span).end };
      const value = sliceOf(text, passage);
      const key = comparisonKey(value);
      if (wordCount(value) < MIN_PASSAGE_WORDS || seenPassages.has(key)) continue;
      seenPassages.add(key);
      paragraph++;
      for (const sentences of splitLongPassage(text, passage, groupQuotedSpeech(text, passage, sentenceSpans(text, passage)), options)) {
        const first = sentences[0] as Span;
        const last = sentences[sentences.length - 1] as Span;
        chunks.push({ paragraph, start: first.start, end: last.end, sentences, signals: sentenceSignals(text, sentences) });
      }
    }
  }

  const statedDate = overrides.date ?? null;
  const fallbackDate = fallback.date ? (parseStatedDate(fallback.date) ?? fallback.date) : null;
  return {
    meta: {
      title: overrides.title ?? heuristic.title ?? fallback.title ?? fallbackTitle,
      publisher: overrides.publisher ?? heuristic.publisher ?? fallback.publisher ?? null,
      date: statedDate ? (parseStatedDate(statedDate) ?? statedDate) : (heuristic.date ?? fallbackDate),
      url: overrides.url ?? heuristic.url ?? fallback.url ?? null,
      author: overrides.author ?? heuristic.author ?? fallback.author ?? null,
      ...(overrides.aliases ? { aliases: overrides.aliases } : {}),
    },
    chunks,
  };
}
