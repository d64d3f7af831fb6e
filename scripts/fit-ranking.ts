// Fits the weights of the hybrid ranking (src/search/rerank.ts) on tuning question sets, with
// cross-validation, and prints them with the figures behind them.
//
//   npx tsx scripts/fit-ranking.ts --set eval/qa-dev.jsonl --set eval/qa-extra.jsonl \
//     --set eval/qa-sotu-dev.jsonl=CORPUS_DIR,INDEX_DIR [--folds 5] [--json FILE]
//
// A set without `=corpus,index` uses the bundled library. Only tuning sets belong here: a blind set
// must never be fitted on. For each answerable question every candidate passage is labelled by
// whether it overlaps a gold quote; a pairwise logistic regression (each right passage against each
// wrong one of the same question) learns the weights on standardised signals. Reported: passage
// hit@1 / hit@3 of the vector similarity alone, of the weights shipped, and of weights fitted on the
// other folds (cross-validated), then the weights fitted on all questions.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { readEvalSet } from '../src/eval/eval-set.js';
import { FEATURE_NAMES, RANK_WEIGHTS, type RankWeights } from '../src/search/rerank.js';
import { collect, openTuningSet } from './tuning-sets.js';

interface Labelled {
  set: string;
  id: string;
  rows: { x: number[]; gold: boolean }[];
}

const program = new Command()
  .option('--set <spec>', 'FILE or FILE=CORPUS,INDEX (repeatable)', collect, [] as string[])
  .option('--folds <n>', 'cross-validation folds', (value: string) => Number(value), 5)
  .option('--l2 <x>', 'L2 penalty', (value: string) => Number(value), 0.01)
  .option('--by-set', 'cross-validate by leaving one set out at a time (a new question writer), not by shuffled folds')
  .option('--json <file>', 'also write the labelled candidates here')
  .option('--without <names>', 'leave these signals out (comma-separated): their values count as 0 everywhere')
  .option('--try <spec>', 'also score these weights: name=value,… over the shipped ones (repeatable)', collect, [] as string[]);
program.parse();
const options = program.opts<{ set: string[]; folds: number; l2: number; bySet?: boolean; json?: string; without?: string; try: string[] }>();
const leftOut = new Set((options.without ?? '').split(',').filter(Boolean));
for (const name of leftOut) if (!(FEATURE_NAMES as readonly string[]).includes(name)) throw new Error(`no signal named ${name}; the signals are ${FEATURE_NAMES.join(', ')}`);

const questions: Labelled[] = [];
for (const spec of options.set) {
  const { file, config, witness } = await openTuningSet(spec);
  const texts = new Map<string, string>();
  for (const question of await readEvalSet(file)) {
    if (question.kind === 'unanswerable') continue;
    const gold: { sourceId: string; start: number; end: number }[] = [];
    for (const answer of question.answers) {
      let text = texts.get(answer.doc);
      if (text === undefined) texts.set(answer.doc, (text = await readFile(path.join(config.corpusDir as string, answer.doc), 'utf8')));
      const start = text.indexOf(answer.quote);
      gold.push({ sourceId: answer.doc, start, end: start + answer.quote.length });
    }
    const { candidates } = await witness.answerer.rank(question.question, 'hybrid');
    questions.push({
      set: path.basename(file),
      id: question.id,
      rows: candidates.map((c) => ({
        x: FEATURE_NAMES.map((name) => (leftOut.has(name) ? 0 : (c.features?.[name] ?? 0))),
        gold: gold.some((g) => g.sourceId === c.passage.document.sourceId && c.passage.chunk.start < g.end && g.start < c.passage.chunk.end),
      })),
    });
  }
  await witness.embedder.dispose();
}

const dimension = FEATURE_NAMES.length;
const allRows = questions.flatMap((q) => q.rows);
const mean = FEATURE_NAMES.map((_, f) => allRows.reduce((sum, r) => sum + (r.x[f] as number), 0) / allRows.length);
const std = FEATURE_NAMES.map((_, f) => Math.sqrt(allRows.reduce((sum, r) => sum + ((r.x[f] as number) - (mean[f] as number)) ** 2, 0) / allRows.length) || 1);

/** Pairwise logistic regression on standardised signals; returns weights on the raw signals. */
function fit(train: Labelled[]): number[] {
  const pairs: number[][] = [];
  for (const q of train) {
    const golds = q.rows.filter((r) => r.gold);
    const wrongs = q.rows.filter((r) => !r.gold);
    for (const g of golds) for (const w of wrongs) pairs.push(g.x.map((v, f) => (v - (w.x[f] as number)) / (std[f] as number) / golds.length));
  }
  const weights = new Array<number>(dimension).fill(0);
  const rate = 0.5;
  for (let step = 0; step < 400; step++) {
    const gradient = weights.map((w) => 2 * options.l2 * w);
    for (const d of pairs) {
      const margin = d.reduce((sum, v, f) => sum + v * (weights[f] as number), 0);
      const p = 1 / (1 + Math.exp(margin));
      d.forEach((v, f) => (gradient[f] = (gradient[f] as number) - (p * v) / pairs.length));
    }
    weights.forEach((_, f) => (weights[f] = (weights[f] as number) - rate * (gradient[f] as number)));
  }
  return weights.map((w, f) => w / (std[f] as number));
}

