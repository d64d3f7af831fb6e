// Written by scripts/fit-answerability.ts from 2106 tuning questions (qa-dev.jsonl, qa-extra.jsonl, qa-chat-dev.jsonl, qa-holdout.jsonl, qa-blind-chat.jsonl, qa-tune-sample.jsonl, qa-blind-sample-2.jsonl, qa-sample-3a.jsonl, qa-blind3-sample-b.jsonl, qa-blind3-sample-c.jsonl, qa-blind4-sample-d.jsonl, qa-blind4-sample-e.jsonl, qa-offtopic-a.jsonl, qa-offtopic-b.jsonl, qa-sotu-dev.jsonl, qa-sotu-blind.jsonl, qa-tune-sotu-a.jsonl, qa-tune-sotu-b.jsonl, qa-blind-sotu-2.jsonl, qa-blind3-sotu-a.jsonl, qa-blind3-sotu-b.jsonl, qa-blind4-sotu-c.jsonl, qa-blind4-sotu-d.jsonl).
// Do not edit by hand: refit instead (docs/quality.md, "Deciding to answer").
import type { AnswerabilityModel } from './answerability.js';

export const ANSWERABILITY_MODEL: AnswerabilityModel = {
  "features": {
    "dense": {
      "mean": 0.0266,
      "scale": 0.0384,
      "weight": 0.6009
    },
    "sentence": {
      "mean": 0.0318,
      "scale": 0.0394,
      "weight": 0.4651
    },
    "coverage": {
      "mean": 0.346,
      "scale": 0.2397,
      "weight": 0.2428
    },
    "known": {
      "mean": 0.6644,
      "scale": 0.3164,
      "weight": 0.2713
    },
    "named": {
      "mean": 0.2654,
      "scale": 0.4416,
      "weight": 0.1524
    },
    "kindMissing": {
      "mean": 0.0104,
      "scale": 0.1017,
      "weight": -0.1105
    },
    "kindMissingClosest": {
      "mean": 0.0242,
      "scale": 0.1537,
      "weight": -0.0332
    },
    "sentenceCoverage": {
      "mean": 0.4334,
      "scale": 0.2762,
      "weight": 0.1506
    },
    "unknownName": {
      "mean": 0.0114,
      "scale": 0.1061,
      "weight": -0.0111
    },
    "denseGap": {
      "mean": 0.0307,
      "scale": 0.0198,
      "weight": 0.0487
    },
    "sentenceGap": {
      "mean": 0.0497,
      "scale": 0.0263,
      "weight": -0.3991
    },
    "libraryScale": {
      "mean": 3.0347,
      "scale": 1.0543,
      "weight": -0.3857
    },
    "rank": {
      "mean": 3.5397,
      "scale": 0.2089,
      "weight": 0.8171
    },
    "rankAtScale": {
      "mean": 10.7978,
      "scale": 3.9222,
      "weight": -0.1548
    },
    "sentenceAtScale": {
      "mean": 0.1021,
      "scale": 0.1167,
      "weight": 0.6907
    }
  },
  "bias": 0.1261,
  "threshold": 0.1761,
  "passages": {
    "min": 69,
    "max": 9207
  }
};
