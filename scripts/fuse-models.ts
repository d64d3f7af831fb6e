// Measures a second opinion from another vendored model: each candidate of the shipped ranking
// (e5-small-v2) also gets its passage and best-sentence similarity from a second model
// (bge-small-en-v1.5 unless --second names another vendored one, e.g. Xenova/all-MiniLM-L6-v2), added
// to the ranking score with a weight, and passage hit@1 / hit@3 is counted for each weight, side
// by side in one run. Both indexes must hold the same library (passages are matched by document
// and offset). Tuning sets only.
//
//   npx tsx scripts/fuse-models.ts --set eval/qa-dev.jsonl=CORPUS,E5_INDEX,SECOND_INDEX … [--weights 0,2,5,10] [--second MODEL]
import path from 'node:path';
import { Command } from 'commander';
import { loadCoreConfig } from '../src/config.js';
import { readEvalSet } from '../src/eval/eval-set.js';
import { createLogger } from '../src/log.js';
import type { Passage } from '../src/search/library.js';
import { openWitness, type Witness } from '../src/witness.js';
import { collect, goldPlaces, holdsGold } from './tuning-sets.js';

const program = new Command()
  .option('--set <spec>', 'FILE=CORPUS,E5_INDEX,SECOND_INDEX (repeatable)', collect, [] as string[])
  .option('--second <model>', 'the second vendored model', 'Xenova/bge-small-en-v1.5')
  .option('--weights <list>', 'weights of the second model’s similarities', '0,2,5,10,20');
program.parse();
const options = program.opts<{ set: string[]; second: string; weights: string }>();
const weights = options.weights.split(',').map(Number);

const open = async (corpusDir: string, indexDir: string, modelId: string): Promise<Witness> =>
  openWitness(loadCoreConfig({ corpusDir, indexDir, modelId }), createLogger('warn'));

console.log(`| set | answerable | ${weights.map((w) => `w=${String(w)} hit@1 / hit@3`).join(' | ')} | second model per question (ms) |`);
console.log(`|---|---|${weights.map(() => '---|').join('')}---|`);
for (const spec of options.set) {
  const [file, where] = spec.split('=') as [string, string];
  const [corpusDir, e5Index, bgeIndex] = where.split(',') as [string, string, string];
  const e5 = await open(corpusDir, e5Index, 'Xenova/e5-small-v2');
  const bge = await open(corpusDir, bgeIndex, options.second);
  const byPlace = new Map<string, Passage>();
  for (const passage of bge.library.passages) byPlace.set(`${passage.document.sourceId}@${String(passage.chunk.start)}`, passage);
  const counts = weights.map(() => ({ hit1: 0, hit3: 0 }));
  let answerable = 0;
  let secondMs = 0;
  const texts = new Map<string, string>();
  for (const question of await readEvalSet(file)) {
    if (question.kind === 'unanswerable') continue;
    answerable++;
    const gold = await goldPlaces(corpusDir, question, texts);
    const { candidates } = await e5.answerer.rank(question.question, 'hybrid');
    const started = performance.now();
    const [vector] = await bge.embedder.embedQueries([question.question]);
    const twins = candidates.map((c) => byPlace.get(`${c.passage.document.sourceId}@${String(c.passage.chunk.start)}`));
    const similarities = await bge.answerer.store.similarities(
      twins.filter((p): p is Passage => p !== undefined),
      vector as Float32Array,
    );
    secondMs += performance.now() - started;
    const second = twins.map((twin) => {
      if (!twin) return 0;
      let sentence = -1;
      for (let i = 0; i < twin.chunk.sentences.length; i++) sentence = Math.max(sentence, similarities.sentence(twin.id, i));
      return similarities.passage(twin.id) + 0.4 * sentence;
    });
    weights.forEach((weight, w) => {
      const order = candidates.map((c, i) => ({ c, score: c.score + weight * (second[i] as number) })).sort((a, b) => b.score - a.score);
      const rank = order.findIndex(({ c }) => holdsGold(c.passage, gold));
      if (rank === 0) (counts[w] as { hit1: number }).hit1++;
      if (rank >= 0 && rank < 3) (counts[w] as { hit3: number }).hit3++;
    });
  }
  const fmt = (n: number): string => (n / Math.max(1, answerable)).toFixed(3);
  console.log(`| ${path.basename(file)} | ${String(answerable)} | ${counts.map(({ hit1, hit3 }) => `${fmt(hit1)} / ${fmt(hit3)}`).join(' | ')} | ${(secondMs / Math.max(1, answerable)).toFixed(1)} |`);
  await e5.embedder.dispose();
  await bge.embedder.dispose();
}
