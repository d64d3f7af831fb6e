import { z } from 'zod';
import { StoreUnavailableError } from '../../search/search-store.js';

/** Solr could not be reached or refused a request; the message names what failed, never a secret. */
export class SolrError extends StoreUnavailableError {
  override readonly name = 'SolrError';
}

/** One passage or sentence as Solr holds it (see solr/configset/witness/conf/schema.xml). */
export interface SolrPassageDoc {
  id: string;
  type: 'passage' | 'sentence';
  doc_id: string;
  parent_id?: string;
  chunk: number;
  sentence?: number;
  paragraph: number;
  start: number;
  end: number;
  text: string;
  fingerprint: string;
  guild?: string;
  vector: number[];
  /** For a passage: each sentence's similarity to the next one, and to the one after. */
  near1?: number[];
  near2?: number[];
}

const SelectResponse = z.object({
  response: z.object({
    numFound: z.number(),
    docs: z.array(z.record(z.string(), z.unknown())),
  }),
});

/** The system error code behind a failed fetch (ECONNREFUSED, ETIMEDOUT…), looked for down its causes. */
function networkCode(error: unknown): string {
  let current: unknown = error;
  // fetch wraps what went wrong ("TypeError: fetch failed"); the innermost cause says it.
  let innermost = '';
  for (let depth = 0; depth < 5 && current; depth++) {
    const found = current as { code?: unknown; cause?: unknown; errors?: unknown[]; name?: string; message?: unknown };
    if (typeof found.code === 'string') return found.code;
    if (found.name === 'TimeoutError') return 'timed out';
    if (typeof found.message === 'string' && found.message !== '') innermost = found.message;
    current = found.cause ?? found.errors?.[0];
  }
  return innermost || (error as Error).name;
}

/** A vector as Solr's parser takes it: plain decimals, six places, no exponents. */
export const solrVector = (vector: ArrayLike<number>): number[] => Array.from(vector, (x) => Number(x.toFixed(6)));

/** A kNN query for the `topK` passages or sentences nearest `vector`. */
const knnQuery = (vector: Float32Array, topK: number): string => `{!knn f=vector topK=${String(topK)}}${JSON.stringify(solrVector(vector))}`;

/** A value as a quoted Solr term. */
const quoteTerm = (value: string): string => `"${value.replace(/(["\\])/gu, '\\$1')}"`;

/** A filter to the documents whose `field` is one of `ids`. */
const idsFilter = (field: string, ids: string[]): string => `${field}:(${ids.map(quoteTerm).join(' OR ')})`;

/** Ids named in one request: well under Solr's default limit of 1,024 clauses in a query. */
const PASSAGES_PER_REQUEST = 200;

/** `ask` for each batch of `ids`, at once, with the hits together. */
async function inBatches(ids: string[], size: number, ask: (batch: string[]) => Promise<SolrHit[]>): Promise<SolrHit[]> {
  const batches: string[][] = [];
  for (let at = 0; at < ids.length; at += size) batches.push(ids.slice(at, at + size));
  return (await Promise.all(batches.map(ask))).flat();
}

/** The filter that keeps one guild's library (or the library of no guild) and nothing else. */
export function libraryScope(guild: string | undefined): string {
  return guild === undefined ? '(*:* -guild:[* TO *])' : `guild:${quoteTerm(guild)}`;
}

export interface SolrHit {
  id: string;
  score: number;
  fields: Record<string, unknown>;
}

export interface SolrClientOptions {
  /** A node's base address, e.g. http://127.0.0.1:8983/solr, or several nodes of one cluster. */
  baseUrl: string | string[];
  collection: string;
  timeoutMs?: number;
}

/**
 * The few calls Witness makes to Solr's JSON API: add, delete, commit and select. Any node of a
 * SolrCloud cluster routes a request to the shards' live replicas, so when the node in use stops
 * answering the next one given is asked, and kept while it answers. Every call Witness makes is
 * safe to repeat (adds replace by id, deletes and commits are idempotent).
 */
export class SolrClient {
  private readonly bases: string[];
  /** The node asked first: the last one that answered. */
  private preferred = 0;
  private readonly timeoutMs: number;

  constructor(options: SolrClientOptions) {
    const urls = Array.isArray(options.baseUrl) ? options.baseUrl : [options.baseUrl];
    if (urls.length === 0) throw new SolrError('no Solr node was given');
    this.bases = urls.map((url) => `${url.replace(/\/+$/u, '')}/${encodeURIComponent(options.collection)}`);
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    const failures: string[] = [];
    const payload = JSON.stringify(body);
    for (let attempt = 0; attempt < this.bases.length; attempt++) {
      const at = (this.preferred + attempt) % this.bases.length;
      const base = this.bases[at] as string;
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (error) {
        failures.push(`${base} (${networkCode(error)})`);
        continue;
      }
      // A node that is up but cannot reach a shard's replicas (503) may be cut off: try another.
      if (response.status === 503 && attempt < this.bases.length - 1) {
        failures.push(`${base} (HTTP 503)`);
        await response.body?.cancel();
        continue;
      }
      this.preferred = at;
      return this.read(path, response);
    }
    throw new SolrError(`Solr is unreachable at ${failures.join(', ')}`);
  }

