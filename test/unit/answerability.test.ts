import { describe, expect, it } from 'vitest';
import { answerability, type AnswerabilityFeatures } from '../../src/search/answerability.js';
import { ANSWERABILITY_MODEL } from '../../src/search/answerability-model.js';

// Feature vectors shaped like the tuning questions' (docs/quality.md, "Deciding to answer").
const onTopic = (scale: number, similarity: number): AnswerabilityFeatures => {
  const features: AnswerabilityFeatures = {
    dense: similarity,
    sentence: similarity,
    coverage: 0.6,
    known: 1,
    named: 0,
    kindMissing: 0,
    kindMissingClosest: 0,
    sentenceCoverage: 0.6,
    unknownName: 0,
    denseGap: 0.04,
    sentenceGap: 0.06,
    libraryScale: scale,
    rank: 3.7,
    rankAtScale: 0,
    sentenceAtScale: 0,
  };
  features.rankAtScale = features.rank * scale;
  features.sentenceAtScale = features.sentence * scale;
  return features;
};

describe('the answerability model', () => {
  const { threshold } = ANSWERABILITY_MODEL;

  it('answers a question whose best sentence is well above the similarity bar, in a small and a large library', () => {
    expect(answerability(onTopic(1.84, 0.08), ANSWERABILITY_MODEL)).toBeGreaterThanOrEqual(threshold);
    expect(answerability(onTopic(3.96, 0.08), ANSWERABILITY_MODEL)).toBeGreaterThanOrEqual(threshold);
  });

  it('declines one far under the bar that shares few words with the library', () => {
    const offTopic = { ...onTopic(1.84, -0.06), coverage: 0, sentenceCoverage: 0, known: 0.1, rank: 3.1 };
    offTopic.rankAtScale = offTopic.rank * offTopic.libraryScale;
    expect(answerability(offTopic, ANSWERABILITY_MODEL)).toBeLessThan(threshold);
  });

  it('grows with the best sentence similarity, all else equal', () => {
    const low = answerability(onTopic(3.96, 0), ANSWERABILITY_MODEL);
    const high = answerability(onTopic(3.96, 0.05), ANSWERABILITY_MODEL);
    expect(high).toBeGreaterThan(low);
  });
});
