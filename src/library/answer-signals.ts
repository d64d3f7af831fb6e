import { createRequire } from 'node:module';
import type { Span } from './types.js';

/**
 * What kinds of answer a sentence can give, as bits: read once at ingest by wink-nlp (its English
 * "lite" model: named-entity recognition for numbers and dates, part-of-speech tags for names)
 * and stored with the sentence, so a question asking "how many" can prefer, and demand, a
 * sentence that states a number.
 */
export const SIGNAL = {
  /** A count, amount, share or duration: "1 million", "$4 billion", "30 percent", "three weeks". */
  number: 1,
  /** A date or time: "November 2016", "1962", "Monday". */
  date: 2,
  /** A proper noun: a person, organisation or place ("Ali Arkadi", "Amnesty", "Mosul"). */
  name: 4,
  /** Quoted words: “…” or "…". */
  quote: 8,
} as const;

const NUMBER_TYPES = new Set(['CARDINAL', 'MONEY', 'PERCENT', 'DURATION']);
const DATE_TYPES = new Set(['DATE', 'TIME']);
const QUOTE_MARKS = /["“”«»„]/u;
/**
 * Amounts wink-nlp's entities miss: "scores of", fractions ("two-thirds", "a quarter of") and
 * plural round numbers. Read as numbers next to its CARDINAL, MONEY, PERCENT and DURATION.
 */
const NUMBER_WORDS = /\b(?:scores? of|dozens|hundreds|thousands|millions|billions|(?:one|two|three|four|a)[- ](?:half|halves|thirds?|quarters?|fourths?|fifths?|tenths?)|half (?:of|a|the)|(?:thirds?|quarters?|fifths?|tenths?) of)\b/iu;

interface WinkDocument {
  entities(): { out(its: unknown): string[] };
  tokens(): { out(its: unknown): string[] };
}
interface Wink {
  readDoc(text: string): WinkDocument;
  its: { type: unknown; pos: unknown; value: unknown };
}

let wink: Wink | null = null;
function reader(): Wink {
  if (!wink) {
    // CommonJS packages, loaded on first use: only ingest needs them.
    const require = createRequire(import.meta.url);
    const winkNLP = require('wink-nlp') as (model: unknown, pipe: string[]) => Wink;
    wink = winkNLP(require('wink-eng-lite-web-model'), ['sbd', 'pos', 'ner']);
  }
  return wink;
}

/**
 * Loads wink-nlp and its model now (about 0.35 s, synchronous) rather than inside the first
 * question that asks "how many", "when" or "who". A long-running front door calls this once it
 * is serving.
 */
export function preloadAnswerSignals(): void {
  reader();
}

/** The words of a text that can answer each kind of question. */
export interface AnswerEvidence {
  /** Counts, amounts, shares, durations ("1 million", "three weeks"). */
  numbers: string[];
  /** Dates and times. */
  dates: string[];
  /** Proper nouns, one word each. */
  names: string[];
}

/** What a text states that could answer "how many", "when" and "who/where", word for word. */
export function answerEvidence(text: string): AnswerEvidence {
  const doc = reader().readDoc(text);
  const its = reader().its;
  const evidence: AnswerEvidence = { numbers: [], dates: [], names: [] };
  const values = doc.entities().out(its.value);
  doc.entities()
    .out(its.type)
    .forEach((type, i) => {
      if (NUMBER_TYPES.has(type)) evidence.numbers.push(values[i] ?? '');
      if (DATE_TYPES.has(type)) evidence.dates.push(values[i] ?? '');
    });
  for (const match of text.matchAll(new RegExp(NUMBER_WORDS.source, 'giu'))) evidence.numbers.push(match[0]);
  const words = doc.tokens().out(its.value);
  doc.tokens()
    .out(its.pos)
    .forEach((pos, i) => {
      if (pos === 'PROPN') evidence.names.push(words[i] ?? '');
    });
  return evidence;
}

/** The answer kinds a text states, as a bit set of SIGNAL. */
export function answerSignals(text: string): number {
  const doc = reader().readDoc(text);
  const its = reader().its;
  let bits = 0;
  for (const type of doc.entities().out(its.type)) {
    if (NUMBER_TYPES.has(type)) bits |= SIGNAL.number;
    if (DATE_TYPES.has(type)) bits |= SIGNAL.date;
  }
  if (NUMBER_WORDS.test(text)) bits |= SIGNAL.number;
  if (doc.tokens().out(its.pos).includes('PROPN')) bits |= SIGNAL.name;
  if (QUOTE_MARKS.test(text)) bits |= SIGNAL.quote;
  return bits;
}

/** The signals of each sentence of a document. */
export function sentenceSignals(text: string, sentences: Span[]): number[] {
  return sentences.map(({ start, end }) => answerSignals(text.slice(start, end)));
}
