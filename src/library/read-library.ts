import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { SkippedFile, SourceDocument } from './types.js';

export const DOCUMENT_EXTENSIONS = ['.txt', '.md'];

export interface ReadLibraryOptions {
  maxFileBytes: number;
}

export interface LibraryFiles {
  documents: SourceDocument[];
  skipped: SkippedFile[];
  /** Sidecar metadata files by the sourceId of the document they describe. */
  sidecars: Map<string, string>;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function toSourceId(corpusDir: string, file: string): string {
  return path.relative(corpusDir, file).split(path.sep).join('/');
}

/** Why a file's bytes cannot be a document, or null when they can. */
export function rejectBytes(bytes: Uint8Array, maxFileBytes: number): string | null {
  if (bytes.length === 0) return 'empty file';
  if (bytes.length > maxFileBytes) return `larger than the ${String(maxFileBytes)}-byte limit`;
  if (bytes.subarray(0, 8192).includes(0)) return 'binary file (contains NUL bytes)';
  return null;
}

/** Decodes UTF-8 strictly; a leading BOM is dropped and offsets refer to the decoded text. */
export function decodeDocument(bytes: Uint8Array): { text: string } | { error: string } {
  try {
    const text = decoder.decode(bytes);
    if (text.trim().length === 0) return { error: 'empty file (whitespace only)' };
    return { text };
  } catch {
    return { error: 'not valid UTF-8' };
  }
}

export function hashBytes(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function* walk(dir: string, root: string, skipped: SkippedFile[]): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    skipped.push({ sourceId: toSourceId(root, dir) || '.', reason: `unreadable folder (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* walk(full, root, skipped);
    } else {
      yield full;
    }
  }
}

/**
 * Reads every `.txt` and `.md` file under `corpusDir`. Files that cannot be documents are
 * listed in `skipped` with a reason; they never stop the rest of the library from loading.
 */
export async function readLibrary(corpusDir: string, options: ReadLibraryOptions): Promise<LibraryFiles> {
  const root = await realpath(corpusDir);
  const documents: SourceDocument[] = [];
  const skipped: SkippedFile[] = [];
  const sidecars = new Map<string, string>();

  for await (const file of walk(root, root, skipped)) {
    const sourceId = toSourceId(root, file);
    if (file.endsWith('.meta.json')) {
      try {
        sidecars.set(sourceId.slice(0, -'.meta.json'.length), await readFile(file, 'utf8'));
      } catch {
        skipped.push({ sourceId, reason: 'unreadable sidecar' });
      }
      continue;
    }
    if (!DOCUMENT_EXTENSIONS.includes(path.extname(file).toLowerCase())) continue;
    try {
      const info = await lstat(file);
      if (info.isSymbolicLink()) {
        const target = await realpath(file).catch(() => null);
        if (!target || !target.startsWith(root + path.sep)) {
          skipped.push({ sourceId, reason: 'symbolic link to a file outside the corpus folder' });
          continue;
        }
      }
      if (info.size > options.maxFileBytes) {
        skipped.push({ sourceId, reason: `larger than the ${String(options.maxFileBytes)}-byte limit` });
        continue;
      }
      const bytes = await readFile(file);
      const rejected = rejectBytes(bytes, options.maxFileBytes);
      if (rejected) {
        skipped.push({ sourceId, reason: rejected });
        continue;
      }
      const decoded = decodeDocument(bytes);
      if ('error' in decoded) {
        skipped.push({ sourceId, reason: decoded.error });
        continue;
      }
      documents.push({ sourceId, hash: hashBytes(bytes), text: decoded.text });
    } catch (error) {
      skipped.push({ sourceId, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    }
  }
  return { documents, skipped, sidecars };
}