  private async read(path: string, response: Response): Promise<unknown> {
    const text = await response.text();
    if (!response.ok) {
      const message = (/"msg"\s*:\s*"([^"]*)/u.exec(text)?.[1] ?? `HTTP ${String(response.status)}`).replace(/\[[-\d.,\sE]{200,}\]/gu, '[…]').slice(0, 500);
      throw new SolrError(`Solr refused ${path.split('?')[0] ?? path}: ${message}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new SolrError(`Solr answered ${path} with something that is not JSON`);
    }
  }

  /** Adds or replaces documents (by id); visible to readers only after `commit`. */
  async add(docs: SolrPassageDoc[]): Promise<void> {
    if (docs.length > 0) await this.post('/update?wt=json', docs);
  }

  /** Deletes every passage and sentence of the given documents (of one library: `scope`). */
  async deleteDocuments(docIds: string[], scope: string): Promise<void> {
    if (docIds.length === 0) return;
    const query = `${scope} AND doc_id:(${docIds.map(quoteTerm).join(' OR ')})`;
    await this.post('/update?wt=json', { delete: { query } });
  }

  /** Makes everything added so far visible at once (a hard commit opening a new searcher). */
  async commit(): Promise<void> {
    await this.post('/update?wt=json&commit=true&waitSearcher=true', {});
  }

  private async select(query: string, limit: number, fields: string, filters: string[] = [], params: Record<string, string> = {}): Promise<SolrHit[]> {
    const raw = await this.post('/select?wt=json', { query, limit, fields, filter: filters, params });
    const parsed = SelectResponse.safeParse(raw);
    if (!parsed.success) throw new SolrError('Solr answered a search in an unexpected shape');
    return parsed.data.response.docs.map((doc) => ({ id: String(doc.id), score: Number(doc.score ?? 0), fields: doc }));
  }

  /** The `k` passages whose vectors are nearest the query (Lucene HNSW), best first. */
  nearest(vector: Float32Array, k: number, filters: string[] = [], fields = 'id,score'): Promise<SolrHit[]> {
    return this.select(knnQuery(vector, k), k, fields, ['type:passage', ...filters]);
  }

  /** The `k` passages that best match the words (BM25), best first. */
  matching(words: string, k: number, filters: string[] = [], fields = 'id,score'): Promise<SolrHit[]> {
    return this.select(words, k, fields, ['type:passage', ...filters], { defType: 'edismax', qf: 'text', 'q.op': 'OR' });
  }

  /**
   * The given passages (Solr ids), each scored by its similarity to `vector`: a kNN search
   * filtered to them, which Lucene answers exactly (it scans a filter this small instead of
   * walking the graph). Score is (1 + cos) / 2.
   */
  passagesScored(passageIds: string[], vector: Float32Array, filters: string[] = [], fields = 'id,score'): Promise<SolrHit[]> {
    return inBatches(passageIds, PASSAGES_PER_REQUEST, (batch) => this.select(knnQuery(vector, batch.length), batch.length, fields, ['type:passage', ...filters, idsFilter('id', batch)]));
  }

  /**
   * The sentences of the given passages, each scored by its similarity to `vector`, as
   * `passagesScored`. `passages`: each passage's Solr id and how many sentences it has.
   */
  sentencesOf(passages: Map<string, number>, vector: Float32Array, filters: string[] = [], fields = 'id,parent_id,sentence,start,end,score'): Promise<SolrHit[]> {
    return inBatches([...passages.keys()], PASSAGES_PER_REQUEST, (batch) => {
      // All of their sentences (at least 1: a search must ask for something).
      const most = Math.max(1, batch.reduce((sum, id) => sum + (passages.get(id) ?? 0), 0));
      return this.select(knnQuery(vector, most), most, fields, ['type:sentence', ...filters, idsFilter('parent_id', batch)]);
    });
  }

  /** How many passages the committed index holds within the filters. */
  async count(filters: string[]): Promise<number> {
    const raw = await this.post('/select?wt=json', { query: 'type:passage', filter: filters, limit: 0 });
    const parsed = SelectResponse.safeParse(raw);
    if (!parsed.success) throw new SolrError('Solr answered a search in an unexpected shape');
    return parsed.data.response.numFound;
  }

  /** Each document's fingerprint as the committed index holds it, for one library (`scope`). */
  async fingerprints(scope: string): Promise<Map<string, string>> {
    const raw = await this.post('/select?wt=json', { query: 'type:passage AND chunk:0', filter: [scope], limit: 1_000_000, fields: 'doc_id,fingerprint' });
    const parsed = SelectResponse.safeParse(raw);
    if (!parsed.success) throw new SolrError('Solr answered a search in an unexpected shape');
    return new Map(parsed.data.response.docs.map((doc) => [String(doc.doc_id), String(doc.fingerprint)]));
  }
}
