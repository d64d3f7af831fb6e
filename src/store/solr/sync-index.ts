import { hasVectors, loadGeneration, type StoredIndex, type StoredTexts } from '../index-store.js';
import { libraryScope, solrVector, type SolrClient, type SolrPassageDoc } from './solr-client.js';

/** Documents sent to Solr in one update request. */
const BATCH = 500;

export interface SyncReport {
  /** Documents whose passages were sent (new or changed). */
  sent: number;
  /** Documents left as they were (same fingerprint in the committed Solr index). */
  unchanged: number;
  removed: number;
  passages: number;
  sentences: number;
}

/**
 * What Solr documents hold, as part of each document's fingerprint in Solr: when it changes, every
 * document is sent again once. 2: passages carry their sentences' similarities to each other.
 */
const SOLR_FORMAT = 2;

/** A document's fingerprint as Solr holds it: the index's, and the shape of what was sent. */
const solrFingerprint = (fingerprint: string): string => `${fingerprint}/s${String(SOLR_FORMAT)}`;

/** Each sentence's similarity to the one `distance` after it, from the vector table's rows. */
function nearSimilarities(index: StoredIndex, firstRow: number, sentences: number, distance: number): number[] {
  const near: number[] = [];
  for (let i = 0; i + distance < sentences; i++) near.push(index.table.dotRows(firstRow + i, firstRow + i + distance));
  return solrVector(near);
}

// `!` is Solr's compositeId separator: a document's passages and sentences land on one shard.

/** A passage's id in Solr: its guild, its document and its place among the document's passages. */
export const solrPassageId = (sourceId: string, chunk: number, guild?: string): string => `${guild === undefined ? '' : `${guild}/`}${sourceId}!p${String(chunk)}`;

/** The index with its vectors: as given, or its generation read again whole. */
async function withVectors(index: StoredTexts): Promise<StoredIndex> {
  if (hasVectors(index)) return index;
  const loaded = await loadGeneration(index.generationDir, { modelId: index.manifest.modelId });
  if (!loaded.ok) throw new Error(`Solr needs vectors the index cannot give (${loaded.reason}); run the ingest again with --rebuild`);
  return loaded.index;
}

/**
 * Brings a Solr collection in line with an embedded index, reusing its vectors (nothing is
 * embedded again): new and changed documents are replaced whole, removed ones deleted, and one
 * commit at the end makes the change visible at once — a reader sees the previous committed
 * state until then, and a run that fails before it can simply be run again (ids are stable, so
 * resending replaces rather than duplicates). An index loaded without its vectors has them read
 * only when some document must be sent.
 */
export async function syncIndexToSolr(texts: StoredTexts, client: SolrClient, options: { guild?: string; batchSize?: number } = {}): Promise<SyncReport> {
  const batchSize = options.batchSize ?? BATCH;
  // One guild's library is synced apart from every other library in the collection.
  const scope = libraryScope(options.guild);
  const remote = await client.fingerprints(scope);
  const local = texts.manifest.corpus;
  const changed = texts.documents.filter((doc) => remote.get(doc.sourceId) !== solrFingerprint(local[doc.sourceId] as string));
  const removed = [...remote.keys()].filter((sourceId) => !(sourceId in local));
  // The vectors are read first: nothing is deleted unless what replaces it can be sent.
  const index = changed.length > 0 ? await withVectors(texts) : null;
  await client.deleteDocuments([...removed, ...changed.map((doc) => doc.sourceId).filter((id) => remote.has(id))], scope);
  if (!index) {
    await client.commit();
    return { sent: 0, unchanged: texts.documents.length, removed: removed.length, passages: 0, sentences: 0 };
  }

  // Passage labels and sentence rows follow the order of documents and chunks in the index.
  const firstLabel = new Map<string, number>();
  const firstSentence = new Map<string, number>();
  let label = 0;
  let sentence = 0;
  for (const doc of index.documents) {
    firstLabel.set(doc.sourceId, label);
    firstSentence.set(doc.sourceId, sentence);
    label += doc.chunks.length;
    sentence += doc.chunks.reduce((sum, chunk) => sum + chunk.sentences.length, 0);
  }

  let batch: SolrPassageDoc[] = [];
  const flush = async (): Promise<void> => {
    await client.add(batch);
    batch = [];
  };
  let passages = 0;
  let sentences = 0;
  for (const doc of changed) {
    const fingerprint = solrFingerprint(local[doc.sourceId] as string);
    let p = firstLabel.get(doc.sourceId) as number;
    let s = firstSentence.get(doc.sourceId) as number;
    for (const [chunkIndex, chunk] of doc.chunks.entries()) {
      const id = solrPassageId(doc.sourceId, chunkIndex, options.guild);
      const common = { doc_id: doc.sourceId, chunk: chunkIndex, paragraph: chunk.paragraph, fingerprint, ...(options.guild ? { guild: options.guild } : {}) };
      const firstRow = index.manifest.chunkCount + s;
      const near = { near1: nearSimilarities(index, firstRow, chunk.sentences.length, 1), near2: nearSimilarities(index, firstRow, chunk.sentences.length, 2) };
      batch.push({ id, type: 'passage', ...common, start: chunk.start, end: chunk.end, text: doc.text.slice(chunk.start, chunk.end), vector: solrVector(index.vectors.getPoint(p)), ...near });
      passages++;
      p++;
      for (const [i, [start, end]] of chunk.sentences.entries()) {
        batch.push({ id: `${id}s${String(i)}`, type: 'sentence', parent_id: id, sentence: i, ...common, start, end, text: doc.text.slice(start, end), vector: solrVector(index.table.row(index.manifest.chunkCount + s)) });
        sentences++;
        s++;
      }
      if (batch.length >= batchSize) await flush();
    }
  }
  await flush();
  await client.commit();
  return { sent: changed.length, unchanged: index.documents.length - changed.length, removed: removed.length, passages, sentences };
}
