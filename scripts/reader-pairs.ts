// Writes the training and test data of the reader experiment (scripts/reader/): for every
// answerable question of the given tuning sets, the first candidates of the shipped ranking with
// their header, text, sentences, the question's similarity to each sentence, the ranking's score
// and signals, and whether the passage holds a gold quote. One JSON object per question.
//
//   npx tsx scripts/reader-pairs.ts --set eval/qa-dev.jsonl --set eval/qa-sotu-dev.jsonl=SOTU,SOTU-INDEX \
//     [--depth 10] --out reader-data.jsonl
//
// Only tuning sets belong here (the reader is trained on them).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { readEvalSet } from '../src/eval/eval-set.js';
import { headingAt, passageHeader } from '../src/library/passage-header.js';
import { collect, goldPlaces, holdsGold, openTuningSet } from './tuning-sets.js';

const program = new Command()
  .option('--set <spec>', 'FILE or FILE=CORPUS,INDEX (repeatable)', collect, [] as string[])
  .option('--depth <n>', 'candidates kept per question', (value: string) => Number(value), 10)
  .requiredOption('--out <file>', 'JSON lines written here');
program.parse();
const options = program.opts<{ set: string[]; depth: number; out: string }>();

const lines: string[] = [];
for (const spec of options.set) {
  const { file, config, witness } = await openTuningSet(spec);
  const texts = new Map<string, string>();
  const library = path.basename(config.corpusDir as string);
  for (const question of await readEvalSet(file)) {
    if (question.kind === 'unanswerable') continue;
    const gold = await goldPlaces(config.corpusDir as string, question, texts);
    const ranking = await witness.answerer.rank(question.question, 'hybrid');
    const inPool = ranking.candidates.some((c) => holdsGold(c.passage, gold));
    const candidates = ranking.candidates.slice(0, options.depth).map((c) => {
      const { document, chunk } = c.passage;
      return {
        sourceId: document.sourceId,
        header: passageHeader(document.meta, headingAt(document.sections, chunk.start)),
        text: c.passage.text,
        sentences: chunk.sentences.map(([start, end]) => document.text.slice(start, end)),
        sentenceSimilarity: chunk.sentences.map((_, index) => ranking.similarities.sentence(c.passage.id, index)),
        score: c.score,
        features: c.features,
        gold: holdsGold(c.passage, gold),
      };
    });
    lines.push(JSON.stringify({ set: path.basename(file), library, id: question.id, question: question.question, style: question.style ?? null, inPool, candidates }));
  }
  await witness.embedder.dispose();
}
await writeFile(options.out, lines.join('\n') + '\n');
console.log(`${String(lines.length)} questions written to ${options.out}`);
