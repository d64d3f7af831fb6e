import path from 'node:path';
import { parseSidecar, readFrontMatter } from './meta-overrides.js';
import { parseDocument, type ChunkingOptions } from './parse-document.js';
import type { ParsedDocument, SourceDocument } from './types.js';

export interface PreparedDocument {
  document: ParsedDocument;
  warnings: string[];
}

/**
 * From raw document text to passages and citation metadata. Front matter, then a
 * `<file>.meta.json` sidecar, win over what is read from the text itself.
 */
export function prepareDocument(source: SourceDocument, sidecar: string | undefined, options: ChunkingOptions): PreparedDocument {
  const warnings: string[] = [];
  const front = readFrontMatter(source.text);
  if (front.warning) warnings.push(front.warning);
  let overrides = front.overrides;
  if (sidecar !== undefined) {
    const parsed = parseSidecar(sidecar);
    if (parsed.warning) warnings.push(parsed.warning);
    overrides = { ...overrides, ...parsed.overrides };
  }
  const fallbackTitle = path.posix.basename(source.sourceId).replace(/\.[^.]+$/u, '');
  const parsed = parseDocument(source.text, fallbackTitle, options, front.bodyStart, overrides);
  if (parsed.chunks.length === 0) warnings.push('no passages found after removing boilerplate');
  return { document: { ...source, ...parsed }, warnings };
}
