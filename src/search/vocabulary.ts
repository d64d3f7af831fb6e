import { bm25Gain, inverseFrequency, lexicalTerm, tokenize, unknownWordsOf, wholeQuestionIdf, type CountedPassage, type LexicalAnalysis, type LexicalIndex, type WordStatistics } from './lexical-index.js';

/**
 * The library's word statistics without its postings: each term's document frequency, the number
 * of passages and their average length. That is all BM25 needs to score a passage whose text is
 * at hand, so ranking reads the few candidates' texts instead of holding an inverted index of the
 * whole library; it grows with the vocabulary, not with the passages. Scores are the ones
 * MiniSearch gives (BM25+ per question term, summed, times the number of distinct question terms
 * the passage holds), and a passage's length is MiniSearch's: its distinct words as written.
 */
export class Vocabulary implements WordStatistics {
  /** Each word as written, to its term: folding and stemming every word of ~100 candidates was most of a question's lexical cost. */
  private readonly terms = new Map<string, string | null>();

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

  /** `lexicalTerm`, remembered (bounded: emptied when it holds as many words as the vocabulary has terms, twice over). */
  private termOf(word: string): string | null {
    let term = this.terms.get(word);
    if (term === undefined) {
      if (this.terms.size > 2 * this.documentFrequency.size + 10_000) this.terms.clear();
      term = lexicalTerm(word);
      this.terms.set(word, term);
    }
    return term;
  }

  private idf(term: string): number {
    return inverseFrequency(this.documentCount, this.documentFrequency.get(term) ?? 0);
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

  questionWeights(question: string): Map<string, number> {
    const weights = new Map<string, number>();
    for (const term of this.questionTerms(question).keys()) weights.set(term, this.idf(term));
    return weights;
  }

  unknownWords(question: string): string[] {
    return unknownWordsOf(question, (term) => this.documentFrequency.has(term));
  }

  /** BM25 and coverage of each given passage for the question, from its text and the library's statistics. */
  analyze(question: string, passages: Iterable<CountedPassage>): LexicalAnalysis {
    const asked = [...this.questionTerms(question)].map(([term, repeats]) => ({ term, repeats, idf: this.idf(term) }));
    const place = new Map(asked.map(({ term }, i) => [term, i]));
    let totalIdf = 0;
    for (const { idf } of asked) totalIdf += idf;
    const unknownWords = this.unknownWords(question);
    const whole = wholeQuestionIdf(totalIdf, unknownWords.length, this.documentCount);
    const scored = new Map<number, { bm25: number; coverage: number }>();
    if (asked.length > 0) {
      const counts = new Uint32Array(asked.length);
      for (const passage of passages) {
        const tokens = tokenize(passage.text);
        counts.fill(0);
        for (const token of tokens) {
          const term = this.termOf(token);
          const at = term === null ? undefined : place.get(term);
          if (at !== undefined) counts[at] = (counts[at] as number) + 1;
        }
        const length = new Set(tokens).size;
        let score = 0;
        let matched = 0;
        let covered = 0;
        asked.forEach(({ repeats, idf }, i) => {
          const count = Math.min(counts[i] as number, 0xffff);
          if (count === 0) return;
          covered += idf;
          score += bm25Gain(repeats, idf, count, length, this.averageLength);
          matched++;
        });
        if (matched > 0) scored.set(passage.id, { bm25: score * matched, coverage: whole > 0 ? covered / whole : covered });
      }
    }
    return { passages: scored, unknownWords, knownShare: whole > 0 ? totalIdf / whole : 0 };
  }
}
