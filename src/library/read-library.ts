import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { DOCUMENT_EXTENSIONS } from '../extract/format-list.js';
import { extractDocument } from '../extract/extract-document.js';
import { DEFAULT_EXTRACT_LIMITS, type ExtractLimits } from '../extract/types.js';
import type { SkippedFile, SourceDocument } from './types.js';

export { DOCUMENT_EXTENSIONS };

export interface ReadLibraryOptions extends Partial<ExtractLimits> {
  maxFileBytes: number;
  /** Called as the pages of a long PDF are read. */
  onPage?: (sourceId: string, done: number, total: number) => void;
}

/** A document file found in the corpus folder, not yet read for its text. */
export interface LibraryFile {
  sourceId: string;
  /** Absolute path. */
  file: string;
  /** sha256 of its bytes. */
  hash: string;
}

export interface LibraryListing {
  files: LibraryFile[];
  skipped: SkippedFile[];
  /** Sidecar metadata files by the sourceId of the document they describe. */
  sidecars: Map<string, string>;
}

export interface LibraryFiles {
  documents: SourceDocument[];
  skipped: SkippedFile[];
  sidecars: Map<string, string>;
}

export function toSourceId(corpusDir: string, file: string): string {
  return path.relative(corpusDir, file).split(path.sep).join('/');
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
 * Finds every document file under `corpusDir` (by name: formats.ts lists the endings) and
 * hashes it. Files that cannot be documents are listed in `skipped` with a reason; they never
 * stop the rest of the library from loading.
 */
export async function listLibrary(corpusDir: string, options: ReadLibraryOptions): Promise<LibraryListing> {
  const root = await realpath(corpusDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new Error(`the corpus folder ${corpusDir} does not exist (set it with --corpus or WITNESS_CORPUS_DIR)`);
    throw error;
  });
  const files: LibraryFile[] = [];
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
      if (info.size === 0) {
        skipped.push({ sourceId, reason: 'empty file' });
        continue;
      }
      files.push({ sourceId, file, hash: hashBytes(await readFile(file)) });
    } catch (error) {
      skipped.push({ sourceId, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    }
  }
  return { files, skipped, sidecars };
}

/** Reads one listed file's text: the file's own for text, extracted for a PDF, web page or Word file. */
export async function readDocument(entry: LibraryFile, options: ReadLibraryOptions): Promise<{ document: SourceDocument; warnings: string[] } | { skipped: SkippedFile }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(entry.file);
  } catch (error) {
    return { skipped: { sourceId: entry.sourceId, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` } };
  }
  const { onPage, ...limits } = options;
  const result = await extractDocument(bytes, entry.sourceId, { ...DEFAULT_EXTRACT_LIMITS, ...limits, ...(onPage ? { onPage: (done: number, total: number) => onPage(entry.sourceId, done, total) } : {}) });
  if (!result.ok) return { skipped: { sourceId: entry.sourceId, reason: result.reason } };
  const { extracted } = result;
  const document: SourceDocument = { sourceId: entry.sourceId, hash: hashBytes(bytes), text: extracted.text };
  if (extracted.format !== 'text') document.format = extracted.format;
  if (extracted.pages) document.pages = extracted.pages;
  if (extracted.recognized) document.recognized = true;
  if (extracted.sections && extracted.sections.length > 0) document.sections = extracted.sections;
  if (Object.keys(extracted.meta).length > 0) document.formatMeta = extracted.meta;
  if (Object.keys(extracted.fallbackMeta).length > 0) document.fallbackMeta = extracted.fallbackMeta;
  return { document, warnings: extracted.warnings };
}

/** Lists and reads every document under `corpusDir` (see listLibrary and readDocument). */
export async function readLibrary(corpusDir: string, options: ReadLibraryOptions): Promise<LibraryFiles & { warnings: { sourceId: string; message: string }[] }> {
  const listing = await listLibrary(corpusDir, options);
  const documents: SourceDocument[] = [];
  const skipped = [...listing.skipped];
  const warnings: { sourceId: string; message: string }[] = [];
  for (const entry of listing.files) {
    const read = await readDocument(entry, options);
    if ('skipped' in read) skipped.push(read.skipped);
    else {
      documents.push(read.document);
      for (const message of read.warnings) warnings.push({ sourceId: entry.sourceId, message });
    }
  }
  return { documents, skipped, sidecars: listing.sidecars, warnings };
}
