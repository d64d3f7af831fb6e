// Fits the answerability model (src/search/answerability.ts) on tuning question sets: a logistic
// regression of "the library answers this question" on the evidence features, with the decision
// threshold set so that at most --max-false of the answerable tuning questions (cross-validated)
// would be declined. Prints precision and recall for each outcome, per set, cross-validated.
//
//   npx tsx scripts/fit-answerability.ts --set eval/qa-dev.jsonl … \
//     --set eval/qa-sotu-dev.jsonl=CORPUS_DIR,INDEX_DIR [--write] [--dump FILE.json]
//
// --write replaces src/search/answerability-model.ts with the model fitted on every question.
// Only tuning sets belong here: a blind set must never be fitted on.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { readEvalSet } from '../src/eval/eval-set.js';
import { ANSWERABILITY_FEATURES, type AnswerabilityModel } from '../src/search/answerability.js';
import { collect, openTuningSet } from './tuning-sets.js';

interface Row {
  set: string;
  /** The library's corpus folder, by its name: an off-topic set is asked of both libraries. */
  library: string;
  id: string;
  answerable: boolean;
  /** Whether the best passage is under the model's similarity bar: "not in the library" when declined. */
  farOff: boolean;
  x: number[];
}

const program = new Command()
  .option('--set <spec>', 'FILE or FILE=CORPUS,INDEX (repeatable)', collect, [] as string[])
  .option('--folds <n>', 'cross-validation folds', (value: string) => Number(value), 5)
  .option('--by-set', 'cross-validate by leaving one set out at a time (a new question writer), not by shuffled folds')
  .option('--l2 <x>', 'L2 penalty', (value: string) => Number(value), 0.01)
  .option('--max-false <share>', 'largest share of answerable questions declined', (value: string) => Number(value), 0.01)
  .option('--write', 'write src/search/answerability-model.ts')
  .option('--dump <file>', 'also write the rows here');
program.parse();
const options = program.opts<{ set: string[]; folds: number; bySet?: boolean; l2: number; maxFalse: number; write?: boolean; dump?: string }>();

const rows: Row[] = [];
/** The passages of each library fitted on: the model is used only from the smallest size up. */
const librarySizes: number[] = [];
for (const spec of options.set) {
  const { file, config, witness } = await openTuningSet(spec);
  librarySizes.push(witness.library.passages.length);
  for (const question of await readEvalSet(file)) {
    const ranking = await witness.answerer.rank(question.question, 'hybrid');
    if (ranking.candidates.length === 0) continue;
    const { features } = witness.answerer.evidence(question.question, ranking);
    rows.push({
      set: path.basename(file),
      library: path.basename(config.corpusDir ?? ''),
      id: question.id,
      answerable: question.kind !== 'unanswerable',
      farOff: features.dense < 0,
      x: ANSWERABILITY_FEATURES.map((name) => features[name]),
    });
  }
  await witness.embedder.dispose();
}
if (options.dump) await writeFile(options.dump, JSON.stringify(rows));

const dimension = ANSWERABILITY_FEATURES.length;
const mean = ANSWERABILITY_FEATURES.map((_, f) => rows.reduce((sum, r) => sum + (r.x[f] as number), 0) / rows.length);
const scale = ANSWERABILITY_FEATURES.map((_, f) => Math.sqrt(rows.reduce((sum, r) => sum + ((r.x[f] as number) - (mean[f] as number)) ** 2, 0) / rows.length) || 1);
const standard = (r: Row): number[] => r.x.map((v, f) => (v - (mean[f] as number)) / (scale[f] as number));

/** Logistic regression by gradient descent on standardised features; classes weighted equally. */
function fit(train: Row[]): { weights: number[]; bias: number } {
  const weights = new Array<number>(dimension).fill(0);
  let bias = 0;
  const positives = train.filter((r) => r.answerable).length;
  const negatives = train.length - positives;
  const xs = train.map(standard);
  for (let step = 0; step < 1500; step++) {
    const gradient = weights.map((w) => 2 * options.l2 * w);
    let gradientBias = 0;
    train.forEach((r, i) => {
      const x = xs[i] as number[];
      const z = bias + x.reduce((sum, v, f) => sum + v * (weights[f] as number), 0);
      const p = 1 / (1 + Math.exp(-z));
      const weight = r.answerable ? 0.5 / positives : 0.5 / negatives;
      const error = (p - (r.answerable ? 1 : 0)) * weight;
      x.forEach((v, f) => (gradient[f] = (gradient[f] as number) + error * v));
      gradientBias += error;
    });
    weights.forEach((_, f) => (weights[f] = (weights[f] as number) - 0.5 * (gradient[f] as number)));
    bias -= 0.5 * gradientBias;
  }
  return { weights, bias };
}

function probability(model: { weights: number[]; bias: number }, r: Row): number {
  const z = model.bias + standard(r).reduce((sum, v, f) => sum + v * (model.weights[f] as number), 0);
  return 1 / (1 + Math.exp(-z));
}

