import { decodeDocument, rejectBytes } from './plain-text.js';
import { detectFormat } from './detect-format.js';
import { formatSpec, type ExtractorOptions } from './formats.js';
import { ExtractError, type ExtractedText } from './types.js';

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
  try {
    const { extract } = formatSpec(detected.format);
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
    return { ok: true, extracted: { ...extracted, warnings: [...warnings, ...extracted.warnings] } };
  } catch (error) {
    if (error instanceof ExtractError) return { ok: false, reason: error.message };
    return { ok: false, reason: `the file could not be read (${(error as Error).message.split('\n')[0] ?? 'unknown error'})` };
  }
}
