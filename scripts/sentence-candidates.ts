// Measures a lever not shipped: candidates found by their sentences. The passages holding the N
// sentences nearest the question take the first places among the 50 dense candidates (the
// nearest passages fill the rest; the 50 best by BM25 join as shipped) (an exact scan of the int8 sentence vectors here, so the cost per question is
// not the shipped one). Prints passage hit@1 / hit@3 of the shipped ranking for each N, side by
// side in one run. Tuning sets only.
//
//   npx tsx scripts/sentence-candidates.ts --set eval/qa-sotu-dev.jsonl=CORPUS,INDEX … [--counts 0,10,25]
import path from 'node:path';
import { Command } from 'commander';
import { readEvalSet } from '../src/eval/eval-set.js';
import { Answerer } from '../src/search/ask.js';
import type { FoundPassage, SearchStore } from '../src/search/search-store.js';
import { loadIndex } from '../src/store/index-store.js';
import { collect, goldPlaces, holdsGold, openTuningSet } from './tuning-sets.js';

const program = new Command()
  .option('--set <spec>', 'FILE=CORPUS,INDEX (repeatable)', collect, [] as string[])
  .option('--counts <list>', 'nearest sentences whose passages join the candidates', '0,10,25,50');
program.parse();
const options = program.opts<{ set: string[]; counts: string }>();
const counts = options.counts.split(',').map(Number);

console.log(`| set | answerable | ${counts.map((n) => `N=${String(n)} hit@1 / hit@3`).join(' | ')} |`);
console.log(`|---|---|${counts.map(() => '---|').join('')}`);
for (const spec of options.set) {
  const { file, config, witness } = await openTuningSet(spec);
  const loaded = await loadIndex(config.indexDir as string, { modelId: witness.embedder.modelId });
  if (!loaded.ok) throw new Error(loaded.reason);
  const { table, manifest } = loaded.index;
  const library = witness.library;
  // The passage of each sentence row.
  const passageOfSentence = new Int32Array(manifest.sentenceCount);
  for (const passage of library.passages) {
    for (let i = 0; i < passage.chunk.sentences.length; i++) passageOfSentence[passage.firstSentence + i] = passage.id;
  }
  const base = witness.answerer.store;
  const results = counts.map(() => ({ hit1: 0, hit3: 0 }));
  let answerable = 0;
  const texts = new Map<string, string>();
  for (const question of await readEvalSet(file)) {
    if (question.kind === 'unanswerable') continue;
    answerable++;
    const gold = await goldPlaces(config.corpusDir as string, question, texts);
    const [vector] = (await witness.embedder.embedQueries([question.question])) as [Float32Array];
    const scored: { row: number; score: number }[] = [];
    for (let row = 0; row < manifest.sentenceCount; row++) scored.push({ row, score: table.dot(manifest.chunkCount + row, vector) });
    scored.sort((a, b) => b.score - a.score);
    for (const [c, count] of counts.entries()) {
      const store: SearchStore = {
        ...base,
        name: base.name,
        matching: (q, depth) => base.matching(q, depth),
        similarities: (passages, v) => base.similarities(passages, v),
        // The ranking keeps the first `depth` of these: the sentences' passages first, then the
        // nearest passages up to the same number of dense candidates as shipped.
        nearest: async (v, depth): Promise<FoundPassage[]> => {
          const found: FoundPassage[] = [];
          const seen = new Set<number>();
          for (const { row } of scored.slice(0, count)) {
            const id = passageOfSentence[row] as number;
            if (seen.has(id)) continue;
            seen.add(id);
            found.push({ id, score: table.dot(id, v) });
          }
          for (const hit of await base.nearest(v, depth)) if (!seen.has(hit.id)) found.push(hit);
          return found.slice(0, depth);
        },
      };
      const answerer = new Answerer(library, store, witness.embedder, witness.answerer.settings);
      const { candidates } = await answerer.rank(question.question, 'hybrid');
      const rank = candidates.findIndex((cand) => holdsGold(cand.passage, gold));
      const result = results[c] as { hit1: number; hit3: number };
      if (rank === 0) result.hit1++;
      if (rank >= 0 && rank < 3) result.hit3++;
    }
  }
  console.log(`| ${path.basename(file)} | ${String(answerable)} | ${results.map(({ hit1, hit3 }) => `${String(hit1)} / ${String(hit3)}`).join(' | ')} |`);
  await witness.embedder.dispose();
}
