import type { DocumentFormat, FormatMeta, Section } from '../extract/types.js';

/** A half-open range `[start, end)` of JavaScript string indices into a document's decoded text. */
export interface Span {
  start: number;
  end: number;
}

export interface DocumentMeta {
  title: string;
  publisher: string | null;
  /** ISO 8601 (YYYY-MM-DD) when the stated date could be read, else the date as stated. */
  date: string | null;
  url: string | null;
  author: string | null;
  /** Other names of the author that people use (front matter or sidecar `aliases`); absent when none are given. */
  aliases?: string[];
}

/** One retrievable passage: a paragraph, or part of a long one, with its sentences. */
export interface ChunkSpan extends Span {
  /** 1-based ordinal of the source paragraph among the document's content paragraphs. */
  paragraph: number;
  sentences: Span[];
  /** Per sentence, the kinds of answer it states (bits of SIGNAL in answer-signals.ts). */
  signals: number[];
}

/** A passage of a document as the library keeps it: offsets into the document's text. */
export interface DocumentChunk {
  /** 1-based ordinal of the source paragraph among the document's content paragraphs. */
  paragraph: number;
  start: number;
  end: number;
  /** Each sentence's `[start, end)`. */
  sentences: [number, number][];
  /** Per sentence, the kinds of answer it states (bits of SIGNAL in answer-signals.ts). */
  signals: number[];
}

/**
 * A document as the library holds it, in memory and in its index (index-format.ts checks the
 * file against this type): its text, its citation metadata and its passages. The one document
 * type that search, the Discord front door and the stores share.
 */
export interface LibraryDocument {
  sourceId: string;
  /** sha256 of the file bytes. */
  hash: string;
  /** The text quoted from. */
  text: string;
  meta: DocumentMeta;
  chunks: DocumentChunk[];
  /** Absent: plain text (indexes made before other formats were read). */
  format?: DocumentFormat;
  /** Offset of each page's first character (PDF). */
  pages?: number[];
  /** Headings: [start offset, level, title]. */
  sections?: [number, number, string][];
  /** The text was recognised by OCR from a scan: citations say so. */
  recognized?: boolean;
}

export interface SourceDocument {
  /** Path relative to the corpus folder, with forward slashes. */
  sourceId: string;
  /** sha256 of the file bytes. */
  hash: string;
  /** The text quoted from: the file's own text, or the text extracted from a PDF, web page or Word file. */
  text: string;
  /** Absent: plain text. */
  format?: DocumentFormat;
  /** Offset of each page's first character (PDF). */
  pages?: number[];
  /** Headings and where they start (PDF, HTML, DOCX). */
  sections?: Section[];
  /** The text was recognised by OCR from a scan. */
  recognized?: boolean;
  /** Metadata the file states about itself, and what is used only when nothing better is known. */
  formatMeta?: FormatMeta;
  fallbackMeta?: FormatMeta;
}

export interface SkippedFile {
  sourceId: string;
  reason: string;
}

export interface ParsedDocument extends SourceDocument {
  meta: DocumentMeta;
  chunks: ChunkSpan[];
}
