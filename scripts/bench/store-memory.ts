/**
 * How much memory a Witness process holds with the embedded store and with Solr holding the
 * vectors and postings, side by side in one run on one library, and what a question costs each.
 *
 *   npx tsx scripts/bench/store-memory.ts --corpus DIR --index DIR --set eval/qa-sotu-dev.jsonl [--solr-heap 2g] [--out FILE]
 *
 * A 2-node SolrCloud (2 shards × 2 replicas, solr/cluster's launcher) is started and the index is
 * synced into it first, so both Witness processes open an index that is up to date and a Solr
 * collection that is in step. Each process then answers every question of the set twice (the
 * second round timed), and reports its resident memory and V8's heap after a full collection.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { loadCoreConfig } from '../../src/config.js';
import { readEvalSet } from '../../src/eval/eval-set.js';
import { createLogger } from '../../src/log.js';
import { loadIndex } from '../../src/store/index-store.js';
import { SolrClient } from '../../src/store/solr/solr-client.js';
import { syncIndexToSolr } from '../../src/store/solr/sync-index.js';
import { openWitness } from '../../src/witness.js';
import { startSolrCluster, solrAvailable, SOLR_JAR } from '../../test/helpers/solr-cluster.js';
import { processMemoryMB } from '../load/rss.js';
import { summarize } from './measure.js';

interface Probe {
  store: string;
  passages: number;
  /** After opening and one round of questions, after a full collection. */
  rssMB: number;
  heapUsedMB: number;
  /** What V8 keeps for its heap (used or not): part of the resident memory. */
  heapTotalMB: number;
  /** Outside V8's heap: Buffers (the int8 table); hnswlib's graph is not counted here, only in the resident memory. */
  externalMB: number;
  peakRssMB: number;
  askMs: ReturnType<typeof summarize>;
  answered: number;
}

const MB = 2 ** 20;

/** In a child process of its own: open Witness on the store the environment names, ask, measure. */
async function probe(corpusDir: string, indexDir: string, setFile: string): Promise<void> {
  const config = loadCoreConfig({ corpusDir, indexDir, logLevel: 'error' });
  const witness = await openWitness(config, createLogger('error'));
  const questions = (await readEvalSet(setFile)).map((q) => q.question);
  for (const question of questions) await witness.answerer.ask(question);
  const askMs: number[] = [];
  let answered = 0;
  for (const question of questions) {
    const start = performance.now();
    const answer = await witness.answerer.ask(question);
    askMs.push(performance.now() - start);
    if (answer.answered) answered++;
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc?.();
  const memory = process.memoryUsage();
  const own = processMemoryMB(process.pid);
  const result: Probe = {
    store: config.store,
    passages: witness.library.passages.length,
    rssMB: (own?.rss ?? memory.rss / MB),
    heapUsedMB: memory.heapUsed / MB,
    heapTotalMB: memory.heapTotal / MB,
    externalMB: memory.external / MB,
    peakRssMB: own?.peak ?? 0,
    askMs: summarize(askMs),
    answered,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await witness.embedder.dispose();
}

function runProbe(flags: Flags, env: Record<string, string>): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), 'probe', flags.corpus, flags.index, flags.set], {
      env: { ...process.env, WITNESS_LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as Probe);
      else reject(new Error(`the ${env.WITNESS_STORE ?? 'embedded'} probe failed (exit ${String(code)}): ${out.slice(-500)}`));
    });
  });
}

interface Flags {
  corpus: string;
  index: string;
  set: string;
  solrHeap: string;
  out?: string;
}

async function main(flags: Flags): Promise<void> {
  if (!solrAvailable) throw new Error(`needs the Solr launcher: ${SOLR_JAR} (mvn -q -B -f solr/cluster/pom.xml package)`);
  const config = loadCoreConfig({ corpusDir: flags.corpus, indexDir: flags.index, logLevel: 'error' });
  const manifest = await loadIndex(config.indexDir, { modelId: config.modelId });
  if (!manifest.ok) throw new Error(`${flags.index}: ${manifest.reason}`);
  const cluster = await startSolrCluster({ heap: flags.solrHeap });
  try {
    const started = performance.now();
    const sync = await syncIndexToSolr(manifest.index, new SolrClient({ baseUrl: cluster.nodes, collection: cluster.collection, timeoutMs: 300_000 }));
    const syncSeconds = (performance.now() - started) / 1000;
    process.stderr.write(`synced ${String(sync.passages)} passages in ${syncSeconds.toFixed(0)} s\n`);
    const embedded = await runProbe(flags, { WITNESS_STORE: 'embedded' });
    const solr = await runProbe(flags, { WITNESS_STORE: 'solr', WITNESS_SOLR_URL: cluster.nodes.join(','), WITNESS_SOLR_COLLECTION: cluster.collection });
    const solrJvm = processMemoryMB(cluster.pid);
    const perPassageKB = (mb: number): number => (mb * 1024) / embedded.passages;
    const result = {
      corpus: flags.corpus,
      set: flags.set,
      passages: embedded.passages,
      sync: { ...sync, seconds: syncSeconds },
      embedded,
      solr,
      solrJvm,
      witnessRssSavedKBPerPassage: perPassageKB(embedded.rssMB - solr.rssMB),
      witnessHeapAndExternalSavedKBPerPassage: perPassageKB(embedded.heapUsedMB + embedded.externalMB - solr.heapUsedMB - solr.externalMB),
    };
    const json = `${JSON.stringify(result, null, 2)}\n`;
    if (flags.out) writeFileSync(flags.out, json);
    process.stdout.write(json);
  } finally {
    await cluster.stop();
  }
}

if (process.argv[2] === 'probe') {
  const [corpusDir, indexDir, setFile] = process.argv.slice(3) as [string, string, string];
  await probe(corpusDir, indexDir, setFile);
} else {
  const program = new Command('store-memory')
    .description('Memory of a Witness process with the embedded store and with Solr, side by side')
    .requiredOption('--corpus <dir>', 'the library')
    .requiredOption('--index <dir>', 'its index, up to date')
    .requiredOption('--set <file>', 'questions to ask (an eval set)')
    .option('--solr-heap <size>', 'the Solr JVM heap', '2g')
    .option('--out <file>', 'write the JSON result here')
    .action((flags: Flags) => main(flags));
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
}
