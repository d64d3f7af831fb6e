// Runs tuning question sets under several answerer settings side by side (quote-level hit@1 / hit@3
// and "not stated" counts), to choose a setting on tuning sets only — never on a blind set.
//
//   npx tsx scripts/sweep-settings.ts --set eval/qa-dev.jsonl --set eval/qa-sotu-dev.jsonl=CORPUS,INDEX \
//     --grid quoteLexicalWeight=0,0.1,0.2 [--grid resultScoreMargin=1,1.5]
import path from 'node:path';
import { Command } from 'commander';
import { readEvalSet } from '../src/eval/eval-set.js';
import { runEval } from '../src/eval/run-eval.js';
import { Answerer, type AnswererSettings } from '../src/search/ask.js';
import { collect, openTuningSet } from './tuning-sets.js';

const program = new Command()
  .option('--set <spec>', 'FILE or FILE=CORPUS,INDEX (repeatable)', collect, [] as string[])
  .option('--grid <spec>', 'SETTING=v1,v2,… (repeatable; the product of all grids is run)', collect, [] as string[]);
program.parse();
const options = program.opts<{ set: string[]; grid: string[] }>();

let combos: Record<string, number>[] = [{}];
for (const spec of options.grid) {
  const [name, values] = spec.split('=') as [string, string];
  combos = combos.flatMap((combo) => values.split(',').map((v) => ({ ...combo, [name]: Number(v) })));
}

const rows: string[] = [];
for (const spec of options.set) {
  const { file, config, witness } = await openTuningSet(spec);
  const questions = await readEvalSet(file);
  for (const combo of combos) {
    const settings: AnswererSettings = { ...witness.answerer.settings, ...combo };
    const answerer = new Answerer(witness.library, witness.answerer.store, witness.embedder, settings);
    const m = await runEval(answerer, config.corpusDir, questions, 'hybrid', 10);
    const hits = (k: number): number => m.outcomes.filter((o) => o.kind !== 'unanswerable' && o.hitRank !== null && o.hitRank <= k).length;
    rows.push(
      `| ${path.basename(file)} | ${JSON.stringify(combo)} | ${String(hits(1))}/${String(m.answerable)} | ${String(hits(3))}/${String(m.answerable)} | ${String(m.unanswerableNotStated)}+${String(m.unanswerableNotInLibrary)}/${String(m.unanswerable)} | ${String(m.answerableNotStated)} | ${String(m.quotesChecked)} |`,
    );
  }
  await witness.embedder.dispose();
}
console.log('| set | settings | hit@1 | hit@3 | unanswerable flagged (not stated + not in library) | answerable flagged not stated | quotes shown |');
console.log('|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
