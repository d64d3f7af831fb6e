import type { DocumentFormat } from './format-list.js';
import { withinTime } from './time-limit.js';
import type { ExtractedText, ExtractLimits } from './types.js';

/** What an extractor is given besides the bytes. */
export interface ExtractorOptions extends ExtractLimits {
  /** Where a web page was fetched from, when it was. */
  pageUrl?: string;
  /** Called as the pages of a PDF are read, for a progress display. */
  onPage?: (done: number, total: number) => void;
}

export type Extractor = (bytes: Uint8Array, options: ExtractorOptions) => Promise<ExtractedText>;

/**
 * How each kind of document is read, loaded on first use; `null`: plain text, stored as it is.
 * Every kind of FORMATS (format-list.ts) needs its entry here.
 */
export const EXTRACTORS: Record<DocumentFormat, Extractor | null> = {
  text: null,
  markdown: null,
  pdf: async (bytes, options) => (await import('./pdf.js')).extractPdf(bytes, options, options.onPage),
  html: async (bytes, options) => withinTime((await import('./html.js')).extractHtml(bytes, options.pageUrl), options.maxSeconds, 'the web page'),
  docx: async (bytes, options) => withinTime((await import('./docx.js')).extractDocx(bytes, options), options.maxSeconds, 'the Word document'),
};
