import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadEmbedder, type Embedder } from '../../src/embed/embedder.js';
import { updateIndex } from '../../src/ingest/update-index.js';
import { openEmbedded, type EmbeddedStore } from '../../src/store/embedded-store.js';
import type { Library } from '../../src/search/library.js';
import { SolrStore } from '../../src/store/solr/solr-store.js';
import { libraryScope, SolrClient, SolrError } from '../../src/store/solr/solr-client.js';
import { syncIndexToSolr } from '../../src/store/solr/sync-index.js';
import { hasVectors, loadIndexTexts, type StoredIndex } from '../../src/store/index-store.js';
import { sampleWorkspace } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { solrAvailable, SOLR_JAR, startSolrCluster, type SolrCluster } from '../helpers/solr-cluster.js';

/**
 * The first part of the Solr backend (issue 12) against a real 2-node SolrCloud, 2 shards × 2
 * replicas (solr/cluster, started from the Maven jars): the embedded index is sent to Solr with
 * its vectors, incrementally, and Solr's HNSW finds the same nearest passages. .ci/run builds
 * the launcher; without Java and the built jar these tests are skipped and say so.
 */
const MODEL = 'Xenova/e5-small-v2';
let cluster: SolrCluster;
let embedder: Embedder;
let index: StoredIndex;
let library: Library;
let embedded: EmbeddedStore;
let sampleWorkspaceIndexDir: string;
const logger = pino({ level: 'silent' });

