/**
 * What decides whether the library answers a question: one logistic model over all the
 * evidence, instead of one similarity bar. Fitted on the tuning sets by
 * `scripts/fit-answerability.ts`, which writes the shipped model to answerability-model.ts; its precision and recall
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
  /**
   * How far the best passage similarity stands above the 20th best candidate's: an off-topic
   * question is about as far from every passage, an on-topic one is near a few. Unlike the raw
   * similarity this does not move with how alike a library's passages are.
   */
  denseGap: number;
  /** The same for the best sentence similarity of each candidate. */
  sentenceGap: number;
  /**
   * log10 of the number of passages in the library: in a large library some passage is always
   * somewhat close, so the same similarity and score mean less. The tuning sets cover 69 and
   * 9,207 passages; between and beyond them this is an interpolation.
   */
  libraryScale: number;
  /** Best hybrid ranking score (rerank.ts), divided by 10. */
  rank: number;
  /** `rank` × `libraryScale`: lets the score a question needs grow with the library. */
  rankAtScale: number;
  /** `sentence` × `libraryScale`. */
  sentenceAtScale: number;
}

export const ANSWERABILITY_FEATURES = ['dense', 'sentence', 'coverage', 'known', 'named', 'kindMissing', 'kindMissingClosest', 'sentenceCoverage', 'unknownName', 'denseGap', 'sentenceGap', 'libraryScale', 'rank', 'rankAtScale', 'sentenceAtScale'] as const satisfies readonly (keyof AnswerabilityFeatures)[];

export interface AnswerabilityModel {
  /** Per feature: mean and standard deviation used to standardise it, and its weight. */
  features: Record<keyof AnswerabilityFeatures, { mean: number; scale: number; weight: number }>;
  bias: number;
  /** A question whose probability of being answerable is below this is not answered. */
  threshold: number;
  /**
   * The library sizes (passages) of the tuning sets it was fitted on. A smaller library decides
   * by the similarity bar and the rules instead (Answerer.ask): its word statistics and
   * similarity gaps lie outside anything the model saw. A larger one is read at the largest size.
   */
  passages: { min: number; max: number };
}

/** The model's probability that the library answers the question. */
export function answerability(features: AnswerabilityFeatures, model: AnswerabilityModel): number {
  let z = model.bias;
  for (const name of ANSWERABILITY_FEATURES) {
    const { mean, scale, weight } = model.features[name];
    z += (weight * (features[name] - mean)) / (scale > 0 ? scale : 1);
  }
  return 1 / (1 + Math.exp(-z));
}
