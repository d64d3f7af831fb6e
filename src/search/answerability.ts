import { ANSWERABILITY_MODEL } from './answerability-model.js';

/**
 * What decides whether the library answers a question: one logistic model over all the
 * evidence, instead of one similarity bar. Fitted on the tuning sets by
 * `scripts/fit-answerability.ts`, which writes answerability-model.ts; its precision and recall
 * for each outcome are in docs/quality.md.
 */
export interface AnswerabilityFeatures {
  /** Best passage similarity, minus the model's similarity bar (model-profiles.ts). */
  dense: number;
  /** Best sentence similarity among the candidates, minus the bar. */
  sentence: number;
  /** Largest share of the question's words (IDF-weighted) that one of the first candidates holds. */
  coverage: number;
  /** IDF-weighted share of the question's words the library holds anywhere. */
  known: number;
  /** 1 when the question names a few documents by author, publisher, alias or year. */
  named: number;
  /** 1 when the question asks for a number, date or name and none is stated in the closest sentences or beside them. */
  kindMissing: number;
  /** The same, read in the two closest sentences alone. */
  kindMissingClosest: number;
  /** Largest share of the question's words (IDF-weighted) that one sentence of the first candidates holds. */
  sentenceCoverage: number;
  /** 1 when the question names (capitalised) something the library and its metadata never mention. */
  unknownName: number;
  /** Best hybrid ranking score (rerank.ts), divided by 10. */
  rank: number;
}

export const ANSWERABILITY_FEATURES = ['dense', 'sentence', 'coverage', 'known', 'named', 'kindMissing', 'kindMissingClosest', 'sentenceCoverage', 'unknownName', 'rank'] as const satisfies readonly (keyof AnswerabilityFeatures)[];

export interface AnswerabilityModel {
  /** Per feature: mean and standard deviation used to standardise it, and its weight. */
  features: Record<keyof AnswerabilityFeatures, { mean: number; scale: number; weight: number }>;
  bias: number;
  /** A question whose probability of being answerable is below this is not answered. */
  threshold: number;
}

/** The model's probability that the library answers the question. */
export function answerability(features: AnswerabilityFeatures, model: AnswerabilityModel = ANSWERABILITY_MODEL): number {
  let z = model.bias;
  for (const name of ANSWERABILITY_FEATURES) {
    const { mean, scale, weight } = model.features[name];
    z += (weight * (features[name] - mean)) / (scale > 0 ? scale : 1);
  }
  return 1 / (1 + Math.exp(-z));
}
