import { createHash } from 'node:crypto';
import { decodeDocument, rejectBytes } from './plain-text.js';
import { detectFormat } from './detect-format.js';
import { EXTRACTORS, type ExtractorOptions } from './extractors.js';
import { ExtractError, type ExtractedText } from './types.js';

/**
 * The last few PDF readings, by the file's bytes and the limits: a PDF added in Discord is read
 * once to check it before it is saved and again by the reindex that follows. OCR takes seconds a
 * page, and a long text PDF seconds too (5 s for 316 pages, BENCHMARKS.md session 11). Web pages
 * and Word files are quick to read again.
 */
const readings = new Map<string, ExtractedText>();
const READINGS_KEPT = 4;

function readingKey(bytes: Uint8Array, options: ExtractOptions): string {
  // Every limit that can change the outcome: a reading within a looser limit is no answer for a stricter one.
  const limits = [options.maxPages, options.maxSeconds, options.ocrMaxPages, options.ocrPageSeconds, options.pageUrl ?? ''].join('/');
  return `${createHash('sha256').update(bytes).digest('hex')}/${limits}`;
}

export type ExtractResult = { ok: true; extracted: ExtractedText } | { ok: false; reason: string };

export interface ExtractOptions extends ExtractorOptions {
  maxFileBytes: number;
}

/**
 * A file's text, whatever its kind: the kind is read from the bytes, the text extracted by the
 * library for that kind, within the limits on size, pages and time. Never throws for a bad
 * file: the reason comes back for the person who added it.
 */
export async function extractDocument(bytes: Uint8Array, name: string, options: ExtractOptions): Promise<ExtractResult> {
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };
  if (bytes.length > options.maxFileBytes) return { ok: false, reason: `larger than the ${String(options.maxFileBytes)}-byte limit` };
  const detected = await detectFormat(bytes, name);
  if ('error' in detected) return { ok: false, reason: detected.error };
  const warnings = detected.warning ? [detected.warning] : [];
  const key = detected.format === 'pdf' ? readingKey(bytes, options) : null;
  const known = key === null ? undefined : readings.get(key);
  if (known) return { ok: true, extracted: { ...known, warnings: [...warnings, ...known.warnings] } };
  try {
    const extract = EXTRACTORS[detected.format];
    let extracted: ExtractedText;
    if (extract) extracted = await extract(bytes, options);
    else {
      const rejected = rejectBytes(bytes, options.maxFileBytes);
      if (rejected) return { ok: false, reason: rejected };
      const decoded = decodeDocument(bytes);
      if ('error' in decoded) return { ok: false, reason: decoded.error };
      extracted = { format: detected.format, text: decoded.text, meta: {}, fallbackMeta: {}, warnings: [] };
    }
    if (extracted.text.trim().length === 0) return { ok: false, reason: 'no text found in the file' };
    if (key !== null) {
      readings.set(key, extracted);
      for (const old of readings.keys()) if (readings.size > READINGS_KEPT) readings.delete(old);
    }
    return { ok: true, extracted: { ...extracted, warnings: [...warnings, ...extracted.warnings] } };
  } catch (error) {
    if (error instanceof ExtractError) return { ok: false, reason: error.message };
    return { ok: false, reason: `the file could not be read (${(error as Error).message.split('\n')[0] ?? 'unknown error'})` };
  }
}
