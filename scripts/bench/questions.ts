import type { Library } from '../../src/search/library.js';
import { seededRandom } from './measure.js';

/** Question-like probes drawn from the library itself: the opening words of random sentences (seed 7, as in every bench run). */
export function probeQuestions(library: Library, howMany: number): string[] {
  const random = seededRandom(7);
  const questions: string[] = [];
  while (questions.length < howMany && library.passages.length > 0) {
    const passage = library.passages[Math.floor(random() * library.passages.length)];
    const sentence = passage?.chunk.sentences[Math.floor(random() * passage.chunk.sentences.length)];
    if (!passage || !sentence) continue;
    const words = passage.document.text.slice(sentence[0], sentence[1]).split(/\s+/u).slice(0, 14).join(' ');
    if (words.length > 10) questions.push(words);
  }
  return questions;
}
