// Written by scripts/fit-answerability.ts from 791 tuning questions (qa-sotu-dev.jsonl, qa-sotu-blind.jsonl, qa-tune-sotu-a.jsonl, qa-tune-sotu-b.jsonl, qa-dev.jsonl, qa-extra.jsonl, qa-chat-dev.jsonl, qa-holdout.jsonl, qa-blind-chat.jsonl, qa-tune-sample.jsonl).
// Do not edit by hand: refit instead (docs/quality.md, "Deciding to answer").
import type { AnswerabilityModel } from './answerability.js';

export const ANSWERABILITY_MODEL: AnswerabilityModel = {
  "features": {
    "dense": {
      "mean": 0.0416,
      "scale": 0.0285,
      "weight": 0.0923
    },
    "sentence": {
      "mean": 0.0475,
      "scale": 0.0335,
      "weight": 0.5006
    },
    "coverage": {
      "mean": 0.457,
      "scale": 0.2318,
      "weight": 0.0862
    },
    "known": {
      "mean": 0.779,
      "scale": 0.2578,
      "weight": 0.1347
    },
    "named": {
      "mean": 0.3641,
      "scale": 0.4812,
      "weight": -0.253
    },
    "kindMissing": {
      "mean": 0.0101,
      "scale": 0.1001,
      "weight": -0.2245
    },
    "kindMissingClosest": {
      "mean": 0.0228,
      "scale": 0.1491,
      "weight": -0.0128
    },
    "sentenceCoverage": {
      "mean": 0.5248,
      "scale": 0.2536,
      "weight": 0.1381
    },
    "unknownName": {
      "mean": 0.0076,
      "scale": 0.0868,
      "weight": -0.1291
    },
    "denseGap": {
      "mean": 0.0372,
      "scale": 0.021,
      "weight": -0.062
    },
    "sentenceGap": {
      "mean": 0.059,
      "scale": 0.0286,
      "weight": -0.5532
    },
    "libraryScale": {
      "mean": 3.0345,
      "scale": 1.0543,
      "weight": -0.1387
    },
    "rank": {
      "mean": 3.6898,
      "scale": 0.173,
      "weight": 0.3178
    },
    "rankAtScale": {
      "mean": 11.2402,
      "scale": 4.0364,
      "weight": 0.0007
    },
    "sentenceAtScale": {
      "mean": 0.1424,
      "scale": 0.1133,
      "weight": 0.9319
    }
  },
  "bias": 0.5968,
  "threshold": 0.1118,
  "passages": {
    "min": 69,
    "max": 9207
  }
};
