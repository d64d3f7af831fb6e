import { BM25, lexicalTerm, tokenize, type LexicalIndex } from './lexical-index.js';

/** A passage whose words are counted for one question. */
export interface CountedPassage {
  id: number;
  text: string;
}

/** What a question's words earn in the passages it is asked against. */
export interface LexicalAnalysis {
  /** Each given passage that holds a word of the question: its BM25 score and the IDF-weighted share of the question's words it holds. */
  passages: Map<number, { bm25: number; coverage: number }>;
  /** Words of the question (stopwords aside) that no passage of the library contains. */
  unknownWords: string[];
  /** The IDF-weighted share of the question's words that some passage holds (0–1). */
  knownShare: number;
}

/**
 * The library's word statistics without its postings: each term's document frequency, the number
 * of passages and their average length. That is all BM25 needs to score a passage whose text is
 * at hand, so ranking reads the few candidates' texts instead of holding an inverted index of the
 * whole library; it grows with the vocabulary, not with the passages. Scores are the ones
 * MiniSearch gives (BM25+ per question term, summed, times the number of distinct question terms
 * the passage holds), and a passage's length is MiniSearch's: its distinct words as written.
 */
export class Vocabulary {
  constructor(
    /** Per term (as `lexicalTerm` makes it), how many passages hold it. */
    private readonly documentFrequency: Map<string, number>,
    readonly documentCount: number,
    readonly averageLength: number,
  ) {}

  /** The statistics of a lexical index, without its postings. */
  static of(index: LexicalIndex): Vocabulary {
    const { documentFrequency, documentCount, averageLength } = index.termStatistics();
    return new Vocabulary(documentFrequency, documentCount, averageLength);
  }

  get size(): number {
    return this.documentFrequency.size;
  }

  private idf(term: string): number {
    const matching = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (this.documentCount - matching + 0.5) / (matching + 0.5));
  }

  /** The question's terms that some passage holds, with how often each is asked, in the order asked. */
  private questionTerms(question: string): Map<string, number> {
    const terms = new Map<string, number>();
    for (const token of tokenize(question)) {
      const term = lexicalTerm(token);
      if (term !== null && this.documentFrequency.has(term)) terms.set(term, (terms.get(term) ?? 0) + 1);
    }
    return terms;
  }

  /** The question's known terms, each with its rarity (IDF), for measuring how much of the question a text holds (`coverageOf`). */
  questionWeights(question: string): Map<string, number> {
    const weights = new Map<string, number>();
    for (const term of this.questionTerms(question).keys()) weights.set(term, this.idf(term));
    return weights;
  }

  /** The question's words, lower-cased, that no passage of the library holds. */
  unknownWords(question: string): string[] {
    const unknown: string[] = [];
    for (const token of tokenize(question)) {
      const term = lexicalTerm(token);
      const word = token.toLowerCase();
      if (term !== null && !this.documentFrequency.has(term) && !unknown.includes(word)) unknown.push(word);
    }
    return unknown;
  }

  /** BM25 and coverage of each given passage for the question, from its text and the library's statistics. */
  analyze(question: string, passages: Iterable<CountedPassage>): LexicalAnalysis {
    const { k, b, d } = BM25;
    const asked = [...this.questionTerms(question)].map(([term, repeats]) => ({ term, repeats, idf: this.idf(term) }));
    let totalIdf = 0;
    for (const { idf } of asked) totalIdf += idf;
    const unknownWords = this.unknownWords(question);
    // A word no passage holds counts in the whole at the highest rarity there is, so a question
    // most of whose words the library lacks ("where is the isis boss supposedly holed up") is not
    // "covered" by a passage that holds its one known word.
    const whole = totalIdf + unknownWords.length * Math.log(1 + (this.documentCount + 0.5) / 0.5);
    const scored = new Map<number, { bm25: number; coverage: number }>();
    if (asked.length > 0) {
      for (const passage of passages) {
        const tokens = tokenize(passage.text);
        const frequency = new Map<string, number>();
        for (const token of tokens) {
          const term = lexicalTerm(token);
          if (term !== null) frequency.set(term, (frequency.get(term) ?? 0) + 1);
        }
        const norm = k * (1 - b + (b * new Set(tokens).size) / this.averageLength);
        let score = 0;
        let matched = 0;
        let covered = 0;
        for (const { term, repeats, idf } of asked) {
          const count = Math.min(frequency.get(term) ?? 0, 0xffff);
          if (count === 0) continue;
          covered += idf;
          // A word asked twice counts twice, as in MiniSearch, where each occurrence is its own query.
          score += repeats * idf * (d + (count * (k + 1)) / (count + norm));
          matched++;
        }
        if (matched > 0) scored.set(passage.id, { bm25: score * matched, coverage: whole > 0 ? covered / whole : covered });
      }
    }
    return { passages: scored, unknownWords, knownShare: whole > 0 ? totalIdf / whole : 0 };
  }
}
