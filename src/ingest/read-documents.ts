import type { Logger } from '../log.js';
import { readDocument, type LibraryListing, type ReadLibraryOptions } from '../library/read-library.js';
import type { ChunkingOptions } from '../library/parse-document.js';
import { prepareDocument } from '../library/prepare-document.js';
import type { SkippedFile, SourceDocument } from '../library/types.js';
import type { StoredDocument } from '../store/index-format.js';

/** A file that could not be read, by the fingerprint it had, so it is not read again unchanged. */
export type FailedFiles = Record<string, { fingerprint: string; reason: string }>;

export interface DocumentsRead {
  /** Every document of the library, in listing order: kept from the previous index or read now. */
  documents: StoredDocument[];
  skipped: SkippedFile[];
  failed: FailedFiles;
  /** Fingerprint of every document read or kept. */
  corpus: Record<string, string>;
  warnings: { sourceId: string; message: string }[];
}

export interface ReadDocumentsInput {
  listing: LibraryListing;
  /** Each listed file's fingerprint (its bytes, sidecar and the chunking and extraction rules). */
  listed: Record<string, string>;
  /** Documents of the previous index whose fingerprint is unchanged: kept as they are. */
  unchanged: Map<string, StoredDocument>;
  /** Files that failed before; one whose fingerprint is unchanged is skipped with the same reason. */
  previousFailed: FailedFiles;
  readOptions: ReadLibraryOptions;
  chunking: ChunkingOptions;
  /** Use a PDF's or Word file's creation date when its text states no date (WITNESS_FILE_DATES). */
  fileDates: boolean;
  /** The fingerprint of a document as read (its bytes may have changed since they were listed). */
  fingerprint: (sourceId: string, hash: string) => string;
  logger: Logger;
}

/**
 * Reads, extracts and cuts into passages every new or changed document; unchanged ones are kept
 * as stored (cutting again, token counting above all, was most of an update's time on a large
 * library). Files that cannot be read are skipped with their reason; the rest go on.
 */
export async function readDocuments(input: ReadDocumentsInput): Promise<DocumentsRead> {
  const { listing, listed, logger } = input;
  const read: DocumentsRead = { documents: [], skipped: [...listing.skipped], failed: {}, corpus: {}, warnings: [] };
  const warn = (sourceId: string, message: string): void => {
    read.warnings.push({ sourceId, message });
    logger.warn({ sourceId, problem: message }, 'document warning');
  };
  // The same bytes under two names are both kept; say so, since answers will cite one as corroborating the other.
  const firstWithHash = new Map<string, string>();
  for (const file of listing.files) {
    const first = firstWithHash.get(file.hash);
    if (first === undefined) firstWithHash.set(file.hash, file.sourceId);
    else warn(file.sourceId, `same content as ${first}`);
  }
  for (const file of listing.files) {
    const { sourceId } = file;
    // The fingerprint covers the content hash, so an unchanged fingerprint is the same bytes.
    const kept = input.unchanged.get(sourceId);
    if (kept) {
      read.documents.push(kept);
      read.corpus[sourceId] = listed[sourceId] as string;
      continue;
    }
    const knownFailure = input.previousFailed[sourceId];
    if (knownFailure && knownFailure.fingerprint === listed[sourceId]) {
      read.skipped.push({ sourceId, reason: knownFailure.reason });
      read.failed[sourceId] = knownFailure;
      continue;
    }
    const result = await readDocument(file, input.readOptions);
    if ('skipped' in result) {
      read.skipped.push(result.skipped);
      read.failed[sourceId] = { fingerprint: listed[sourceId] as string, reason: result.skipped.reason };
      continue;
    }
    const source = result.document;
    read.corpus[sourceId] = input.fingerprint(sourceId, source.hash);
    for (const message of result.warnings) warn(sourceId, message);
    const prepared = prepareDocument(source, listing.sidecars.get(sourceId), input.chunking, { fromFile: input.fileDates });
    for (const message of prepared.warnings) warn(sourceId, message);
    read.documents.push(toStored(source, prepared.document));
  }
  return read;
}

/** A prepared document as the index stores it: spans as pairs, headings as triples. */
function toStored(source: SourceDocument, prepared: ReturnType<typeof prepareDocument>['document']): StoredDocument {
  const stored: StoredDocument = {
    sourceId: source.sourceId,
    hash: source.hash,
    text: source.text,
    meta: prepared.meta,
    chunks: prepared.chunks.map((chunk) => ({
      paragraph: chunk.paragraph,
      start: chunk.start,
      end: chunk.end,
      sentences: chunk.sentences.map((s) => [s.start, s.end] as [number, number]),
      signals: chunk.signals,
    })),
  };
  if (source.format) stored.format = source.format;
  if (source.pages) stored.pages = source.pages;
  if (source.recognized) stored.recognized = true;
  if (source.sections) stored.sections = source.sections.map((section) => [section.start, section.level, section.title] as [number, number, string]);
  return stored;
}
