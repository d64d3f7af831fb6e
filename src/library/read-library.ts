import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
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

/** Control and bidirectional-override characters: in a file name they can rewrite a terminal line or spoof a citation. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_NAME_CHARS = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** A file name as it can be shown safely: unsafe characters as `\uXXXX` escapes. */
export function printableName(name: string): string {
  return name.replace(UNSAFE_NAME_CHARS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
    if (printableName(sourceId) !== sourceId) {
      skipped.push({ sourceId: printableName(sourceId), reason: 'file name contains control or bidirectional-override characters' });
      continue;
    }
    try {
      let info = await lstat(file);
      if (info.isSymbolicLink()) {
        const target = await realpath(file).catch(() => null);
        if (!target || !target.startsWith(root + path.sep)) {
          skipped.push({ sourceId, reason: 'symbolic link to a file outside the corpus folder' });
          continue;
        }
        info = await stat(file);
      }
      // Reading a FIFO or device would block ingestion forever.
      if (!info.isFile()) {
        skipped.push({ sourceId, reason: 'not a regular file' });
        continue;
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
