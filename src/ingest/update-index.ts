import type { Embedder, PassageVectors } from '../embed/common.js';
import type { Logger } from '../log.js';
import { profileFor } from '../embed/model-profiles.js';
import { hashBytes, listLibrary, readDocument } from '../library/read-library.js';
import { EXTRACTION_VERSION, type ExtractLimits } from '../extract/types.js';
import { FORMAT_BY_EXTENSION } from '../extract/detect-format.js';
import path from 'node:path';
import { prepareDocument } from '../library/prepare-document.js';
import { textToEmbed } from '../library/passage-header.js';
import { CHUNKING_VERSION } from '../library/parse-document.js';
import type { SkippedFile } from '../library/types.js';
import { buildLexicalIndex } from '../search/lexical-index.js';
import type { StoredDocument } from '../store/index-format.js';
import { createVectorIndex, hasVectors, loadGeneration, loadIndex, loadIndexTexts, saveIndex, type StoredIndex, type StoredTexts } from '../store/index-store.js';
import { QuantizedVectors } from '../store/quantized-vectors.js';

export interface IngestProgress {
  start(total: number): void;
  update(done: number): void;
  stop(): void;
}

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
function fingerprint(sourceId: string, hash: string, sidecar: string | undefined): string {
  const content = sidecar === undefined ? hash : `${hash}+${hashBytes(sidecar)}`;
  // Text files are read as they are; other kinds also depend on the extractor's version.
  const kind = FORMAT_BY_EXTENSION[path.extname(sourceId).toLowerCase()];
  const extracted = kind === 'text' || kind === 'markdown' ? '' : `/x${String(EXTRACTION_VERSION)}`;
  return `${content}/c${String(CHUNKING_VERSION)}${extracted}`;
}

/** Reading documents: the pages of a long PDF as they are read. */
export interface ExtractProgress {
  reading(sourceId: string, done: number, total: number): void;
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
  for (const file of library.files) listed[file.sourceId] = fingerprint(file.sourceId, file.hash, library.sidecars.get(file.sourceId));
  const previousFailed = previous.ok ? (previous.index.manifest.failed ?? {}) : {};
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
    (previous.index.manifest.passageContext ?? 'none') === contextMode
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
  // Sentence vectors read from their passage's run (mean-pooling models) are keyed by the
  // passage's text and the sentence's place in it; sentences run on their own, by their text.
  const inContext = sentenceMode === 'in-context' && embedder.embedPassagesInContext !== undefined;
  const sentenceKey = (passageKey: string, index: number, text: string): string => (inContext ? `${passageKey}#${String(index)}` : hashBytes(text));
  // A passage's vector is computed from it with its document's context (passage-header.ts);
  // in-context sentence vectors are read from the passage's own run, so that mode embeds the bare passage.
  const embeddingText = (doc: StoredDocument, chunk: { start: number; end: number }, mode: 'header' | 'none' = contextMode): string => {
    const passage = doc.text.slice(chunk.start, chunk.end);
    return mode === 'header' ? textToEmbed(doc.meta, doc.sections, chunk.start, passage) : passage;
  };

  // Vectors already computed: unchanged passages and sentences are never embedded again.
  const known = new Map<string, Float32Array>();
  if (whole && !options.rebuild) {
    const { documents: oldDocuments, vectors: oldVectors, table, manifest } = whole;
    const sameSentences = (manifest.sentenceVectors ?? 'separate') === sentenceMode;
    let label = 0;
    let sentence = 0;
    for (const doc of oldDocuments) {
      for (const chunk of doc.chunks) {
        // Keyed by the text it was embedded from, so a vector made without a header is not reused for one with it.
        const passageKey = hashBytes(embeddingText(doc, chunk, manifest.passageContext ?? 'none'));
        known.set(passageKey, Float32Array.from(oldVectors.getPoint(label)));
        label++;
        chunk.sentences.forEach(([start, end], i) => {
          if (sameSentences) known.set(sentenceKey(passageKey, i, doc.text.slice(start, end)), table.row(manifest.chunkCount + sentence));
          sentence++;
        });
      }
    }
  }

