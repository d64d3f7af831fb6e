import { z } from 'zod';
import { FORMAT_IDS } from '../extract/format-list.js';
import type { LibraryDocument } from '../library/types.js';

/** Bumped whenever the files under index/ change shape or chunking changes what they mean. */
export const INDEX_FORMAT_VERSION = 4;

export const FILES = {
  manifest: 'manifest.json',
  documents: 'documents.json',
  vectors: 'vectors.hnsw',
  lexical: 'lexical.json',
  /** Passage then sentence vectors, int8 with a scale per row (see QuantizedVectors). */
  table: 'vectors.i8',
} as const;

export const POINTER_FILE = 'CURRENT';

const SpanTuple = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);

export const StoredChunkSchema = z.object({
  paragraph: z.number().int().positive(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  sentences: z.array(SpanTuple),
  /** Per sentence: the kinds of answer it states (SIGNAL bits). */
  signals: z.array(z.number().int().nonnegative()),
});

export const StoredDocumentSchema = z.object({
  sourceId: z.string(),
  hash: z.string(),
  text: z.string(),
  meta: z.object({
    title: z.string(),
    publisher: z.string().nullable(),
    date: z.string().nullable(),
    url: z.string().nullable(),
    author: z.string().nullable(),
    aliases: z.array(z.string()).optional(),
  }),
  chunks: z.array(StoredChunkSchema),
  /** Absent: plain text (indexes made before other formats were read). */
  format: z.enum(FORMAT_IDS).optional(),
  /** Offset of each page's first character in `text` (PDF). */
  pages: z.array(z.number().int().nonnegative()).optional(),
  /** Headings: [start offset, level, title]. */
  sections: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().positive(), z.string()])).optional(),
  /** The text was recognised by OCR from a scan. */
  recognized: z.boolean().optional(),
}) satisfies z.ZodType<LibraryDocument>;

export const DocumentsFileSchema = z.object({ documents: z.array(StoredDocumentSchema) });

export const ManifestSchema = z.object({
  formatVersion: z.number().int(),
  modelId: z.string(),
  dimension: z.number().int().positive(),
  createdAt: z.string(),
  /** Per document: fingerprint of its bytes and of its metadata sidecar. */
  corpus: z.record(z.string(), z.string()),
  chunkCount: z.number().int().nonnegative(),
  sentenceCount: z.number().int().nonnegative(),
  hnsw: z.object({ m: z.number().int().positive(), efConstruction: z.number().int().positive() }),
  /** How sentence vectors were made: each sentence run on its own, or read from its passage's run (absent: on its own). */
  sentenceVectors: z.enum(['separate', 'in-context']).optional(),
  /**
   * Documents whose sentence vectors were read from their passage's run to make a new upload
   * answerable sooner (update-index.ts, `provisional`); the next full ingest embeds their
   * sentences on their own. Absent: none.
   */
  provisional: z.array(z.string()).optional(),
  /** What passages were embedded with besides their words (absent: nothing, an index made before headers). */
  passageContext: z.enum(['header', 'none']).optional(),
  /** Files that could not be read, by fingerprint and reason, so an unchanged bad file is not read again. */
  failed: z.record(z.string(), z.object({ fingerprint: z.string(), reason: z.string() })).optional(),
  /** sha256 of every other file in the generation, checked before anything is loaded. */
  files: z.record(z.string(), z.string()),
});

/** The in-memory document (library/types.ts); the schema above is checked against it. */
export type StoredDocument = LibraryDocument;
export type Manifest = z.infer<typeof ManifestSchema>;

const isInt = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const isNullableString = (value: unknown): boolean => value === null || typeof value === 'string';

/**
 * The shape of `documents.json`, checked field by field without building a copy: the loader uses
 * it on a file whose checksum already matched, where a full schema parse of every sentence span
 * (tens of thousands at State of the Union size) would cost a few hundred milliseconds of start-up.
 */
export function isStoredDocuments(value: unknown): value is StoredDocument[] {
  if (!Array.isArray(value)) return false;
  for (const doc of value as Partial<StoredDocument>[]) {
    if (typeof doc !== 'object' || doc === null) return false;
    if (typeof doc.sourceId !== 'string' || typeof doc.hash !== 'string' || typeof doc.text !== 'string') return false;
    const meta = doc.meta;
    if (typeof meta !== 'object' || meta === null || typeof meta.title !== 'string') return false;
    if (!isNullableString(meta.publisher) || !isNullableString(meta.date) || !isNullableString(meta.url) || !isNullableString(meta.author)) return false;
    if (meta.aliases !== undefined && !(Array.isArray(meta.aliases) && meta.aliases.every((alias) => typeof alias === 'string'))) return false;
    if (!Array.isArray(doc.chunks)) return false;
    if (doc.format !== undefined && typeof doc.format !== 'string') return false;
    if (doc.pages !== undefined && !(Array.isArray(doc.pages) && doc.pages.every(isInt))) return false;
    if (doc.recognized !== undefined && typeof doc.recognized !== 'boolean') return false;
    if (doc.sections !== undefined && !(Array.isArray(doc.sections) && doc.sections.every((s) => Array.isArray(s) && isInt(s[0]) && isInt(s[1]) && typeof s[2] === 'string'))) return false;
    for (const chunk of doc.chunks) {
      if (typeof chunk !== 'object' || chunk === null) return false;
      if (!isInt(chunk.paragraph) || chunk.paragraph < 1 || !isInt(chunk.start) || !isInt(chunk.end) || !Array.isArray(chunk.sentences)) return false;
      if (!Array.isArray(chunk.signals) || chunk.signals.length !== chunk.sentences.length || !chunk.signals.every(isInt)) return false;
      for (const span of chunk.sentences) {
        if (!Array.isArray(span) || span.length !== 2 || !isInt(span[0]) || !isInt(span[1])) return false;
      }
    }
  }
  return true;
}
