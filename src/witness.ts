import { ConfigError, type CoreConfig } from './config.js';
import { hasVectors, type StoredTexts } from './store/index-store.js';
import { StoreUnavailableError, type SearchStore } from './search/search-store.js';
import { openEmbedded } from './store/embedded-store.js';
import { loadLexicalIndex } from './search/lexical-index.js';
import { Vocabulary } from './search/vocabulary.js';
import { RANK_WEIGHTS } from './search/rerank.js';
import { embedderOptions, loadEmbedder, type Embedder } from './embed/embedder.js';
import { updateIndex, type IngestProgress, type IngestReport } from './ingest/update-index.js';
import type { Logger } from './log.js';
import { Answerer } from './search/ask.js';
import { Library } from './search/library.js';

export interface Witness {
  answerer: Answerer;
  library: Library;
  embedder: Embedder;
  report: IngestReport;
}

export interface OpenOptions {
  rebuild?: boolean;
  progress?: IngestProgress;
  /**
   * The model, already loading (loadEmbedder(embedderOptions(config))): a front door can start it
   * before importing the rest of Witness, so the two overlap.
   */
  model?: Promise<Embedder>;
  /**
   * With the Solr store: the server whose library this is. Its passages share the one collection,
   * and every read and write is scoped to it (libraryScope); without it, the base library's.
   */
  guild?: string;
  /**
   * New documents answerable sooner, their sentence vectors provisional (update-index.ts); a
   * later refresh without it completes them. The embedded store only (Solr syncs a document once
   * per fingerprint).
   */
  provisional?: boolean;
}

/** Brings the index up to date with the corpus and builds an answerer over it, reusing a loaded model. */
async function buildWitness(model: Embedder | Promise<Embedder>, config: CoreConfig, logger: Logger, options: OpenOptions): Promise<Witness> {
  // The index is read and checked while the model is still loading. With Solr holding the
  // vectors they are read only if something changed (to be reused, and sent).
  const { index, report } = await updateIndex({
    load: config.store === 'solr' ? 'texts' : 'whole',
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    maxFileBytes: config.maxFileBytes,
    extractLimits: { maxPages: config.maxPages, maxSeconds: config.extractSeconds, ocrMaxPages: config.ocrMaxPages, ocrPageSeconds: config.ocrPageSeconds },
    modelId: config.modelId,
    embedder: model,
    logger,
    rebuild: options.rebuild ?? false,
    sentenceVectors: config.sentenceVectors,
    passageContext: config.passageContext,
    fileDates: config.fileDates,
    provisional: options.provisional === true && config.store !== 'solr',
    ...(options.progress ? { progress: options.progress } : {}),
  });
  const libraryOptions = config.libraryUrl ? { libraryUrl: config.libraryUrl } : {};
  let library: Library;
  let store: SearchStore;
  if (config.store === 'solr') {
    // Only the texts and the word statistics stay here; the vectors and postings are left to Solr.
    library = new Library(index.documents, Vocabulary.of(loadLexicalIndex(index.lexicalJson)), libraryOptions);
    store = await solrStore(config, index, library, logger, options.guild);
  } else if (hasVectors(index)) {
    ({ library, store } = openEmbedded(index, libraryOptions));
  } else {
    throw new Error('the index was read without its vectors, which the embedded store needs');
  }
  const embedder = await model;
  const minSimilarity = config.minScore ?? embedder.profile.minSimilarity;
  const answerer = new Answerer(library, store, embedder, { minSimilarity }, RANK_WEIGHTS);
  logger.debug({ documents: report.documents, passages: report.passages, embedded: report.embedded, seconds: report.seconds }, 'library ready');
  return { answerer, library, embedder, report };
}

/**
 * Brings the Solr collection in step with the index (only changed documents are sent) and
 * searches it. Solr being unreachable does not stop Witness from starting: it is logged, and each
 * question tries again (syncing first), so the bot answers once Solr is back and says plainly
 * that it cannot search until then. The index's vectors and postings are let go once Solr holds
 * them.
 */
async function solrStore(config: CoreConfig, index: StoredTexts, library: Library, logger: Logger, guild: string | undefined): Promise<SearchStore> {
  if (!config.solrUrl) throw new ConfigError('WITNESS_STORE=solr needs WITNESS_SOLR_URL (Solr nodes, comma-separated, e.g. http://127.0.0.1:8983/solr)');
  const { SolrClient } = await import('./store/solr/solr-client.js');
  const { syncIndexToSolr } = await import('./store/solr/sync-index.js');
  const { SolrStore } = await import('./store/solr/solr-store.js');
  const client = new SolrClient({ baseUrl: config.solrUrl, collection: config.solrCollection });
  let unsynced: StoredTexts | null = index;
  let inStep: Promise<void> | null = null;
  const sync = (): Promise<void> => {
    inStep ??= syncIndexToSolr(unsynced as StoredTexts, client, guild === undefined ? {} : { guild }).then(
      (report) => {
        unsynced = null;
        logger.info({ store: 'solr', collection: config.solrCollection, ...report }, 'solr collection in step with the index');
      },
      (error: unknown) => {
        inStep = null;
        throw error;
      },
    );
    return inStep;
  };
  try {
    await sync();
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    logger.error({ store: 'solr', problem: error.message }, 'solr is not answering: questions cannot be searched until it does');
  }
  return new SolrStore(client, library, { beforeSearch: sync, ...(guild === undefined ? {} : { guild }) });
}

/** Loads the model, brings the index up to date with the corpus, and returns a ready answerer. */
export async function openWitness(config: CoreConfig, logger: Logger, options: OpenOptions = {}): Promise<Witness> {
  // The model loads in a worker thread while the index is read and checked here.
  const embedder = options.model ?? loadEmbedder(embedderOptions(config));
  // A failed index read must not leave the model load's rejection unobserved.
  embedder.catch(() => undefined);
  return buildWitness(embedder, config, logger, options);
}

/** A fresh Witness after the corpus changed: only new or changed text is embedded, the model is reused. */
export function refreshWitness(witness: Witness, config: CoreConfig, logger: Logger, options: Pick<OpenOptions, 'progress' | 'guild' | 'provisional'> = {}): Promise<Witness> {
  return buildWitness(witness.embedder, config, logger, options);
}
