import type { DocumentFormat } from './format-list.js';

export type { DocumentFormat };

/** A heading of the document and where it stands in the extracted text. */
export interface Section {
  start: number;
  /** 1 for the largest headings. */
  level: number;
  title: string;
}

/** Citation metadata a file states about itself (PDF info, HTML meta tags, DOCX core properties). */
export interface FormatMeta {
  title?: string;
  author?: string;
  publisher?: string;
  date?: string;
  url?: string;
}

/**
 * The text Witness stores and quotes from, with where its pages and headings begin. Quotes are
 * exact slices of `text`; `pages[i]` is the offset of the first character of page i + 1.
 */
export interface ExtractedText {
  format: DocumentFormat;
  text: string;
  pages?: number[];
  sections?: Section[];
  /** The text was recognised by OCR from page images (a scanned PDF). */
  recognized?: boolean;
  /** Metadata the file states, which wins over what is guessed from the text. */
  meta: FormatMeta;
  /** Metadata used only when nothing better is known (a PDF's creation date is the file's, not the article's). */
  fallbackMeta: FormatMeta;
  warnings: string[];
}

export interface ExtractLimits {
  maxPages: number;
  /** Wall-clock limit for one file's extraction. */
  maxSeconds: number;
  /** Largest total a compressed container (DOCX) may expand to. */
  maxExpandedBytes: number;
  /** Most pages of a scanned PDF that OCR reads: a longer scan is refused. */
  ocrMaxPages: number;
  /** Longest OCR may take over one page before it is left out; a scan's OCR time is added to `maxSeconds`. */
  ocrPageSeconds: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = { maxPages: 2000, maxSeconds: 60, maxExpandedBytes: 100 * 1024 * 1024, ocrMaxPages: 100, ocrPageSeconds: 30 };

/** A file that cannot be read as a document; the message is shown to the person who added it. */
export class ExtractError extends Error {
  override readonly name = 'ExtractError';
}

/**
 * Bumped whenever the same file would give different extracted text, pages or headings, so an
 * index built by an older extractor is brought up to date.
 * 2: a PDF's or Word file's creation date is no longer its date unless WITNESS_FILE_DATES is set.
 * 3: footnotes are taken out of a PDF page's flow and their markers dropped (PDF and Word); a
 *    printed web page's chrome (mostly-link lines, site furniture) is left out; PDF paragraph
 *    breaks read against a low quantile of the line gaps; a PDF with no text layer is read by OCR.
 * 4: a printed web page's boxes of short lines in a site's words (a newsletter box) go with their
 *    heading, widget lines ("Comments", "you@example.com") go, and a link that is part of a
 *    paragraph stays (pdf.ts, removeChrome).
 * 5: a PDF's short bold lines at the body's size that stand apart above body text are headings
 *    (pdf.ts, isBoldHeading).
 */
export const EXTRACTION_VERSION = 5;
