import type { DocumentFormat } from '../extract/types.js';

/** Where a quote comes from, precise enough to check: `quote === fileText.slice(start, end)`. */
export interface Citation {
  sourceId: string;
  title: string;
  publisher: string | null;
  date: string | null;
  url: string | null;
  /** 1-based paragraph number within the document's content. */
  paragraph: number;
  start: number;
  end: number;
  quote: string;
  /** The kind of file the quote was read from. */
  format: DocumentFormat;
  /** 1-based page of a PDF the quote starts on; null for other kinds. */
  page: number | null;
  /** The heading the quote stands under (PDF, web page, Word file), if any. */
  section: string | null;
  /** A link a reader can follow to the words: the PDF at its page, the web page with the words highlighted. */
  link: string | null;
  /** The quote is OCR's reading of a scanned page (absent: the file's own text). */
  recognized?: boolean;
  /** Which of the libraries searched together holds the document (ask-across.ts); absent when one library was searched. */
  library?: string;
}

export interface AnswerResult extends Citation {
  /**
   * Ranking score, best first: in hybrid mode a 0–1 blend of embedding similarity and BM25
   * (each scaled over the candidates), lowered for repeated sources so results spread out.
   */
  score: number;
  /** Cosine similarity between the question and the whole passage. */
  similarity: number;
  /** The whole paragraph the quote was taken from. */
  passage: { start: number; end: number };
  /** The same or nearly the same passage in other sources. */
  corroboratedBy: Citation[];
}

/**
 * - `answered`: the results answer the question.
 * - `not_stated`: the question is on the library's subject, but the closest passages do not state
 *   what it asks for; the results are the related passages, shown as such.
 * - `not_in_library`: nothing in the library is close to the question; no results.
 */
export type Outcome = 'answered' | 'not_stated' | 'not_in_library';

export interface Answer {
  question: string;
  answered: boolean;
  outcome: Outcome;
  /** For `not_stated`: what the related passages lack. */
  notStated?: string;
  results: AnswerResult[];
  /** For `not_in_library`: the nearest sources, so the user knows what was searched. */
  closest: { sourceId: string; title: string; similarity: number; library?: string }[];
}
