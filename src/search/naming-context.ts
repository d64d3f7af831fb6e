/**
 * Whether a word of a question is used to name a document, or only happens to be one of its
 * naming words. A year names an address in "in 1962", "his 1962 message" or "1962's address",
 * but not in "the debt by 1950", "the target for the year 2010" or "since June 1950", where it
 * is what is asked about. A surname that is also a place names its bearer in "what did
 * washington say", not in "the summit held in washington" or "washington, d.c.".
 */

/** One word of a question, lower case, with whether it was written as a possessive ("truman's"). */
export interface QuestionToken {
  word: string;
  possessive: boolean;
}

/** Lower-case words of a question, possessives marked and dropped ("Pillay's" → "pillay"). */
export function questionTokens(question: string): QuestionToken[] {
  const text = question.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const tokens: QuestionToken[] = [];
  for (const match of text.matchAll(/([\p{L}\p{N}]+)(['’]s\b)?/gu)) {
    tokens.push({ word: match[1] ?? '', possessive: match[2] !== undefined });
  }
  return tokens;
}

/** Words before a year that make it a point in time asked about, not the year of a document. */
const YEAR_AS_TARGET = new Set([
  'by', 'until', 'till', 'til', 'before', 'after', 'since', 'through', 'thru', 'to', 'from', 'toward', 'towards', 'beyond', 'past', 'ending', 'end',
  'year', 'fiscal', 'between', 'within', 'around', 'circa',
]);
const MONTHS = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);
/** A year after a month is a date in the text ("in June 1950"): it names a document only half as surely. */
const MONTH_YEAR_WEIGHT = 0.5;

/** Words before or after a name that make it a place ("in washington", "jackson county", "fort monroe"). */
const PLACE_BEFORE = new Set(['in', 'at', 'near', 'into', 'fort', 'ft', 'mount', 'mt', 'lake', 'port', 'camp', 'cape', 'city']);
const PLACE_AFTER = new Set(['dc', 'd', 'city', 'county', 'territory', 'street', 'avenue', 'monument', 'harbor', 'river', 'island', 'mississippi', 'tennessee', 'virginia']);

/** Words after a name that make it the name of a speaker or a document ("in obama address", "in the reagan years"). */
const DOCUMENT_AFTER = new Set(['address', 'addresses', 'speech', 'speeches', 'message', 'messages', 'sotu', 'years', 'era', 'administration', 'presidency', 'term', 'said', 'says', 'say', 'wrote', 'write']);

const YEAR = /^(?:1[5-9]|20)\d\d$/u;

/**
 * How surely the `index`-th token names a document through `field` (1: as a name; 0: not at all).
 * Years are read by YEAR_AS_TARGET and months; author and publisher names by place words around
 * them, unless written as a possessive.
 */
export function namingWeight(tokens: readonly QuestionToken[], index: number, field: 'author' | 'publisher' | 'year' | 'title'): number {
  const token = tokens[index];
  if (!token) return 0;
  if (token.possessive) return 1;
  const before = tokens[index - 1]?.word;
  const after = tokens[index + 1]?.word;
  if (field === 'year' && YEAR.test(token.word)) {
    // "the year 2010", "by 1950", "fiscal 1950", "the end of 1950"
    if (before !== undefined && YEAR_AS_TARGET.has(before)) return 0;
    if (before === 'of' && tokens[index - 2]?.word === 'end') return 0;
    if (before !== undefined && MONTHS.has(before)) return MONTH_YEAR_WEIGHT;
    return 1;
  }
  if (field === 'author' || field === 'publisher') {
    if (after !== undefined && DOCUMENT_AFTER.has(after)) return 1;
    if (before !== undefined && PLACE_BEFORE.has(before)) return 0;
    if (after !== undefined && PLACE_AFTER.has(after)) return 0;
  }
  return 1;
}
