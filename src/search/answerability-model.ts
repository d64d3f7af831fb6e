// Placeholder until scripts/fit-answerability.ts writes the fitted model: the old similarity bar.
import type { AnswerabilityModel } from './answerability.js';

const off = { mean: 0, scale: 1, weight: 0 };
export const ANSWERABILITY_MODEL: AnswerabilityModel = {
  features: { dense: { mean: 0, scale: 0.01, weight: 1 }, sentence: off, coverage: off, known: off, named: off, kindMissing: { mean: 0, scale: 1, weight: -50 }, kindMissingClosest: off, sentenceCoverage: off, unknownName: { mean: 0, scale: 1, weight: -50 }, rank: off },
  bias: 0,
  threshold: 0.5,
};
