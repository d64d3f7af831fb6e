import { answerEvidence, SIGNAL } from '../library/answer-signals.js';
import type { Candidate } from './retrieve.js';
import { metadataWords } from './document-metadata.js';
import type { Passage } from './library.js';
import type { QuestionIntent } from './question-intent.js';

const KIND_NAMES: [number, string][] = [
  [SIGNAL.number, 'a number'],
  [SIGNAL.date, 'a date'],
  [SIGNAL.name, 'a name'],
];

/** Whether the question writes `word` capitalised somewhere other than at its start: a name. */
function writtenAsName(question: string, word: string): boolean {
  const lower = question.toLowerCase();
  for (let at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + 1)) {
    if (at > 0 && /\p{Lu}/u.test(question[at] ?? '')) return true;
  }
  return false;
}

/**
 * The names the question writes (capitalised) that no passage contains and that name no
 * document by its metadata or an author's alias ("Ike", "Teddy"): something the library never
 * mentions.
 */
export function unknownNames(question: string, unknownWords: readonly string[], namesADocument: (word: string) => boolean): string[] {
  return unknownWords.filter((word) => writtenAsName(question, word) && !namesADocument(word));
}

export interface KindSearch {
  /** How many of the first candidates are read. */
  depth: number;
  /** How many of their sentences closest to the question are read, each with its neighbours. */
  topSentences: number;
  similarity: (passage: Passage, sentence: number) => number;
  /** Also read the sentences on either side of the closest ones. */
  neighbours: boolean;
}

/**
 * The kinds of answer the question asks for (a number, a date, a name) that the closest
 * passages do not state, as words ("a number or a date"), or null when one is stated or none is
 * asked for. Read in the sentences closest to the question and the sentences on either side of
 * them ("He had trusted the unit. Then he saw what it did to 170 prisoners."), apart from what
 * the question itself already says ("how many … in 2014" is not answered by "2014").
 */
export function missingKind(intent: QuestionIntent, top: readonly Candidate[], question: string, search: KindSearch): string | null {
  if (intent.wants === 0) return null;
  const asked = new Set(metadataWords(question));
  const fresh = (value: string): boolean => metadataWords(value).some((word) => !asked.has(word));
  const sentences: { passage: Passage; index: number; similarity: number }[] = [];
  for (const { passage } of top.slice(0, search.depth)) {
    passage.chunk.sentences.forEach((_, index) => sentences.push({ passage, index, similarity: search.similarity(passage, index) }));
  }
  sentences.sort((a, b) => b.similarity - a.similarity);
  const read = new Set<string>();
  for (const { passage, index } of sentences.slice(0, search.topSentences > 0 ? search.topSentences : undefined)) {
    const reach = search.neighbours ? 1 : 0;
    for (let at = Math.max(0, index - reach); at <= Math.min(passage.chunk.sentences.length - 1, index + reach); at++) {
      const key = `${String(passage.id)}:${String(at)}`;
      if (read.has(key)) continue;
      read.add(key);
      if (((passage.chunk.signals[at] ?? 0) & intent.wants) === 0) continue;
      const [start, end] = passage.chunk.sentences[at] as [number, number];
      const evidence = answerEvidence(passage.document.text.slice(start, end));
      if ((intent.wants & SIGNAL.number) !== 0 && evidence.numbers.some(fresh)) return null;
      if ((intent.wants & SIGNAL.date) !== 0 && evidence.dates.some(fresh)) return null;
      if ((intent.wants & SIGNAL.name) !== 0 && evidence.names.some(fresh)) return null;
    }
  }
  return KIND_NAMES.filter(([bit]) => (intent.wants & bit) !== 0)
    .map(([, name]) => name)
    .join(' or ');
}
