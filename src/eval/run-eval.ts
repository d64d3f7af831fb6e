import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Answer, Citation } from '../search/answer-types.js';
import type { Answerer } from '../search/ask.js';
import type { RetrievalMode } from '../search/retrieve.js';
import type { EvalQuestion } from './eval-set.js';

export interface GoldSpan {
  sourceId: string;
  start: number;
  end: number;
}

export interface QuestionOutcome {
  id: string;
  kind: EvalQuestion['kind'];
  question: string;
  answered: boolean;
  outcome: Answer['outcome'];
  /** 1-based rank of the first result that hits a gold quote, or null. */
  hitRank: number | null;
  top: { sourceId: string; start: number; end: number; quote: string } | null;
}

export interface EvalMetrics {
  mode: RetrievalMode;
  questions: number;
  answerable: number;
  unanswerable: number;
  hitAt1: number;
  hitAt3: number;
  mrrAt10: number;
  /** Share of every quote shown (results and corroborations) equal to the file's text at its offsets. */
  verbatimRate: number;
  quotesChecked: number;
  /** Share of unanswerable questions that were declined. */
  abstention: number;
  /** Share of answerable questions that were wrongly declined (either way). */
  falseAbstention: number;
  /** Unanswerable questions answered "the library does not say this directly" (related passages shown). */
  unanswerableNotStated: number;
  /** Unanswerable questions answered "nothing in the library". */
  unanswerableNotInLibrary: number;
  /** Answerable questions wrongly flagged "not stated" (their related passages may still hold the answer). */
  answerableNotStated: number;
  outcomes: QuestionOutcome[];
}

/**
 * Locates each gold quote in its file: the eval set names quotes, the metrics compare spans. A
 * quote the file holds more than once (a lead repeated in the body) is gold wherever it stands.
 */
export async function resolveGold(corpusDir: string, question: EvalQuestion, readText: (file: string) => Promise<string>): Promise<GoldSpan[]> {
  const spans: GoldSpan[] = [];
  for (const answer of question.answers) {
    const text = await readText(path.join(corpusDir, answer.doc));
    let start = text.indexOf(answer.quote);
    if (start < 0) throw new Error(`${question.id}: gold quote not found in ${answer.doc}`);
    for (; start >= 0; start = text.indexOf(answer.quote, start + 1)) spans.push({ sourceId: answer.doc, start, end: start + answer.quote.length });
  }
  return spans;
}

function hits(citation: Citation, gold: GoldSpan[]): boolean {
  return gold.some((g) => g.sourceId === citation.sourceId && citation.start < g.end && g.start < citation.end);
}

/** Runs every question through one retrieval mode and scores it as the eval README defines. */
export async function runEval(answerer: Answerer, corpusDir: string, questions: EvalQuestion[], mode: RetrievalMode, k = 10): Promise<EvalMetrics> {
  const cache = new Map<string, string>();
  const readText = async (file: string): Promise<string> => {
    let text = cache.get(file);
    if (text === undefined) {
      text = new TextDecoder('utf-8').decode(await readFile(file));
      cache.set(file, text);
    }
    return text;
  };
  const outcomes: QuestionOutcome[] = [];
  let quotesChecked = 0;
  let verbatim = 0;
  let reciprocalRanks = 0;
  for (const question of questions) {
    const gold = await resolveGold(corpusDir, question, readText);
    const answer: Answer = await answerer.ask(question.question, { k, mode });
    let hitRank: number | null = null;
    for (const [i, result] of answer.results.entries()) {
      for (const shown of [result, ...result.corroboratedBy]) {
        quotesChecked++;
        if ((await readText(path.join(corpusDir, shown.sourceId))).slice(shown.start, shown.end) === shown.quote) verbatim++;
      }
      // A corroborating citation is shown with its result, so it counts at that result's rank.
      if (hitRank === null && [result, ...result.corroboratedBy].some((c) => hits(c, gold))) hitRank = i + 1;
    }
    if (question.kind !== 'unanswerable' && hitRank !== null && hitRank <= 10) reciprocalRanks += 1 / hitRank;
    const first = answer.results[0];
    outcomes.push({
      id: question.id,
      kind: question.kind,
      question: question.question,
      answered: answer.answered,
      outcome: answer.outcome,
      hitRank,
      top: first ? { sourceId: first.sourceId, start: first.start, end: first.end, quote: first.quote } : null,
    });
  }
  const answerable = outcomes.filter((o) => o.kind !== 'unanswerable');
  const unanswerable = outcomes.filter((o) => o.kind === 'unanswerable');
  const share = (count: number, total: number): number => (total === 0 ? 0 : count / total);
  return {
    mode,
    questions: outcomes.length,
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    hitAt1: share(answerable.filter((o) => o.hitRank === 1).length, answerable.length),
    hitAt3: share(answerable.filter((o) => o.hitRank !== null && o.hitRank <= 3).length, answerable.length),
    mrrAt10: share(reciprocalRanks, answerable.length),
    verbatimRate: quotesChecked === 0 ? 1 : verbatim / quotesChecked,
    quotesChecked,
    abstention: share(unanswerable.filter((o) => !o.answered).length, unanswerable.length),
    falseAbstention: share(answerable.filter((o) => !o.answered).length, answerable.length),
    unanswerableNotStated: unanswerable.filter((o) => o.outcome === 'not_stated').length,
    unanswerableNotInLibrary: unanswerable.filter((o) => o.outcome === 'not_in_library').length,
    answerableNotStated: answerable.filter((o) => o.outcome === 'not_stated').length,
    outcomes,
  };
}