/** The highest threshold declining at most `maxFalse` of the answerable questions. */
function thresholdFor(scored: { p: number; answerable: boolean }[]): number {
  const answerable = scored.filter((s) => s.answerable).map((s) => s.p).sort((a, b) => a - b);
  const allowed = Math.floor(options.maxFalse * answerable.length);
  // Declining is p < threshold: the (allowed)-th lowest answerable probability may be declined, the next must not.
  return answerable[allowed] ?? 0.5;
}

// Cross-validated probabilities: each question scored by a model fitted without its fold.
// A set named twice (the same questions on two libraries) is one writer, so one fold.
const setNames = [...new Set(rows.map((r) => r.set))];
const folds = options.bySet ? setNames.length : options.folds;
const order = rows.map((_, i) => i).sort((a, b) => ((a * 7919) % 104729) - ((b * 7919) % 104729));
const foldOf = (i: number, position: number): number => (options.bySet ? setNames.indexOf((rows[i] as Row).set) : position % folds);
const crossProbability = new Array<number>(rows.length).fill(0);
for (let fold = 0; fold < folds; fold++) {
  const test = new Set(order.filter((i, position) => foldOf(i, position) === fold));
  const model = fit(rows.filter((_, i) => !test.has(i)));
  for (const i of test) crossProbability[i] = probability(model, rows[i] as Row);
}
const crossThreshold = thresholdFor(rows.map((r, i) => ({ p: crossProbability[i] as number, answerable: r.answerable })));

/** As Answerer.ask decides: under the threshold, or naming something the library never mentions. */
const UNKNOWN_NAME = ANSWERABILITY_FEATURES.indexOf('unknownName');
const declines = (r: Row, p: number, threshold: number): boolean => p < threshold || r.x[UNKNOWN_NAME] === 1;

function report(label: string, scoredRows: { r: Row; p: number }[], threshold: number): void {
  console.log(`\n${label} (threshold ${threshold.toFixed(3)})`);
  console.log('| set | answerable declined | unanswerable declined | answered: precision | declined: precision | of declined, not in library |');
  console.log('|---|---|---|---|---|---|');
  const where = (r: Row): string => `${r.set} (${r.library})`;
  const sets = [...new Set(scoredRows.map(({ r }) => where(r))), 'all'];
  for (const set of sets) {
    const mine = scoredRows.filter(({ r }) => set === 'all' || where(r) === set);
    const declined = mine.filter(({ r, p }) => declines(r, p, threshold));
    const answered = mine.filter(({ r, p }) => !declines(r, p, threshold));
    const answerable = mine.filter(({ r }) => r.answerable);
    const unanswerable = mine.filter(({ r }) => !r.answerable);
    const falseDeclines = declined.filter(({ r }) => r.answerable).length;
    const rightDeclines = declined.filter(({ r }) => !r.answerable).length;
    const fmt = (n: number, d: number): string => (d === 0 ? '–' : `${String(n)} of ${String(d)} (${((100 * n) / d).toFixed(1)} %)`);
    console.log(
      `| ${set} | ${fmt(falseDeclines, answerable.length)} | ${fmt(rightDeclines, unanswerable.length)} | ${fmt(answered.filter(({ r }) => r.answerable).length, answered.length)} | ${fmt(rightDeclines, declined.length)} | ${String(declined.filter(({ r }) => r.farOff).length)} |`,
    );
  }
}

report(options.bySet ? `Cross-validated, each set scored by a model fitted on the others` : `Cross-validated, ${String(folds)} folds`, rows.map((r, i) => ({ r, p: crossProbability[i] as number })), crossThreshold);
const final = fit(rows);
const finalThreshold = thresholdFor(rows.map((r) => ({ p: probability(final, r), answerable: r.answerable })));
report('Fitted on every question (in-sample)', rows.map((r) => ({ r, p: probability(final, r) })), finalThreshold);
console.log('\nweights on standardised features:');
ANSWERABILITY_FEATURES.forEach((name, f) => console.log(`  ${name.padEnd(12)} ${(final.weights[f] as number).toFixed(3)}  (mean ${(mean[f] as number).toFixed(3)}, sd ${(scale[f] as number).toFixed(3)})`));
console.log(`  bias ${final.bias.toFixed(3)}`);

if (options.write) {
  // The cross-validated threshold: the in-sample one is fitted to these very questions.
  const model: AnswerabilityModel = {
    features: Object.fromEntries(
      ANSWERABILITY_FEATURES.map((name, f) => [name, { mean: round(mean[f] as number), scale: round(scale[f] as number), weight: round(final.weights[f] as number) }]),
    ) as AnswerabilityModel['features'],
    bias: round(final.bias),
    threshold: round(Math.min(crossThreshold, finalThreshold)),
    passages: { min: Math.min(...librarySizes), max: Math.max(...librarySizes) },
  };
  const sets = [...new Set(rows.map((r) => r.set))].join(', ');
  const source = `// Written by scripts/fit-answerability.ts from ${String(rows.length)} tuning questions (${sets}).
// Do not edit by hand: refit instead (docs/quality.md, "Deciding to answer").
import type { AnswerabilityModel } from './answerability.js';

export const ANSWERABILITY_MODEL: AnswerabilityModel = ${JSON.stringify(model, null, 2)};
`;
  await writeFile(path.join(import.meta.dirname, '..', 'src', 'search', 'answerability-model.ts'), source);
  console.log('\nwrote src/search/answerability-model.ts');
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
