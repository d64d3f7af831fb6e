import { SIGNAL } from '../library/answer-signals.js';
import type { Passage } from './library.js';
import type { QuestionIntent } from './question-intent.js';
import type { QuestionSimilarities } from './search-store.js';

/**
 * The signals a candidate passage is ranked by, each computed for one question. Only their
 * differences between passages of one question matter: the ranking is a weighted sum.
 */
export interface RankFeatures {
  /** Cosine similarity of the question and the whole passage. */
  dense: number;
  /** The best cosine similarity of the question and one of the passage's sentences. */
  sentence: number;
  /** BM25, scaled by the best BM25 among the candidates, times the share of the question's words the library knows (0–1). */
  bm25: number;
  /** Share of the question's words the passage holds, each weighted by its rarity (IDF). */
  coverage: number;
  /** 1 when a sentence of the passage states the kind of answer asked for (a number for "how many", …). */
  answerType: number;
  /** How well the question names the passage's document by title, author, publisher or year (0–1). */
  named: number;
  /** 1 when the question asks what someone said and the passage quotes speech. */
  speech: number;
  /** The best cosine similarity of the question and any candidate passage of the same document: the document's relevance as a whole. */
  document: number;
}

export const FEATURE_NAMES = ['dense', 'sentence', 'bm25', 'coverage', 'answerType', 'named', 'speech', 'document'] as const satisfies readonly (keyof RankFeatures)[];

export type RankWeights = Record<keyof RankFeatures, number>;

/**
 * Fitted by `scripts/fit-ranking.ts` (pairwise logistic regression, then coordinate ascent on
 * hit@1) on every tuning set in `eval/`, 638 answerable questions on the sample and State of the
 * Union libraries, with passages embedded with their context header (passage-header.ts). Under
 * 5-fold cross-validation the fitted weights put 503 right passages first against 464 for the
 * weights set by hand before (dense 10, sentence 4, bm25 1, coverage 1, answerType 0.3, named 3,
 * speech 0.2, document 2). With the header, a passage's and its document's similarity carry what
 * `named` carried before, so `named` drops from 3 to 1.5. BM25 is kept at 0.5 (the fit gave 0,
 * one question better) so that a question quoting a passage's exact words still favours it.
 * docs/ranking.md has the table.
 */
export const RANK_WEIGHTS: RankWeights = {
  dense: 10,
  sentence: 20,
  bm25: 0.5,
  coverage: 1.4,
  answerType: 1.3,
  named: 1.5,
  speech: 0.2,
  document: 11.5,
};

export function rankScore(features: RankFeatures, weights: RankWeights = RANK_WEIGHTS): number {
  let score = 0;
  for (const name of FEATURE_NAMES) score += weights[name] * features[name];
  return score;
}

/** The score without the signals that belong to the passage's document (`named`, `document`): what the passage itself earns. */
export function passageScore(features: RankFeatures, weights: RankWeights = RANK_WEIGHTS): number {
  return rankScore({ ...features, named: 0, document: 0 }, weights);
}

/** Whether any sentence of the passage states one of the asked-for kinds of answer. */
export function statesAnswerKind(passage: Passage, wants: number): boolean {
  return wants !== 0 && passage.chunk.signals.some((bits) => (bits & wants) !== 0);
}

export interface FeatureInputs {
  intent: QuestionIntent;
  /** The question's similarity to the passage's sentences. */
  similarities: QuestionSimilarities;
  passage: Passage;
  dense: number;
  lexical: { bm25: number; coverage: number } | undefined;
  maxBm25: number;
  /** The IDF-weighted share of the question's words the library holds at all: BM25 counts for that much. */
  knownShare: number;
  named: number;
  documentBest: number;
}

export function rankFeatures(input: FeatureInputs): RankFeatures {
  const { intent, similarities, passage } = input;
  let sentence = -1;
  for (let i = 0; i < passage.chunk.sentences.length; i++) sentence = Math.max(sentence, similarities.sentence(passage.id, i));
  return {
    dense: input.dense,
    sentence,
    bm25: input.maxBm25 > 0 ? (input.knownShare * (input.lexical?.bm25 ?? 0)) / input.maxBm25 : 0,
    coverage: input.lexical?.coverage ?? 0,
    answerType: statesAnswerKind(passage, intent.wants) ? 1 : 0,
    named: input.named,
    document: input.documentBest,
    speech: intent.asksSpeech && passage.chunk.signals.some((bits) => (bits & SIGNAL.quote) !== 0) ? 1 : 0,
  };
}
