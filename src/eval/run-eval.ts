import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Answer, Citation } from '../search/answer-types.js';
import type { Answerer } from '../search/ask.js';
import type { RetrievalMode } from '../search/retrieve.js';
import type { EvalQuestion } from './eval-set.js';
import { extractDocument } from '../extract/extract-document.js';
import { isPlainText } from '../extract/format-list.js';
import { DEFAULT_EXTRACT_LIMITS } from '../extract/types.js';
import { foldPhrase, foldText } from '../search/find-phrase.js';

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
 * The document a gold answer names: the same file, or the same file in another format
 * (`000_x.txt` in the eval set, `000_x.pdf` in a library of PDFs).
 */
function goldDocument(sourceIds: readonly string[], doc: string): string | null {
  if (sourceIds.includes(doc)) return doc;
  const stem = doc.replace(/\.[^./]+$/u, '');
  return sourceIds.find((id) => id.replace(/\.[^./]+$/u, '') === stem) ?? null;
}

/**
 * Locates each gold quote in its document: the eval set names quotes, the metrics compare
 * spans. A quote the document holds more than once (a lead repeated in the body) is gold
 * wherever it stands. In text extracted from a PDF or web page the same words may be spaced
 * or punctuated differently, so a quote not found as is is looked for with those folded away.
 */
export async function resolveGold(sourceIds: readonly string[], question: EvalQuestion, readText: (sourceId: string) => Promise<string>, approximate = false): Promise<GoldSpan[]> {
  const spans: GoldSpan[] = [];
  for (const answer of question.answers) {
    const sourceId = goldDocument(sourceIds, answer.doc);
    if (!sourceId) throw new Error(`${question.id}: the library has no document ${answer.doc}`);
    const text = await readText(sourceId);
    let start = text.indexOf(answer.quote);
    if (start >= 0) {
      for (; start >= 0; start = text.indexOf(answer.quote, start + 1)) spans.push({ sourceId, start, end: start + answer.quote.length });
      continue;
    }
    const folded = foldText(text);
    const needle = foldPhrase(answer.quote);
    let at = folded.key.indexOf(needle);
    if (at < 0 && approximate) {
      // Not there even approximately: OCR lost those words, and the question counts as missed.
      const near = nearestWindow(text, answer.quote);
      if (near) spans.push({ sourceId, ...near });
      continue;
    }
    if (at < 0) throw new Error(`${question.id}: gold quote not found in ${sourceId}`);
    for (; at >= 0; at = folded.key.indexOf(needle, at + 1)) spans.push({ sourceId, start: folded.starts[at] as number, end: folded.ends[at + needle.length - 1] as number });
  }
  return spans;
}

/**
 * For text read by OCR, where a quote may differ from the document by a misread letter: the run
 * of as many words as the quote that shares the most of its words (at least 80 %), or null.
 */
function nearestWindow(text: string, quote: string): { start: number; end: number } | null {
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ word: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length }));
  const wanted = (quote.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  if (wanted.length === 0 || words.length < wanted.length) return null;
  const need = new Map<string, number>();
  for (const word of wanted) need.set(word, (need.get(word) ?? 0) + 1);
  let best: { start: number; end: number; score: number } | null = null;
  for (let i = 0; i + wanted.length <= words.length; i++) {
    const left = new Map(need);
    let shared = 0;
    for (let j = i; j < i + wanted.length; j++) {
      const word = (words[j] as { word: string }).word;
      const count = left.get(word) ?? 0;
      if (count > 0) {
        shared++;
        left.set(word, count - 1);
      }
    }
    const score = shared / wanted.length;
    if (!best || score > best.score) best = { start: (words[i] as { start: number }).start, end: (words[i + wanted.length - 1] as { end: number }).end, score };
  }
  return best && best.score >= 0.8 ? { start: best.start, end: best.end } : null;
}

function hits(citation: Citation, gold: GoldSpan[]): boolean {
  return gold.some((g) => g.sourceId === citation.sourceId && citation.start < g.end && g.start < citation.end);
}

/** Runs every question through one retrieval mode and scores it as the eval README defines. */
export async function runEval(answerer: Answerer, corpusDir: string, questions: EvalQuestion[], mode: RetrievalMode, k = 10, options: { approximateGold?: boolean } = {}): Promise<EvalMetrics> {
  const cache = new Map<string, string>();
  const sourceIds = answerer.library.documents.map((doc) => doc.sourceId);
  // Quotes are checked against the source itself: a text file's own text, or the text read
  // again from a PDF, web page or Word file (so extraction must give the same text each time).
  const readText = async (sourceId: string): Promise<string> => {
    let text = cache.get(sourceId);
    if (text === undefined) {
      const bytes = await readFile(path.join(corpusDir, sourceId));
      const stored = answerer.library.document(sourceId);
      if (isPlainText(stored?.format)) text = new TextDecoder('utf-8').decode(bytes);
      else {
        const again = await extractDocument(bytes, sourceId, { ...DEFAULT_EXTRACT_LIMITS, maxFileBytes: Infinity });
        text = again.ok ? again.extracted.text : '';
      }
      cache.set(sourceId, text);
    }
    return text;
  };
  const outcomes: QuestionOutcome[] = [];
  let quotesChecked = 0;
  let verbatim = 0;
  let reciprocalRanks = 0;
  for (const question of questions) {
    const gold = await resolveGold(sourceIds, question, readText, options.approximateGold ?? false);
    const answer: Answer = await answerer.ask(question.question, { k, mode });
    let hitRank: number | null = null;
    for (const [i, result] of answer.results.entries()) {
      for (const shown of [result, ...result.corroboratedBy]) {
        quotesChecked++;
        if ((await readText(shown.sourceId)).slice(shown.start, shown.end) === shown.quote) verbatim++;
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
