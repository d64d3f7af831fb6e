import type { LibraryDocument } from '../library/types.js';
import { pageAt, sectionAt } from '../extract/text-builder.js';
import type { Citation } from './answer-types.js';
import { formatSpec, type DocumentFormat } from '../extract/format-list.js';

/** A link a reader can follow to the quoted words: built by the core so the CLI, JSON and Discord agree. */

function encodeFragmentPart(text: string): string {
  // encodeURIComponent throws on a lone surrogate; a link must never take the reply down with it.
  const wellFormed = text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu, '\uFFFD');
  // Text fragments reserve "-", "," and "&" besides what encodeURIComponent encodes.
  return encodeURIComponent(wellFormed).replace(/[-!'()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * An http(s) address, normalised, with parentheses escaped (they would end a markdown link
 * early), and without its fragment unless `keepFragment`. Null for anything else.
 */
export function httpLink(url: string | null | undefined, keepFragment = false): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (!keepFragment) parsed.hash = '';
  return parsed.toString().replace(/[()]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A document's address without its fragment (see httpLink). */
export const baseLink = (url: string | null): string | null => httpLink(url);

/**
 * The source's address with a text fragment (`#:~:text=start,end`) that makes browsers
 * scroll to and highlight the quoted words. Null when the source has no http(s) address.
 */
export function fragmentLink(url: string | null, quote: string): string | null {
  const base = baseLink(url);
  if (!base) return null;
  const words = quote.split(/\s+/u).filter(Boolean);
  if (words.length === 0) return base;
  const fragment =
    words.length <= 8 ? encodeFragmentPart(words.join(' ')) : `${encodeFragmentPart(words.slice(0, 4).join(' '))},${encodeFragmentPart(words.slice(-4).join(' '))}`;
  return `${base}#:~:text=${fragment}`;
}

/** The address of a PDF page (`#page=N`, which PDF viewers open at). Null without an http(s) address. */
export function pageLink(url: string | null, page: number): string | null {
  const base = baseLink(url);
  return base ? `${base}#page=${String(page)}` : null;
}

/** Where a file of the corpus is published, given the folder's public address. */
export function fileUrl(libraryUrl: string, sourceId: string): string {
  const base = libraryUrl.endsWith('/') ? libraryUrl : `${libraryUrl}/`;
  return new URL(sourceId.split('/').map(encodeURIComponent).join('/'), base).toString();
}

/**
 * The link for a quote: a PDF opens at its page, a web page or text file scrolls to and
 * highlights the words; a Word file has no way to point inside it, so it is linked as a whole.
 */
export function quoteLink(url: string | null, quote: string, page: number | null, format: DocumentFormat = 'text'): string | null {
  if (page !== null) return pageLink(url, page);
  if (formatSpec(format).link === 'whole') return baseLink(url);
  return fragmentLink(url, quote);
}

/** Page, heading and link of a quote of `document` starting at `start`, with the document's address `url`. */
export function locateQuote(document: LibraryDocument, start: number, quote: string, url: string | null = document.meta.url): Pick<Citation, 'format' | 'page' | 'section' | 'link' | 'recognized'> {
  const page = document.pages ? pageAt(document.pages, start) : null;
  const heading = document.sections ? (sectionAt(document.sections, start)?.[2] ?? null) : null;
  // The headline of an article is its title, already in the citation.
  const section = heading !== null && heading !== document.meta.title ? heading : null;
  return { format: document.format ?? 'text', page, section, link: quoteLink(url, quote, page, document.format ?? 'text'), ...(document.recognized ? { recognized: true } : {}) };
}