  const warnings: { sourceId: string; message: string }[] = [];
  const warn = (sourceId: string, message: string): void => {
    warnings.push({ sourceId, message });
    logger.warn({ sourceId, problem: message }, 'document warning');
  };
  // The same bytes under two names are both kept; say so, since answers will cite one as corroborating the other.
  const firstWithHash = new Map<string, string>();
  for (const file of library.files) {
    const first = firstWithHash.get(file.hash);
    if (first === undefined) firstWithHash.set(file.hash, file.sourceId);
    else warn(file.sourceId, `same content as ${first}`);
  }
  const documents: StoredDocument[] = [];
  const skipped = [...library.skipped];
  const failed: Record<string, { fingerprint: string; reason: string }> = {};
  const corpus: Record<string, string> = {};
  const chunkOptions = { maxPassageSize: Math.min(embedder.profile.maxTokens, 256), measure: embedder.countTokens };
  // A document whose bytes, sidecar and chunking rules are unchanged keeps its stored passages:
  // cutting it again (token counting above all) was most of an update's time on a large library.
  const unchanged = new Map<string, StoredDocument>();
  if (previous.ok && !options.rebuild) {
    for (const doc of previous.index.documents) {
      if (previous.index.manifest.corpus[doc.sourceId] === listed[doc.sourceId]) unchanged.set(doc.sourceId, doc);
    }
  }
  for (const file of library.files) {
    const sourceId = file.sourceId;
    // The fingerprint covers the content hash, so an unchanged fingerprint is the same bytes.
    const kept = unchanged.get(sourceId);
    if (kept) {
      documents.push(kept);
      corpus[sourceId] = listed[sourceId] as string;
      continue;
    }
    const knownFailure = options.rebuild ? undefined : previousFailed[sourceId];
    if (knownFailure && knownFailure.fingerprint === listed[sourceId]) {
      skipped.push({ sourceId, reason: knownFailure.reason });
      failed[sourceId] = knownFailure;
      continue;
    }
    const reading = options.progress?.reading;
    const result = await readDocument(file, reading ? { ...readOptions, onPage: reading } : readOptions);
    if ('skipped' in result) {
      skipped.push(result.skipped);
      failed[sourceId] = { fingerprint: listed[sourceId] as string, reason: result.skipped.reason };
      continue;
    }
    const source = result.document;
    // The bytes read may differ from the bytes listed if the file changed in between.
    corpus[sourceId] = fingerprint(sourceId, source.hash, library.sidecars.get(sourceId));
    for (const message of result.warnings) warn(sourceId, message);
    const prepared = prepareDocument(source, library.sidecars.get(sourceId), chunkOptions);
    for (const message of prepared.warnings) warn(sourceId, message);
    const { meta, chunks } = prepared.document;
    const stored: StoredDocument = {
      sourceId,
      hash: source.hash,
      text: source.text,
      meta,
      chunks: chunks.map((chunk) => ({
        paragraph: chunk.paragraph,
        start: chunk.start,
        end: chunk.end,
        sentences: chunk.sentences.map((s) => [s.start, s.end] as [number, number]),
        signals: chunk.signals,
      })),
    };
    if (source.format) stored.format = source.format;
    if (source.pages) stored.pages = source.pages;
    if (source.sections) stored.sections = source.sections.map((section) => [section.start, section.level, section.title] as [number, number, string]);
    documents.push(stored);
  }
  for (const skip of skipped) logger.warn({ sourceId: skip.sourceId, reason: skip.reason }, 'skipped file');

  const passages = documents.flatMap((doc) => doc.chunks.map((chunk) => doc.text.slice(chunk.start, chunk.end)));
  const sentencesOf = documents.flatMap((doc) => doc.chunks.map((chunk) => chunk.sentences.map(([start, end]) => doc.text.slice(start, end))));
  const embeddedTexts = documents.flatMap((doc) => doc.chunks.map((chunk) => embeddingText(doc, chunk)));
  const passageKeys = embeddedTexts.map((text) => hashBytes(text));
  const sentenceKeys = sentencesOf.flatMap((texts, p) => texts.map((text, i) => sentenceKey(passageKeys[p] as string, i, text)));
  const sentenceCount = sentenceKeys.length;
  let textsEmbedded = 0;
  const embeddedPassages = new Set<string>();
  if (inContext) {
    // One run per passage whose vector or any of whose sentences' vectors is missing.
    const todo = new Map<string, { text: string; sentences: string[] }>();
    passageKeys.forEach((key, p) => {
      const sentences = sentencesOf[p] as string[];
      if (!known.has(key) || sentences.some((text, i) => !known.has(sentenceKey(key, i, text)))) todo.set(key, { text: passages[p] as string, sentences });
    });
    if (todo.size > 0) {
      options.progress?.start(todo.size);
      const vectors = await (embedder.embedPassagesInContext as NonNullable<typeof embedder.embedPassagesInContext>)([...todo.values()], (done) => options.progress?.update(done));
      options.progress?.stop();
      [...todo.keys()].forEach((key, n) => {
        const result = vectors[n] as PassageVectors;
        known.set(key, result.passage);
        result.sentences.forEach((vector, i) => known.set(sentenceKey(key, i, ''), vector));
        embeddedPassages.add(key);
      });
      textsEmbedded = todo.size;
    }
  } else {
    const sentences = sentencesOf.flat();
    const textByKey = new Map<string, string>();
    passageKeys.forEach((key, i) => textByKey.set(key, embeddedTexts[i] as string));
    sentenceKeys.forEach((key, i) => textByKey.set(key, sentences[i] as string));
    // A one-sentence passage and its sentence are the same text: embedded once.
    const missing = [...textByKey.keys()].filter((key) => !known.has(key));
    if (missing.length > 0) {
      options.progress?.start(missing.length);
      const vectors = await embedder.embedPassages(
        missing.map((key) => textByKey.get(key) as string),
        (done) => options.progress?.update(done),
      );
      options.progress?.stop();
      missing.forEach((key, i) => known.set(key, vectors[i] as Float32Array));
      for (const key of missing) embeddedPassages.add(key);
    }
    textsEmbedded = missing.length;
  }

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
      warnings,
      upToDate: false,
      previousIndexProblem,
      seconds: (performance.now() - started) / 1000,
    },
  };
}
