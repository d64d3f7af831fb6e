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
 * hit@1) on every question set in `eval/` in session 11: 1,226 answerable questions by 21 sets'
 * writers on the sample and State of the Union libraries, with the blind sets of sessions 8 to
 * 11 now among them. Each set scored by weights fitted on the other sets (`--by-set`, so on
 * writers the fit never saw) put 939 right passages first and 1,103 in the first three, against
 * 928 and 1,089 for design 3's weights (dense 10, sentence 20, bm25 0.5, coverage 1.4,
 * answerType 1.3, named 1.5, speech 0.2, document 11.5), which had been fitted on 638 questions.
 * BM25 gets no weight of its own (the fit gave -0.01; 0.5 lost 14 of the 17 questions gained in
 * sample): it still brings candidates, and a passage's share of the question's rare words
 * (`coverage`) still counts. The fitted weights (dense 10, sentence 9.07, coverage 0.78,
 * answerType 0.33, named 0.6, document 1.79) are doubled here, which ranks the same, so that a
 * first passage scores about what it did before (dense + sentence + document weighed 41.5, now
 * 41.7): the margins in ask.ts and the answer model read scores on that scale.
 * docs/quality.md ("Design 6") has the figures.
 */
export const RANK_WEIGHTS: RankWeights = {
  dense: 20,
  sentence: 18.14,
  bm25: 0,
  coverage: 1.56,
  answerType: 0.66,
  named: 1.2,
  speech: 0,
  document: 3.58,
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
