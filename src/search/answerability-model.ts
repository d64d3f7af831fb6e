// Written by scripts/fit-answerability.ts from 1606 tuning questions (qa-dev.jsonl, qa-extra.jsonl, qa-chat-dev.jsonl, qa-holdout.jsonl, qa-blind-chat.jsonl, qa-tune-sample.jsonl, qa-blind-sample-2.jsonl, qa-sotu-dev.jsonl, qa-sotu-blind.jsonl, qa-tune-sotu-a.jsonl, qa-tune-sotu-b.jsonl, qa-blind-sotu-2.jsonl, qa-offtopic-a.jsonl, qa-offtopic-b.jsonl).
// Do not edit by hand: refit instead (docs/quality.md, "Deciding to answer").
import type { AnswerabilityModel } from './answerability.js';

export const ANSWERABILITY_MODEL: AnswerabilityModel = {
  "features": {
    "dense": {
      "mean": 0.0202,
      "scale": 0.0397,
      "weight": 0.6216
    },
    "sentence": {
      "mean": 0.027,
      "scale": 0.0406,
      "weight": 0.5625
    },
    "coverage": {
      "mean": 0.3494,
      "scale": 0.2488,
      "weight": 0.2141
    },
    "known": {
      "mean": 0.6383,
      "scale": 0.3312,
      "weight": 0.3303
    },
    "named": {
      "mean": 0.2304,
      "scale": 0.4211,
      "weight": 0.3092
    },
    "kindMissing": {
      "mean": 0.0093,
      "scale": 0.0962,
      "weight": -0.1473
    },
    "kindMissingClosest": {
      "mean": 0.0255,
      "scale": 0.1577,
      "weight": -0.0781
    },
    "sentenceCoverage": {
      "mean": 0.4543,
      "scale": 0.286,
      "weight": 0.172
    },
    "unknownName": {
      "mean": 0.0137,
      "scale": 0.1162,
      "weight": -0.115
    },
    "denseGap": {
      "mean": 0.03,
      "scale": 0.0192,
      "weight": 0.0775
    },
    "sentenceGap": {
      "mean": 0.0492,
      "scale": 0.0258,
      "weight": -0.3024
    },
    "libraryScale": {
      "mean": 3.01,
      "scale": 1.0571,
      "weight": -0.4809
    },
    "rank": {
      "mean": 3.5407,
      "scale": 0.2463,
      "weight": 0.7741
    },
    "rankAtScale": {
      "mean": 10.7345,
      "scale": 4.0077,
      "weight": -0.2278
    },
    "sentenceAtScale": {
      "mean": 0.0902,
      "scale": 0.1213,
      "weight": 0.7322
    }
  },
  "bias": -0.0638,
  "threshold": 0.163,
  "passages": {
    "min": 69,
    "max": 9207
  }
};
