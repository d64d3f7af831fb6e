import MiniSearch, { type Options } from 'minisearch';
import { stemmer } from 'stemmer';
import { eng as englishStopwords } from 'stopword';

const STOPWORDS = new Set(englishStopwords);

export interface LexicalDocument {
  id: number;
  text: string;
}

/** Folds case, accents and apostrophes, drops stopwords, and stems, so "tortured" finds "torture". */
export function lexicalTerm(term: string): string | null {
  const folded = term
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s$/u, '');
  if (folded.length === 0 || STOPWORDS.has(folded)) return null;
  return /^[a-z]+$/u.test(folded) ? stemmer(folded) : folded;
}

const OPTIONS: Options<LexicalDocument> = {
  fields: ['text'],
  storeFields: [],
  processTerm: lexicalTerm,
  searchOptions: { processTerm: lexicalTerm },
};

export type LexicalIndex = MiniSearch<LexicalDocument>;

export function buildLexicalIndex(documents: LexicalDocument[]): LexicalIndex {
  const index = new MiniSearch<LexicalDocument>(OPTIONS);
  index.addAll(documents);
  return index;
}

export function loadLexicalIndex(json: string): LexicalIndex {
  return MiniSearch.loadJSON<LexicalDocument>(json, OPTIONS);
}

/** BM25 ranking of passage ids for a question, best first. */
export function searchLexical(index: LexicalIndex, question: string, limit: number): { id: number; score: number }[] {
  return index
    .search(question, { combineWith: 'OR' })
    .slice(0, limit)
    .map((result) => ({ id: result.id as number, score: result.score }));
}
