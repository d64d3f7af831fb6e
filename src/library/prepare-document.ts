import path from 'node:path';
import { isPlainText } from '../extract/format-list.js';
import { parseSidecar, readFrontMatter, type MetaOverrides } from './meta-overrides.js';
import { parseDocument, type ChunkingOptions } from './parse-document.js';
import type { ParsedDocument, SourceDocument } from './types.js';

export interface PreparedDocument {
  document: ParsedDocument;
  warnings: string[];
}

/**
 * From raw document text to passages and citation metadata. Front matter, then a
 * `<file>.meta.json` sidecar, win over what is read from the text itself; a file's own creation
 * date is used only with `dates.fromFile`, when the text states none.
 */
export function prepareDocument(source: SourceDocument, sidecar: string | undefined, options: ChunkingOptions, dates: { fromFile?: boolean } = {}): PreparedDocument {
  const warnings: string[] = [];
  // Front matter is a convention of text files; a PDF or web page states its metadata itself.
  const textLike = isPlainText(source.format);
  const front = textLike ? readFrontMatter(source.text) : { bodyStart: 0, overrides: {}, warning: null };
  if (front.warning) warnings.push(front.warning);
  let overrides: MetaOverrides = { ...source.formatMeta, ...front.overrides };
  if (sidecar !== undefined) {
    const parsed = parseSidecar(sidecar);
    if (parsed.warning) warnings.push(parsed.warning);
    overrides = { ...overrides, ...parsed.overrides };
  }
  const fallbackTitle = path.posix.basename(source.sourceId).replace(/\.[^.]+$/u, '');
  // A PDF's or Word file's creation date is when it was converted, not when its text was
  // written: it is a document's date only when the operator asks (WITNESS_FILE_DATES).
  const fallback = { ...source.fallbackMeta };
  if (!dates.fromFile) delete fallback.date;
  const parsed = parseDocument(source.text, fallbackTitle, options, front.bodyStart, overrides, fallback);
  if (parsed.chunks.length === 0) warnings.push('no passages found after removing boilerplate');
  return { document: { ...source, ...parsed }, warnings };
}
