// Runs question sets on their libraries in one process and prints them side by side: hit@1 /
// hit@3 of the shipped hybrid ranking and of BM25 alone, answerable questions declined (not in
// the library / not stated), unanswerable ones flagged, verbatim rate, and hit@1 by the style a
// question's writer tagged ("nickname", "year-target", …). Settings can be overridden to measure
// one lever at a time.
//
//   npx tsx scripts/eval-matrix.ts --set eval/qa-dev.jsonl --set eval/qa-sotu-dev.jsonl=CORPUS,INDEX \
//     [--setting reachAnswer=0] [--label NAME] [--json FILE] [--styles] [--quick]
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { readEvalSet } from '../src/eval/eval-set.js';
import { runEval, type EvalMetrics } from '../src/eval/run-eval.js';
import { Answerer, type AnswererSettings } from '../src/search/ask.js';
import { collect, openTuningSet } from './tuning-sets.js';

const program = new Command()
  .option('--set <spec>', 'FILE or FILE=CORPUS,INDEX (repeatable)', collect, [] as string[])
  .option('--setting <spec>', 'NAME=NUMBER answerer setting (repeatable)', collect, [] as string[])
  .option('--label <name>', 'name of this run in the output', 'shipped')
  .option('--lexical', 'also run BM25 alone')
  .option('--quick', "open the libraries as a quick /library add leaves them: with a new INDEX folder, every document's sentence vectors are provisional (answers during the add's second half)")
  .option('--styles', 'also print hit@1 by question style')
  .option('--json <file>', 'write every question outcome here');
program.parse();
const options = program.opts<{ set: string[]; setting: string[]; label: string; lexical?: boolean; quick?: boolean; styles?: boolean; json?: string }>();
const overrides = Object.fromEntries(options.setting.map((spec) => spec.split('=')).map(([name, value]) => [name, Number(value)])) as Partial<AnswererSettings>;

const fmt = (x: number): string => x.toFixed(3);
const lines = [
  `run: ${options.label}${options.setting.length > 0 ? ` (${options.setting.join(', ')})` : ''}`,
  '',
  '| set | answerable + unanswerable | hit@1 / hit@3 | BM25 alone | answerable declined: not in library / not stated | unanswerable flagged | verbatim |',
  '|---|---|---|---|---|---|---|',
];
const styleRows: string[] = [];
const dump: Record<string, EvalMetrics> = {};
for (const spec of options.set) {
  const { file, config, witness } = await openTuningSet(spec, { quick: options.quick === true });
  const questions = await readEvalSet(file);
  const answerer = new Answerer(witness.library, witness.answerer.store, witness.embedder, { ...witness.answerer.settings, ...overrides });
  const corpusDir = config.corpusDir as string;
  const hybrid = await runEval(answerer, corpusDir, questions, 'hybrid', 10);
  const lexical = options.lexical ? await runEval(answerer, corpusDir, questions, 'lexical', 10) : null;
  const answerable = hybrid.outcomes.filter((o) => o.kind !== 'unanswerable');
  const nil = answerable.filter((o) => o.outcome === 'not_in_library').length;
  const flagged = hybrid.unanswerableNotStated + hybrid.unanswerableNotInLibrary;
  lines.push(
    `| ${path.basename(file)} | ${String(hybrid.answerable)} + ${String(hybrid.unanswerable)} | ${fmt(hybrid.hitAt1)} / ${fmt(hybrid.hitAt3)} | ${lexical ? `${fmt(lexical.hitAt1)} / ${fmt(lexical.hitAt3)}` : '–'} | ${String(nil)} / ${String(hybrid.answerableNotStated)} of ${String(hybrid.answerable)} | ${String(flagged)} of ${String(hybrid.unanswerable)} | ${fmt(hybrid.verbatimRate)} |`,
  );
  dump[path.basename(file)] = hybrid;
  if (options.styles) {
    const byStyle = new Map<string, { n: number; hit1: number; declined: number }>();
    questions.forEach((question, i) => {
      const outcome = hybrid.outcomes[i];
      if (!question.style || !outcome) return;
      const entry = byStyle.get(question.style) ?? { n: 0, hit1: 0, declined: 0 };
      entry.n++;
      if (outcome.hitRank === 1) entry.hit1++;
      if (!outcome.answered) entry.declined++;
      byStyle.set(question.style, entry);
    });
    for (const [style, { n, hit1, declined }] of [...byStyle].sort()) {
      styleRows.push(`| ${path.basename(file)} | ${style} | ${String(n)} | ${String(hit1)} | ${String(declined)} |`);
    }
  }
  await witness.embedder.dispose();
}
console.log(lines.join('\n'));
if (options.styles) {
  console.log('\n| set | style | questions | hit@1 | declined |\n|---|---|---|---|---|');
  console.log(styleRows.join('\n'));
}
if (options.json) await writeFile(options.json, JSON.stringify({ label: options.label, settings: overrides, sets: dump }, null, 1));
