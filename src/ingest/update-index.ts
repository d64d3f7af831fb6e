import type { Embedder } from '../embed/common.js';
import type { Logger } from '../log.js';
import { profileFor } from '../embed/model-profiles.js';
import { hashBytes, listLibrary } from '../library/read-library.js';
import { EXTRACTION_VERSION, type ExtractLimits } from '../extract/types.js';
import { FORMAT_BY_EXTENSION, isPlainText } from '../extract/format-list.js';
import path from 'node:path';
import { CHUNKING_VERSION } from '../library/parse-document.js';
import type { SkippedFile } from '../library/types.js';
import { buildLexicalIndex } from '../search/lexical-index.js';
import type { StoredDocument } from '../store/index-format.js';
import { createVectorIndex, hasVectors, loadGeneration, loadIndex, loadIndexTexts, saveIndex, type StoredIndex, type StoredTexts } from '../store/index-store.js';
import { QuantizedVectors } from '../store/quantized-vectors.js';
import { embedMissing, type ProgressBar } from './embed-missing.js';
import { readDocuments } from './read-documents.js';
import { reusableVectors, VectorKeys } from './vector-keys.js';

/** Progress of the embedding step (embed-missing.ts's ProgressBar, under the name the callers know). */
export type IngestProgress = ProgressBar;

export interface IngestOptions {
  corpusDir: string;
  indexDir: string;
  maxFileBytes: number;
  /** Limits on reading one PDF, web page or Word file (defaults: DEFAULT_EXTRACT_LIMITS). */
  extractLimits?: Partial<ExtractLimits>;
  /** The model id the index must have been built with (default: the embedder's, which then is awaited first). */
  modelId?: string;
  /** The model, possibly still loading: it is awaited only when something must be embedded or chunked. */
  embedder: Embedder | Promise<Embedder>;
  logger: Logger;
  /** Ignore the existing index and embed everything again. */
  rebuild?: boolean;
  /**
   * `in-context`: a sentence's vector is read from its passage's model run (mean-pooling models
   * only; others embed sentences on their own): about half the ingest time, less specific
   * sentence vectors (docs/configuration.md, WITNESS_SENTENCE_VECTORS). Default `separate`.
   */
  sentenceVectors?: 'separate' | 'in-context';
  /** `header` (default): passages are embedded with their document's context (passage-header.ts); `none`: their words alone. */
  passageContext?: 'header' | 'none';
  /**
   * Make new and changed documents answerable sooner: their sentence vectors are read from their
   * passages' runs (about half the model's work) and the documents are listed in the manifest as
   * provisional. The next ingest without this option embeds those sentences on their own, reusing
   * the passage vectors, and gives the index a normal ingest would. Mean-pooling models and the
   * default `separate` mode only (otherwise ignored).
   */
  provisional?: boolean;
  /** A PDF's or Word file's creation date becomes its date when its text states none (default: never). */
  fileDates?: boolean;
  progress?: IngestProgress & Partial<ExtractProgress>;
  /**
   * `texts`: when nothing changed, the index is returned without its vectors (neither read nor
   * checked), for a process whose vectors live in another store; when something changed it is
   * read whole, as by default.
   */
  load?: 'whole' | 'texts';
}

export interface IngestReport {
  files: number;
  documents: number;
  passages: number;
  /** Passages whose vectors had to be computed (the rest were reused). */
  embedded: number;
  /** Texts sent to the model: new passages and new sentences. */
  textsEmbedded: number;
  reused: number;
  removed: number;
  skipped: SkippedFile[];
  warnings: { sourceId: string; message: string }[];
  /** Documents whose sentence vectors are provisional after this ingest (see `provisional`): a full ingest should follow. */
  provisional: number;
  /** True when nothing changed and the index on disk was served as it was. */
  upToDate: boolean;
  /** Why the previous index could not be used, when it could not. */
  previousIndexProblem: string | null;
  seconds: number;
}

export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 200;

/**
 * What a document looks like to the index: its bytes, its sidecar and the chunking rules, so a
 * change to any of them triggers work.
 */
function fingerprint(sourceId: string, hash: string, sidecar: string | undefined, fileDates: boolean): string {
  const content = sidecar === undefined ? hash : `${hash}+${hashBytes(sidecar)}`;
  // Text files are read as they are; other kinds also depend on the extractor's version, and on
  // whether their creation date may be their date.
  const kind = FORMAT_BY_EXTENSION[path.extname(sourceId).toLowerCase()];
  const extracted = isPlainText(kind) ? '' : `/x${String(EXTRACTION_VERSION)}${fileDates ? '/fd' : ''}`;
  return `${content}/c${String(CHUNKING_VERSION)}${extracted}`;
}

