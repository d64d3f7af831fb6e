// Where the answerable questions whose first quote misses lose their gold: the right passage is
// not among the ranking's candidates at all, it is a candidate ranked lower, or it is ranked first
// but another of its sentences is quoted; and whether the first result is from the right document.
//
//   npx tsx scripts/miss-classes.ts --set eval/qa-dev.jsonl --set eval/qa-sotu-dev.jsonl=CORPUS,INDEX [--json FILE]
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { readEvalSet } from '../src/eval/eval-set.js';
import { Answerer } from '../src/search/ask.js';
import { collect, goldPlaces, holdsGold, openTuningSet, type GoldPlace } from './tuning-sets.js';

const program = new Command()
  .option('--set <spec>', 'FILE or FILE=CORPUS,INDEX (repeatable)', collect, [] as string[])
  .option('--json <file>', 'write every missed question here');
program.parse();
const options = program.opts<{ set: string[]; json?: string }>();

interface Counts {
  answerable: number;
  rightFirst: number;
  /** The passage holding the gold is first, but the quote is another of its sentences. */
  passageFirstQuoteElsewhere: number;
  /** The gold's passage is a candidate, ranked 2nd to 10th / below 10th. */
  candidateRanked2to10: number;
  candidateRankedBelow10: number;
  /** No candidate holds the gold. */
  notACandidate: number;
  /** Of the misses, those whose first result is from a document holding the gold. */
  missesFromRightDocument: number;
}

const overlaps = (gold: GoldPlace[], sourceId: string, start: number, end: number): boolean => gold.some((g) => g.sourceId === sourceId && start < g.end && g.start < end);

const misses: unknown[] = [];
const lines = ['| set | answerable | right first | passage first, other sentence quoted | candidate 2nd–10th | candidate below 10th | not a candidate | misses from the right document |', '|---|---|---|---|---|---|---|---|'];
const total: Counts = { answerable: 0, rightFirst: 0, passageFirstQuoteElsewhere: 0, candidateRanked2to10: 0, candidateRankedBelow10: 0, notACandidate: 0, missesFromRightDocument: 0 };
for (const spec of options.set) {
  const { file, config, witness } = await openTuningSet(spec);
  const answerer = new Answerer(witness.library, witness.answerer.store, witness.embedder, witness.answerer.settings);
  const texts = new Map<string, string>();
  const counts: Counts = { answerable: 0, rightFirst: 0, passageFirstQuoteElsewhere: 0, candidateRanked2to10: 0, candidateRankedBelow10: 0, notACandidate: 0, missesFromRightDocument: 0 };
  for (const question of await readEvalSet(file)) {
    if (question.kind === 'unanswerable') continue;
    counts.answerable++;
    const gold = await goldPlaces(config.corpusDir as string, question, texts);
    const answer = await answerer.ask(question.question, { k: 10 });
    const first = answer.results[0];
    if (first && [first, ...first.corroboratedBy].some((c) => overlaps(gold, c.sourceId, c.start, c.end))) {
      counts.rightFirst++;
      continue;
    }
    const ranking = await answerer.rank(question.question);
    const at = ranking.candidates.findIndex((c) => holdsGold(c.passage, gold));
    let kind: keyof Counts;
    if (at === 0 && first && overlaps(gold, first.sourceId, first.passage.start, first.passage.end)) kind = 'passageFirstQuoteElsewhere';
    else if (at < 0) kind = 'notACandidate';
    else kind = at < 10 ? 'candidateRanked2to10' : 'candidateRankedBelow10';
    counts[kind]++;
    if (first && gold.some((g) => g.sourceId === first.sourceId)) counts.missesFromRightDocument++;
    misses.push({ set: path.basename(file), id: question.id, style: question.style, question: question.question, kind, candidateRank: at < 0 ? null : at + 1, first: first ? { sourceId: first.sourceId, quote: first.quote } : null, gold });
  }
  for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += counts[key];
  const row = (name: string, c: Counts): string =>
    `| ${name} | ${String(c.answerable)} | ${String(c.rightFirst)} | ${String(c.passageFirstQuoteElsewhere)} | ${String(c.candidateRanked2to10)} | ${String(c.candidateRankedBelow10)} | ${String(c.notACandidate)} | ${String(c.missesFromRightDocument)} |`;
  lines.push(row(path.basename(file), counts));
  if (spec === options.set.at(-1)) lines.push(row('**all**', total));
}
console.log(lines.join('\n'));
if (options.json) await writeFile(options.json, JSON.stringify(misses, null, 1));
process.exit(0);
