import { foldPunctuation } from '../library/normalize.js';
import type { Span } from '../library/types.js';
import type { LibraryDocument } from '../library/types.js';
import type { Citation } from './answer-types.js';
import { locateQuote } from './source-link.js';

/**
 * A folded copy of a text (the same folds as `comparisonKey`: case, compatibility forms,
 * curly vs straight quotes, dashes, ellipses, zero-width characters, whitespace runs
 * including non-breaking spaces) that remembers, for every folded code unit, which
 * characters of the original text it came from. Matches found in the folded text map
 * back to exact offsets in the original, so what is quoted is always an exact slice.
 */
export interface FoldedText {
  key: string;
  /** Original start offset of each code unit of `key`. */
  starts: number[];
  /** Original end offset of each code unit of `key`. */
  ends: number[];
}

const WHITESPACE = /\s/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

function foldChar(char: string): string {
  return foldPunctuation(char.normalize('NFKD')).toLowerCase();
}

export function foldText(text: string): FoldedText {
  let key = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let inSpace = false;
  for (let i = 0; i < text.length; ) {
    const codePoint = text.codePointAt(i) as number;
    const char = String.fromCodePoint(codePoint);
    const end = i + char.length;
    if (WHITESPACE.test(char)) {
      if (inSpace) {
        ends[ends.length - 1] = end;
      } else {
        key += ' ';
        starts.push(i);
        ends.push(end);
        inSpace = true;
      }
    } else {
      const folded = foldChar(char);
      for (let u = 0; u < folded.length; u++) {
        starts.push(i);
        ends.push(end);
      }
      key += folded;
      if (folded.length > 0) inSpace = false;
    }
    i = end;
  }
  return { key, starts, ends };
}

/** The folded form of a phrase typed by a user: what `foldText` would make of it, trimmed. */
export function foldPhrase(phrase: string): string {
  return foldText(phrase).key.trim();
}

export interface PhraseMatch extends Omit<Citation, 'paragraph'> {
  /** 1-based paragraph number, or null when the match lies outside the indexed paragraphs (e.g. a title line). */
  paragraph: number | null;
  /** The sentence(s), or line, around the match: an exact span of the document text. */
  context: Span;
}

export interface FindPhraseOptions {
  /** Stop after this many matches in all. */
  limit?: number;
  /** Page, heading and link of a match (Library.locate, which knows where the library is published). */
  locate?: (document: LibraryDocument, start: number, quote: string) => Pick<Citation, 'format' | 'page' | 'section' | 'link' | 'recognized'>;
  /** Let the phrase's last word be a prefix ("tortu" matches "tortured"): for suggestions while typing. */
  partialLastWord?: boolean;
}

const foldCache = new WeakMap<LibraryDocument, FoldedText>();

function foldedDocument(document: LibraryDocument): FoldedText {
  let folded = foldCache.get(document);
  if (!folded) {
    folded = foldText(document.text);
    foldCache.set(document, folded);
  }
  return folded;
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && WORD_CHAR.test(char);
}

function lineAround(text: string, span: Span): Span {
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  const next = text.indexOf('\n', span.end);
  let start = lineStart;
  let end = next === -1 ? text.length : next;
  while (start < span.start && WHITESPACE.test(text[start] as string)) start++;
  while (end > span.end && WHITESPACE.test(text[end - 1] as string)) end--;
  return { start, end };
}

function locate(document: LibraryDocument, span: Span): { paragraph: number | null; context: Span } {
  for (const chunk of document.chunks) {
    if (span.start < chunk.start || span.start >= chunk.end) continue;
    const covering = chunk.sentences.filter(([start, end]) => end > span.start && start < span.end);
    const first = covering[0];
    const last = covering[covering.length - 1];
    const context = first && last ? { start: Math.min(first[0], span.start), end: Math.max(last[1], span.end) } : lineAround(document.text, span);
    return { paragraph: chunk.paragraph, context };
  }
  return { paragraph: null, context: lineAround(document.text, span) };
}

/**
 * Every occurrence of a phrase in the library, allowing only the variants `foldText` folds.
 * Matches start and end on word boundaries ("war" does not match "toward").
 */
export function findPhrase(documents: readonly LibraryDocument[], phrase: string, options: FindPhraseOptions = {}): PhraseMatch[] {
  const needle = foldPhrase(phrase);
  const limit = options.limit ?? Infinity;
  const matches: PhraseMatch[] = [];
  if (needle.length === 0) return matches;
  for (const document of documents) {
    const { key, starts, ends } = foldedDocument(document);
    for (let at = key.indexOf(needle); at !== -1; at = key.indexOf(needle, at + 1)) {
      const after = at + needle.length;
      if (isWordChar(needle[0]) && isWordChar(key[at - 1])) continue;
      if (!options.partialLastWord && isWordChar(needle[needle.length - 1]) && isWordChar(key[after])) continue;
      const span = { start: starts[at] as number, end: ends[after - 1] as number };
      const { paragraph, context } = locate(document, span);
      const quote = document.text.slice(span.start, span.end);
      matches.push({
        ...(options.locate ?? locateQuote)(document, span.start, quote),
        sourceId: document.sourceId,
        title: document.meta.title,
        publisher: document.meta.publisher,
        date: document.meta.date,
        url: document.meta.url,
        paragraph,
        start: span.start,
        end: span.end,
        quote: document.text.slice(span.start, span.end),
        context,
      });
      if (matches.length >= limit) return matches;
    }
  }
  return matches;
}

/** Distinct sentences of the library containing what the user has typed so far, in library order. */
export function suggestSentences(documents: readonly LibraryDocument[], typed: string, limit = 25): { sourceId: string; text: string }[] {
  if (foldPhrase(typed).length < 2) return [];
  const seen = new Set<string>();
  const suggestions: { sourceId: string; text: string }[] = [];
  for (const match of findPhrase(documents, typed, { partialLastWord: true })) {
    const document = documents.find((doc) => doc.sourceId === match.sourceId) as LibraryDocument;
    const text = document.text.slice(match.context.start, match.context.end);
    const key = foldPhrase(text);
    if (seen.has(key)) continue;
    seen.add(key);
    suggestions.push({ sourceId: match.sourceId, text });
    if (suggestions.length >= limit) break;
  }
  return suggestions;
}