/** Reading documents: the pages of a long PDF as they are read. */
export interface ExtractProgress {
  reading(sourceId: string, done: number, total: number): void;
}

/**
 * The previous index's documents whose bytes, sidecar and chunking rules are unchanged: they keep
 * their stored passages (cutting again, token counting above all, was most of an update's time
 * on a large library).
 */
function unchangedDocuments(previous: Awaited<ReturnType<typeof loadIndexTexts>>, listed: Record<string, string>, rebuild: boolean): Map<string, StoredDocument> {
  const unchanged = new Map<string, StoredDocument>();
  if (!previous.ok || rebuild) return unchanged;
  for (const doc of previous.index.documents) {
    if (previous.index.manifest.corpus[doc.sourceId] === listed[doc.sourceId]) unchanged.set(doc.sourceId, doc);
  }
  return unchanged;
}

function sameCorpus(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * Brings the index in line with the corpus folder: new and changed files are embedded,
 * unchanged passages keep their vectors, removed files leave the index.
 */
export async function updateIndex(options: IngestOptions & { load?: 'whole' }): Promise<{ index: StoredIndex; report: IngestReport }>;
export async function updateIndex(options: IngestOptions): Promise<{ index: StoredTexts; report: IngestReport }>;
export async function updateIndex(options: IngestOptions): Promise<{ index: StoredTexts; report: IngestReport }> {
  const started = performance.now();
  const { logger } = options;
  const modelId = options.modelId ?? (await options.embedder).modelId;
  // The corpus is read while the previous index loads: both are needed before anything is decided.
  const readOptions = { maxFileBytes: options.maxFileBytes, ...options.extractLimits };
  const textsOnly = options.load === 'texts';
  const [library, loaded] = await Promise.all([listLibrary(options.corpusDir, readOptions), textsOnly ? loadIndexTexts(options.indexDir, { modelId }) : loadIndex(options.indexDir, { modelId })]);
  let previous = loaded;

  // Every listed file by fingerprint: read ones go to `corpus`, unreadable ones to `failed`.
  const listed: Record<string, string> = {};
  const fileDates = options.fileDates === true;
  for (const file of library.files) listed[file.sourceId] = fingerprint(file.sourceId, file.hash, library.sidecars.get(file.sourceId), fileDates);
  const previousFailed = previous.ok ? (previous.index.manifest.failed ?? {}) : {};
  const previousProvisional = previous.ok ? (previous.index.manifest.provisional ?? []) : [];
  const previousListed: Record<string, string> = previous.ok ? { ...previous.index.manifest.corpus } : {};
  for (const [sourceId, failure] of Object.entries(previousFailed)) previousListed[sourceId] = failure.fingerprint;

  let previousIndexProblem = previous.ok ? null : previous.reason;
  if (!previous.ok && previous.reason.startsWith('no index') === false) {
    logger.warn({ reason: previous.reason }, 'existing index unusable; rebuilding from the corpus');
  }
  const baseReport = { files: library.files.length + library.skipped.length };

  // The sentence vectors this ingest makes; an index made the other way is brought in line.
  const sentenceMode = options.sentenceVectors === 'in-context' && profileFor(modelId).pooling === 'mean' ? 'in-context' : 'separate';
  // Headers are not used with in-context sentence vectors, which read the bare passage's run.
  const contextMode = sentenceMode === 'in-context' ? 'none' : (options.passageContext ?? 'header');
  if (
    previous.ok &&
    !options.rebuild &&
    sameCorpus(previousListed, listed) &&
    (previous.index.manifest.sentenceVectors ?? 'separate') === sentenceMode &&
    (previous.index.manifest.passageContext ?? 'none') === contextMode &&
    (options.provisional === true || previousProvisional.length === 0)
  ) {
    const passages = previous.index.manifest.chunkCount;
    const skipped = [...library.skipped, ...Object.entries(previousFailed).map(([sourceId, failure]) => ({ sourceId, reason: failure.reason }))];
    for (const skip of skipped) logger.warn({ sourceId: skip.sourceId, reason: skip.reason }, 'skipped file');
    return {
      index: previous.index,
      report: {
        ...baseReport,
        skipped,
        documents: previous.index.documents.length,
        passages,
        embedded: 0,
        textsEmbedded: 0,
        reused: passages,
        removed: 0,
        provisional: previousProvisional.length,
        warnings: [],
        upToDate: true,
        previousIndexProblem: null,
        seconds: (performance.now() - started) / 1000,
      },
    };
  }
  // Something changed: unchanged passages keep their vectors, so they are read after all.
  if (previous.ok && !hasVectors(previous.index)) {
    previous = await loadGeneration(previous.index.generationDir, { modelId });
    if (!previous.ok) {
      previousIndexProblem = previous.reason;
      logger.warn({ reason: previous.reason }, 'existing index unusable; rebuilding from the corpus');
    }
  }
  const whole = previous.ok && hasVectors(previous.index) ? previous.index : null;

  const embedder = await options.embedder;
  // Sentence vectors read from their passage's run need a model that can give them.
  const inContext = sentenceMode === 'in-context' && embedder.embedPassagesInContext !== undefined;
  const keys = new VectorKeys({ passageContext: contextMode });
  // Vectors already computed: unchanged passages and sentences are never embedded again.
  const known = whole && !options.rebuild ? reusableVectors(whole, keys) : new Map<string, Float32Array>();

  const reading = options.progress?.reading;
  const unchanged = unchangedDocuments(previous, listed, options.rebuild === true);
  const { documents, skipped, failed, corpus, warnings } = await readDocuments({
    listing: library,
    listed,
    unchanged,
    previousFailed: options.rebuild ? {} : previousFailed,
    readOptions: reading ? { ...readOptions, onPage: reading } : readOptions,
    chunking: { maxPassageSize: Math.min(embedder.profile.maxTokens, 256), measure: embedder.countTokens },
    fileDates,
    fingerprint: (sourceId, hash) => fingerprint(sourceId, hash, library.sidecars.get(sourceId), fileDates),
    logger,
  });
  for (const skip of skipped) logger.warn({ sourceId: skip.sourceId, reason: skip.reason }, 'skipped file');

  // A quick add: documents new or changed now, and those still provisional from an earlier one
  // (while they are unchanged and their vectors were kept), have their sentences read in context.
  const provisional = new Set<string>();
  if (options.provisional === true && !inContext && embedder.embedPassagesInContext !== undefined) {
    const stillProvisional = new Set(whole ? previousProvisional : []);
    for (const doc of documents) {
      if (!unchanged.has(doc.sourceId) || stillProvisional.has(doc.sourceId)) provisional.add(doc.sourceId);
    }
  }
  const { passages, passageKeys, sentenceKeys, embeddedPassages, textsEmbedded } = await embedMissing(documents, keys, (doc) => inContext || provisional.has(doc.sourceId), known, embedder, options.progress);
  const sentenceCount = sentenceKeys.length;

  const vectors = createVectorIndex(embedder.dimension, passages.length, HNSW_M, HNSW_EF_CONSTRUCTION);
  passageKeys.forEach((key, label) => vectors.addPoint(Array.from(known.get(key) as Float32Array), label));
  const table = QuantizedVectors.fromVectors([...passageKeys, ...sentenceKeys].map((key) => known.get(key) as Float32Array), embedder.dimension);
  const lexical = buildLexicalIndex(passages.map((text, id) => ({ id, text })));

  const index = await saveIndex(options.indexDir, {
    manifest: {
      modelId: embedder.modelId,
      dimension: embedder.dimension,
      corpus,
      chunkCount: passages.length,
      sentenceCount,
      hnsw: { m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION },
      sentenceVectors: inContext ? 'in-context' : 'separate',
      passageContext: contextMode,
      ...(provisional.size > 0 ? { provisional: [...provisional] } : {}),
      ...(Object.keys(failed).length > 0 ? { failed } : {}),
    },
    documents,
    vectors,
    lexicalJson: JSON.stringify(lexical),
    table,
  });

  const previousIds = previous.ok ? Object.keys(previous.index.manifest.corpus) : [];
  return {
    index,
    report: {
      ...baseReport,
      skipped,
      documents: documents.length,
      passages: passages.length,
      embedded: passageKeys.filter((key) => embeddedPassages.has(key)).length,
      textsEmbedded,
      reused: passageKeys.filter((key) => !embeddedPassages.has(key)).length,
      removed: previousIds.filter((id) => !(id in corpus)).length,
      provisional: provisional.size,
      warnings,
      upToDate: false,
      previousIndexProblem,
      seconds: (performance.now() - started) / 1000,
    },
  };
}
