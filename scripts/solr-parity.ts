// Do Solr's candidates match the embedded index's? Syncs an embedded index into a Solr collection
// (vectors reused, nothing embedded again), then for each question of a set compares the 50
// nearest passages (HNSW in hnswlib against Lucene's HNSW in Solr) and the 50 best BM25 matches
// (Witness's BM25 against Solr's), and checks whether the embedded answer's first passage is
// among Solr's candidates — the passages a Solr-backed ranking would have to choose from. It also
// times what a Solr-backed ranking reads per question besides (SolrStore.similarities: every
// candidate's and each of its sentences' similarity, computed by Solr) and compares those
// similarities with the embedded int8 table's.
//
//   java -jar solr/cluster/target/witness-solr-cluster.jar …   (solr/README.md; prints the node URLs)
//   npx tsx scripts/solr-parity.ts --set eval/qa-dev.jsonl --solr http://127.0.0.1:PORT/solr [--corpus DIR --index DIR]
import { Command } from 'commander';
import { loadCoreConfig } from '../src/config.js';
import { readEvalSet } from '../src/eval/eval-set.js';
import { createLogger } from '../src/log.js';
import { openEmbedded } from '../src/store/embedded-store.js';
import type { Passage } from '../src/search/library.js';
import { CANDIDATE_DEPTH } from '../src/search/retrieve.js';
import { SolrClient } from '../src/store/solr/solr-client.js';
import { SolrStore } from '../src/store/solr/solr-store.js';
import { syncIndexToSolr } from '../src/store/solr/sync-index.js';
import { loadIndex } from '../src/store/index-store.js';
import { openWitness } from '../src/witness.js';

const program = new Command()
  .requiredOption('--set <file>', 'question set (JSONL)')
  .requiredOption('--solr <url>', 'a Solr node, e.g. http://127.0.0.1:8983/solr')
  .option('--collection <name>', 'collection', 'witness')
  .option('--corpus <dir>')
  .option('--index <dir>')
  .parse();
const flags = program.opts<{ set: string; solr: string; collection: string; corpus?: string; index?: string }>();

const config = loadCoreConfig({ corpusDir: flags.corpus, indexDir: flags.index });
const witness = await openWitness(config, createLogger('error'));
const loaded = await loadIndex(config.indexDir, { modelId: witness.embedder.modelId });
if (!loaded.ok) throw new Error(loaded.reason);
const client = new SolrClient({ baseUrl: flags.solr, collection: flags.collection, timeoutMs: 120_000 });
const started = performance.now();
const sync = await syncIndexToSolr(loaded.index, client);
const syncSeconds = (performance.now() - started) / 1000;

const { library, store: embedded } = openEmbedded(loaded.index);
const solr = new SolrStore(client, library);
const overlap = (a: number[], b: number[], k: number): number => {
  const top = new Set(a.slice(0, k));
  return b.slice(0, k).filter((id) => top.has(id)).length / Math.max(1, Math.min(k, a.length));
};

const questions = await readEvalSet(flags.set);
const sums = { dense10: 0, dense50: 0, lexical10: 0, lexical50: 0, reachable: 0, answered: 0 };
const solrMs: number[] = [];
const hydrateMs: number[] = [];
const hydrated = { passages: 0, sentences: 0, maxSentenceDiff: 0, sumSentenceDiff: 0 };
const ids = (hits: { id: number }[]): number[] => hits.map((hit) => hit.id);
for (const question of questions) {
  const [vector] = await witness.embedder.embedQueries([question.question]);
  const query = vector as Float32Array;
  const local = ids(await embedded.nearest(query, CANDIDATE_DEPTH));
  const lexical = ids(await embedded.matching(question.question, CANDIDATE_DEPTH));
  const t0 = performance.now();
  const [nearest, matching] = await Promise.all([solr.nearest(query, CANDIDATE_DEPTH), solr.matching(question.question, CANDIDATE_DEPTH)]);
  solrMs.push(performance.now() - t0);
  const solrDense = ids(nearest);
  const solrLexical = ids(matching);
  const pool = [...new Set([...solrDense, ...solrLexical])].map((id) => library.passages[id]).filter((p): p is Passage => p !== undefined);
  const t1 = performance.now();
  const fromSolr = await solr.similarities(pool, query);
  hydrateMs.push(performance.now() - t1);
  const fromTable = await embedded.similarities(pool, query);
  hydrated.passages += pool.length;
  for (const passage of pool) {
    passage.chunk.sentences.forEach((_, i) => {
      const diff = Math.abs(fromSolr.sentence(passage.id, i) - fromTable.sentence(passage.id, i));
      hydrated.maxSentenceDiff = Math.max(hydrated.maxSentenceDiff, diff);
      hydrated.sumSentenceDiff += diff;
      hydrated.sentences++;
    });
  }
  sums.dense10 += overlap(local, solrDense, 10);
  sums.dense50 += overlap(local, solrDense, 50);
  sums.lexical10 += overlap(lexical, solrLexical, 10);
  sums.lexical50 += overlap(lexical, solrLexical, 50);
  const answer = await witness.answerer.ask(question.question, { k: 3 });
  const first = answer.results[0];
  if (first) {
    sums.answered++;
    const firstId = library.passages.find((p) => p.document.sourceId === first.sourceId && p.chunk.start <= first.start && first.end <= p.chunk.end)?.id;
    // A passage found only through a document the question names (metadata, not either index)
    // would be found the same way over Solr: count it as reachable.
    const viaNamed = firstId !== undefined && !local.includes(firstId) && !lexical.includes(firstId);
    if (firstId !== undefined && (viaNamed || solrDense.includes(firstId) || solrLexical.includes(firstId))) sums.reachable++;
  }
}
const n = questions.length;
solrMs.sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      set: flags.set,
      questions: n,
      sync: { ...sync, seconds: +syncSeconds.toFixed(1) },
      denseOverlapAt10: +(sums.dense10 / n).toFixed(3),
      denseOverlapAt50: +(sums.dense50 / n).toFixed(3),
      bm25OverlapAt10: +(sums.lexical10 / n).toFixed(3),
      bm25OverlapAt50: +(sums.lexical50 / n).toFixed(3),
      firstAnswerAmongSolrCandidates: `${String(sums.reachable)}/${String(sums.answered)}`,
      solrCandidateMsP50: +(solrMs[Math.floor(n / 2)] ?? 0).toFixed(1),
      hydration: {
        note: 'per question: every candidate (dense ∪ BM25) and each of its sentences scored against the question by Solr (SolrStore.similarities)',
        passagesPerQuestion: +(hydrated.passages / n).toFixed(1),
        sentencesPerQuestion: +(hydrated.sentences / n).toFixed(1),
        msP50: +(hydrateMs.sort((a, b) => a - b)[Math.floor(n / 2)] ?? 0).toFixed(1),
        msP95: +(hydrateMs[Math.floor(n * 0.95)] ?? 0).toFixed(1),
        sentenceSimilarityVsInt8Table: { mean: +(hydrated.sumSentenceDiff / Math.max(1, hydrated.sentences)).toFixed(4), max: +hydrated.maxSentenceDiff.toFixed(4) },
      },
    },
    null,
    2,
  ),
);
await witness.embedder.dispose();
process.exit(0);
