// Warm `ask` latency on real chat-style questions (question sets in the eval format), in one
// process, index already built: what a user of the bot waits for, reranking and "not stated"
// included. The bench's own probe questions are cut from the passages and name no document, so
// they never take the path where a named document's passages all join the candidates.
//
//   npx tsx scripts/bench/question-latency.ts --corpus DIR --index DIR eval/qa-sotu-dev.jsonl eval/qa-sotu-blind.jsonl [--rounds 3]
import { Command } from 'commander';
import { loadCoreConfig } from '../../src/config.js';
import { readEvalSet } from '../../src/eval/eval-set.js';
import { createLogger } from '../../src/log.js';
import { openWitness } from '../../src/witness.js';
import { count } from './flags.js';
import { summarize } from './measure.js';

const program = new Command()
  .argument('<files...>', 'question sets')
  .requiredOption('--corpus <dir>', 'the library')
  .requiredOption('--index <dir>', 'its index (built beforehand)')
  .option('--rounds <n>', 'times each question is asked', count, 3);
program.parse();
const { corpus, index, rounds } = program.opts<{ corpus: string; index: string; rounds: number }>();

const witness = await openWitness(loadCoreConfig({ corpusDir: corpus, indexDir: index }), createLogger('warn'));
const questions = (await Promise.all(program.args.map((file) => readEvalSet(file)))).flat().map((q) => q.question);
for (const question of questions.slice(0, 10)) await witness.answerer.ask(question);
const samples: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (const question of questions) {
    const started = performance.now();
    await witness.answerer.ask(question, { k: 3 });
    samples.push(performance.now() - started);
  }
}
const { p50, p95, p99, n } = summarize(samples);
console.log(JSON.stringify({ passages: witness.library.passages.length, questions: questions.length, asks: n, p50Ms: +p50.toFixed(1), p95Ms: +p95.toFixed(1), p99Ms: +p99.toFixed(1) }));
await witness.embedder.dispose();