describe.skipIf(!solrAvailable)(`the Solr store (needs ${path.relative(PROJECT_ROOT, SOLR_JAR)})`, () => {
  beforeAll(async () => {
    [cluster, embedder] = await Promise.all([startSolrCluster(), loadEmbedder({ modelId: MODEL, modelDir: path.join(PROJECT_ROOT, 'models'), allowRemoteModels: false })]);
    const workspace = sampleWorkspace();
    sampleWorkspaceIndexDir = workspace.indexDir;
    ({ index } = await updateIndex({ ...workspace, maxFileBytes: 10_000_000, embedder, logger }));
    ({ library, store: embedded } = openEmbedded(index));
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    await embedder?.dispose();
  });

  const client = (node = 0): SolrClient => new SolrClient({ baseUrl: cluster.nodes[node] as string, collection: cluster.collection });

  it('sends every passage and sentence with its vector once, and nothing again while nothing changed', async () => {
    const first = await syncIndexToSolr(index, client());
    expect(first).toMatchObject({ sent: 5, unchanged: 0, removed: 0, passages: library.passages.length });
    expect(first.sentences).toBe(index.manifest.sentenceCount);
    const again = await syncIndexToSolr(index, client());
    expect(again).toMatchObject({ sent: 0, unchanged: 5, passages: 0 });
  });

  it('finds the same nearest passages as the embedded index, and every stored passage is the exact slice', async () => {
    for (const question of ['Who published the photos of torture in Mosul?', 'Which town near the Syrian border did the rebels capture?', 'What did Amnesty International say about revenge attacks?']) {
      const [vector] = await embedder.embedQueries([question]);
      const knn = embedded.vectors.searchKnn(Array.from(vector as Float32Array), 10);
      const local = knn.neighbors.map((id) => library.passages[id]);
      const hits = await client(1).nearest(vector as Float32Array, 10, [], 'id,score,doc_id,start,end,text');
      const fromSolr = hits.map((hit) => `${String(hit.fields.doc_id)}@${String(hit.fields.start)}`);
      const expected = local.map((p) => `${p?.document.sourceId ?? ''}@${String(p?.chunk.start)}`);
      // The nearest first, the local top five among Solr's ten, and every one of Solr's ten as
      // close as the local tenth: near ties at the bottom may swap (vectors go to Solr with six
      // decimals; both HNSW searches are approximate; passages embedded with their document's
      // header lie closer together, so ties are more common).
      expect(fromSolr[0]).toBe(expected[0]);
      expect(fromSolr).toEqual(expect.arrayContaining(expected.slice(0, 5)));
      const byPlace = new Map(library.passages.map((p) => [`${p.document.sourceId}@${String(p.chunk.start)}`, p.id]));
      const similarity = (id: number): number => embedded.vectors.getPoint(id).reduce((sum, v, i) => sum + v * ((vector as Float32Array)[i] as number), 0);
      const tenth = 1 - Math.max(...knn.distances);
      for (const place of fromSolr) expect(similarity(byPlace.get(place) as number)).toBeGreaterThan(tenth - 0.003);
      for (const hit of hits) {
        const doc = library.document(String(hit.fields.doc_id));
        expect(doc?.text.slice(Number(hit.fields.start), Number(hit.fields.end))).toBe(hit.fields.text);
      }
    }
  });

  it('syncs from an index read without its vectors, reading them only when a document must be sent', async () => {
    const texts = await loadIndexTexts(sampleWorkspaceIndexDir, { modelId: MODEL });
    if (!texts.ok) throw new Error(texts.reason);
    expect(hasVectors(texts.index)).toBe(false);
    expect(await syncIndexToSolr(texts.index, client(), { guild: 'guild-texts' })).toMatchObject({ sent: 5, passages: library.passages.length });
    expect(await syncIndexToSolr(texts.index, client(), { guild: 'guild-texts' })).toMatchObject({ sent: 0, unchanged: 5 });
  });

  it('gives ranking the similarities the embedded store gives, so this process needs no vector of its own', async () => {
    const solr = new SolrStore(client(1), library);
    for (const question of ['Who published the photos of torture in Mosul?', 'How many civilians were killed?']) {
      const [vector] = (await embedder.embedQueries([question])) as [Float32Array];
      // The candidates of a question: the embedded store's nearest and best-matching passages.
      const ids = new Set([...(await embedded.nearest(vector, 20)), ...(await embedded.matching(question, 20))].map((hit) => hit.id));
      const passages = [...ids].map((id) => library.passages[id]).filter((p) => p !== undefined);
      expect(passages.length).toBeGreaterThan(20);
      const [here, there] = await Promise.all([embedded.similarities(passages, vector), solr.similarities(passages, vector)]);
      // The int8 table against Solr's float vectors: a few thousandths apart at most.
      for (const passage of passages) {
        expect(Math.abs(there.passage(passage.id) - here.passage(passage.id))).toBeLessThan(0.005);
        passage.chunk.sentences.forEach((_, i) => expect(Math.abs(there.sentence(passage.id, i) - here.sentence(passage.id, i))).toBeLessThan(0.005));
      }
      // Sentences one and two apart (within a quote window): the very numbers of the int8 table, stored with the passage.
      const long = passages.filter((p) => p.chunk.sentences.length > 2);
      expect(long.length).toBeGreaterThan(0);
      for (const passage of long) {
        for (const [a, b] of [[0, 1], [1, 0], [1, 2], [0, 2], [2, 0]] as const) expect(there.pair(passage.id, a, b)).toBeCloseTo(here.pair(passage.id, a, b), 5);
      }
      // The nearest passages come back as the library's own passages.
      expect((await solr.nearest(vector, 5)).map((hit) => hit.id)[0]).toBe((await embedded.nearest(vector, 5))[0]?.id);
    }
  });

  it('keeps each guild’s library apart: a search scoped to one guild never returns another’s passage, and syncing one leaves the others', async () => {
    const other = sampleWorkspace();
    rmSync(other.corpusDir, { recursive: true });
    mkdirSync(other.corpusDir);
    writeFileSync(path.join(other.corpusDir, 'harbour.txt'), 'Harbour Report\n\nThe lighthouse keeper counted forty-two fishing boats returning to the harbour before the storm.\n\nSoldiers in Mosul were accused of torture, the harbour gazette reprinted.\n');
    const { index: harbour } = await updateIndex({ ...other, maxFileBytes: 10_000_000, embedder, logger });
    expect(await syncIndexToSolr(index, client(), { guild: 'guild-a' })).toMatchObject({ sent: 5 });
    expect(await syncIndexToSolr(harbour, client(), { guild: 'guild-b' })).toMatchObject({ sent: 1, removed: 0 });
    // Syncing guild B removed nothing of guild A, nor of the library of no guild synced above.
    expect(await syncIndexToSolr(index, client(), { guild: 'guild-a' })).toMatchObject({ sent: 0, unchanged: 5, removed: 0 });
    expect(await syncIndexToSolr(index, client())).toMatchObject({ sent: 0, unchanged: 5, removed: 0 });
    for (const question of ['Were soldiers in Mosul accused of torture?', 'How many fishing boats returned?']) {
      const [vector] = await embedder.embedQueries([question]);
      for (const [guild, allowed] of [['guild-a', /^0\d\d_/u], ['guild-b', /^harbour\.txt$/u]] as const) {
        const scope = [libraryScope(guild)];
        const hits = [...(await client().nearest(vector as Float32Array, 50, scope, 'id,doc_id,guild')), ...(await client().matching(question, 50, scope, 'id,doc_id,guild'))];
        expect(hits.length).toBeGreaterThan(0);
        for (const hit of hits) {
          expect(hit.fields.guild).toBe(guild);
          expect(String(hit.fields.doc_id)).toMatch(allowed);
        }
      }
    }
  });

  it('shows readers the last committed state while an ingest is under way', async () => {
    const [vector] = await embedder.embedQueries(['A lighthouse keeper counting boats before the storm']);
    const scope = [libraryScope('guild-during-ingest')];
    const doc = { id: 'guild-during-ingest/new.txt!p0', type: 'passage' as const, doc_id: 'new.txt', chunk: 0, paragraph: 1, start: 0, end: 20, text: 'A lighthouse keeper counted boats.', fingerprint: 'x', guild: 'guild-during-ingest', vector: Array.from(vector as Float32Array, (x) => Number(x.toFixed(6))) };
    await client().add([doc]);
    // Added but not committed: no reader on any node sees it.
    expect(await client(0).nearest(vector as Float32Array, 5, scope)).toEqual([]);
    expect(await client(1).matching('lighthouse keeper', 5, scope)).toEqual([]);
    await client().commit();
    expect((await client(1).nearest(vector as Float32Array, 5, scope)).map((hit) => hit.id)).toEqual([doc.id]);
  });

  it('an ingest cut off half way shows nothing of it, and running it again finishes it; a node down during ingest loses nothing', async () => {
    const scope = libraryScope('guild-resume');
    const passages = (node: number): Promise<number> => client(node).count([scope]);
    // The process dies after its first batch: nothing was committed, so nothing is visible.
    class DiesAfterOneBatch extends SolrClient {
      private batches = 0;
      override async add(docs: Parameters<SolrClient['add']>[0]): Promise<void> {
        if (++this.batches > 1) throw new Error('killed');
        await super.add(docs);
      }
    }
    const dying = new DiesAfterOneBatch({ baseUrl: cluster.nodes[0] as string, collection: cluster.collection });
    await expect(syncIndexToSolr(index, dying, { guild: 'guild-resume', batchSize: 50 })).rejects.toThrow('killed');
    expect(await passages(0)).toBe(0);
    // With a node stopped, the run again completes on the replicas that are up.
    expect(await cluster.command('stop-node 1')).toMatchObject({ ok: true });
    expect(await syncIndexToSolr(index, client(0), { guild: 'guild-resume', batchSize: 50 })).toMatchObject({ sent: 5, passages: library.passages.length });
    const visible = await passages(0);
    expect(visible).toBe(library.passages.length);
    // The node comes back, recovers, and serves everything that was committed while it was down.
    expect(await cluster.command('start-node 1')).toMatchObject({ ok: true });
    expect(await passages(1)).toBe(visible);
    expect(await syncIndexToSolr(index, client(1), { guild: 'guild-resume' })).toMatchObject({ sent: 0, unchanged: 5 });
  }, 180_000);

  it('answers through the CLI with WITNESS_STORE=solr exactly as the embedded store does, and says plainly when Solr is down', () => {
    const workspace = sampleWorkspace();
    const question = 'Which strategic town near the Syrian border did the rebels capture?';
    const embedded = runCli(['ask', '--corpus', workspace.corpusDir, '--index', workspace.indexDir, '--json', question]);
    const solr = runCli(['ask', '--corpus', workspace.corpusDir, '--index', workspace.indexDir, '--json', question], { env: { WITNESS_STORE: 'solr', WITNESS_SOLR_URL: cluster.nodes[0] as string } });
    expect(solr.status, solr.stderr).toBe(0);
    const first = (run: { stdout: string }): unknown => (JSON.parse(run.stdout) as { results: { sourceId: string; start: number; quote: string }[] }).results.map((r) => [r.sourceId, r.start, r.quote]);
    expect(first(solr)).toEqual(first(embedded));
    expect(JSON.stringify(first(solr))).toContain('Tal Afar');
    const down = runCli(['ask', '--corpus', workspace.corpusDir, '--index', workspace.indexDir, question], { env: { WITNESS_STORE: 'solr', WITNESS_SOLR_URL: 'http://127.0.0.1:59999/solr' } });
    expect(down.status).toBe(1);
    expect(down.stderr.trim()).toMatch(/^error: Solr is unreachable at http:\/\/127\.0\.0\.1:59999\/solr\/witness \(ECONNREFUSED\)$/mu);
    expect(down.stderr).not.toMatch(/\bat .*\.ts:\d+/u);
  }, 180_000);

  it('keeps answering from the replicas when a node dies, and says plainly when Solr is unreachable', async () => {
    const [vector] = await embedder.embedQueries(['Who published the photos of torture in Mosul?']);
    // One library (the guild tests above added copies of the same passages), compared by
    // similarity: the corpus repeats paragraphs, and replicas may order (and cut) such ties differently.
    const nearest = async (): Promise<string[]> => (await client(0).nearest(vector as Float32Array, 5, [libraryScope(undefined)])).map((hit) => hit.score.toFixed(5));
    const before = await nearest();
    expect(await cluster.command('stop-node 1')).toMatchObject({ ok: true });
    expect(await nearest()).toEqual(before);
    await expect(client(1).nearest(vector as Float32Array, 5)).rejects.toThrow(SolrError);
    await expect(client(1).nearest(vector as Float32Array, 5)).rejects.toThrow(/^Solr is unreachable at http:\/\/127\.0\.0\.1:\d+\/solr\/witness/u);
    expect(await cluster.command('start-node 1')).toMatchObject({ ok: true });
  }, 120_000);
});