/**
 * Then coordinate ascent on what users see: the number of questions whose right passage comes
 * first, plus half those in the first three, starting from the logistic weights. Each weight in
 * turn is tried at a range of values, the others fixed, until no change helps.
 */
function refine(train: Labelled[], start: number[]): number[] {
  const weights = [...start];
  let best = objective(train, weights);
  for (let round = 0; round < 4; round++) {
    let improved = false;
    for (let f = 1; f < dimension; f++) {
      const base = weights[f] as number;
      const scale = Math.max(Math.abs(base), 0.5 / (std[f] as number));
      for (const factor of [-1, -0.5, 0, 0.25, 0.5, 0.75, 1.5, 2, 3, 4]) {
        const trial = [...weights];
        trial[f] = base + (factor - 1) * scale * (base === 0 ? 0 : 1) + (base === 0 ? factor * scale : 0);
        const value = objective(train, trial);
        if (value > best + 1e-9) {
          best = value;
          weights[f] = trial[f] as number;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return weights;
}

/** Questions whose right passage comes first, plus half those in the first three. */
function objective(list: Labelled[], weights: number[]): number {
  return list.reduce((sum, q) => {
    const rank = rankOfGold(q, weights);
    return sum + (rank === 1 ? 1 : 0) + (rank !== null && rank <= 3 ? 0.5 : 0);
  }, 0);
}

/** Coordinate ascent from the logistic fit and from the weights shipped; the better on the training questions wins. */
function train(list: Labelled[]): number[] {
  const fromLogistic = refine(list, fit(list));
  const fromShipped = refine(list, FEATURE_NAMES.map((name) => RANK_WEIGHTS[name]));
  return objective(list, fromLogistic) >= objective(list, fromShipped) ? fromLogistic : fromShipped;
}

function rankOfGold(q: Labelled, weights: number[]): number | null {
  const scored = q.rows.map((r) => ({ gold: r.gold, s: r.x.reduce((sum, v, f) => sum + v * (weights[f] as number), 0) }));
  scored.sort((a, b) => b.s - a.s);
  const at = scored.findIndex((r) => r.gold);
  return at < 0 ? null : at + 1;
}

function figures(list: Labelled[], weightsFor: (q: Labelled) => number[]): string {
  const ranks = list.map((q) => rankOfGold(q, weightsFor(q)));
  const at = (k: number): number => ranks.filter((r) => r !== null && r <= k).length;
  return `${String(at(1))}/${String(list.length)} first, ${String(at(3))}/${String(list.length)} in 3`;
}

// Folds: every k-th question of a shuffled order (fixed seed), so each fold mixes the sets; or, with
// --by-set, one set each, so every set is scored by weights fitted on other writers' questions.
let seed = 7;
const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const order = questions.map((q) => ({ q, r: random() })).sort((a, b) => a.r - b.r).map((e) => e.q);
const setNames = [...new Set(questions.map((q) => q.set))];
const foldOf = options.bySet ? new Map(questions.map((q) => [q, setNames.indexOf(q.set)])) : new Map(order.map((q, i) => [q, i % options.folds]));
const foldWeights = Array.from({ length: options.bySet ? setNames.length : options.folds }, (_, f) => {
  return train(questions.filter((q) => foldOf.get(q) !== f));
});
const shipped = FEATURE_NAMES.map((name) => RANK_WEIGHTS[name]);
const denseOnly = FEATURE_NAMES.map((name) => (name === 'dense' ? 1 : 0));

const sets = [...new Set(questions.map((q) => q.set))];
console.log(`${String(questions.length)} answerable questions; candidates with a right passage: ${String(questions.filter((q) => q.rows.some((r) => r.gold)).length)}`);
console.log('| set | passage similarity alone | weights shipped | fitted on the other folds |');
console.log('|---|---|---|---|');
for (const set of [...sets, 'all']) {
  const list = set === 'all' ? questions : questions.filter((q) => q.set === set);
  console.log(`| ${set} | ${figures(list, () => denseOnly)} | ${figures(list, () => shipped)} | ${figures(list, (q) => foldWeights[foldOf.get(q) as number] as number[])} |`);
}
for (const spec of options.try) {
  const tried: Record<string, number> = { ...RANK_WEIGHTS };
  for (const pair of spec.split(',')) {
    const [name, value] = pair.split('=') as [string, string];
    tried[name] = Number(value);
  }
  const vector = FEATURE_NAMES.map((name) => tried[name] as number);
  console.log(`| tried ${spec} | ${sets.map((set) => `${set}: ${figures(questions.filter((q) => q.set === set), () => vector)}`).join('; ')} | all: ${figures(questions, () => vector)} |`);
}
const final = train(questions);
const scale = 10 / Math.abs(final[0] || 1);
const rounded = Object.fromEntries(FEATURE_NAMES.map((name, f) => [name, Number(((final[f] as number) * scale).toFixed(2))])) as RankWeights;
console.log('\nFitted on all questions (scaled so dense = 10):', JSON.stringify(rounded));
if (options.json) {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(options.json, JSON.stringify({ features: FEATURE_NAMES, questions }));
}
