import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { buildLexicalIndex, LEXICAL_OPTIONS, LexicalIndexError, loadLexicalIndex, type LexicalDocument } from '../../src/search/lexical-index.js';
import { Vocabulary } from '../../src/search/vocabulary.js';

// The bundled articles, one passage per paragraph: real boilerplate, repeats, curly quotes and Cyrillic.
const corpusDir = path.resolve('corpus');
const passages: LexicalDocument[] = readdirSync(corpusDir)
  .filter((name) => name.endsWith('.txt'))
  .sort()
  .flatMap((name) => readFileSync(path.join(corpusDir, name), 'utf8').split(/\n\s*\n/u))
  .map((text) => text.trim())
  .filter((text) => text.length > 0)
  .map((text, id) => ({ id, text }));

/** MiniSearch's own search over the same passages: the ranking Witness's scorer must reproduce. */
const reference = new MiniSearch<LexicalDocument>(LEXICAL_OPTIONS);
reference.addAll(passages);
/** As stored in lexical.json and read back. */
const json = JSON.stringify(buildLexicalIndex(passages));
const index = loadLexicalIndex(json);
const expected = (question: string, limit: number): { id: number; score: number }[] =>
  reference
    .search(question, { combineWith: 'OR' })
    .slice(0, limit)
    .map((r) => ({ id: r.id as number, score: r.score }));

function expectSameRanking(question: string, limit: number, scorer = index): void {
  const got = scorer.search(question, limit);
  const want = expected(question, limit);
  expect(got.map((hit) => hit.id)).toEqual(want.map((hit) => hit.id));
  got.forEach((hit, i) => expect(hit.score).toBeCloseTo((want[i] as { score: number }).score, 9));
}

describe('BM25 over the stored lexical index', () => {
  it('holds every paragraph of the sample library', () => {
    expect(passages.length).toBeGreaterThan(50);
    expect(index.size).toBe(passages.length);
  });

  it.each([
    'Who published the photos of torture in Mosul?',
    'tortured torture torturing', // three forms of one stem
    'Mosul Mosul Mosul prisoners', // a word asked three times counts three times
    'Were kids abused by government troops?',
    'Hajj Ali village cable confess',
    '“Email Article” — share',
    'Der Spiegel Ali Arkady',
  ])('ranks %j as MiniSearch does', (question) => {
    expectSameRanking(question, 50);
    expectSameRanking(question, 3);
  });

  it('finds nothing for a question of stopwords or unknown words', () => {
    expect(index.search('what is the of and', 10)).toEqual([]);
    expect(index.search('qwzxv blorptang', 10)).toEqual([]);
    expect(index.search('', 10)).toEqual([]);
  });

  it('returns at most the limit, best first, and nothing is left over between questions', () => {
    const hits = index.search('Iraqi soldiers prisoners Mosul', 5);
    expect(hits).toHaveLength(5);
    for (let i = 1; i < hits.length; i++) expect((hits[i - 1] as { score: number }).score).toBeGreaterThanOrEqual((hits[i] as { score: number }).score);
    index.search('completely different words: Cyrillic спасибо, photographs, journalist', 50);
    expect(index.search('Iraqi soldiers prisoners Mosul', 5)).toEqual(hits);
  });

  it('agrees with MiniSearch on questions made of any words from the library', () => {
    const vocabulary = [...new Set(passages.flatMap((p) => p.text.split(/[\s\p{P}]+/u)).filter(Boolean))];
    const word = fc.oneof(fc.constantFrom(...vocabulary), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 60 }), (words, limit) => {
        expectSameRanking(words.join(' '), limit);
      }),
      { seed: 20261122, numRuns: 300 },
    );
  });

  it("reads an index stored in MiniSearch's own form (written by earlier versions) and ranks the same", () => {
    const older = loadLexicalIndex(JSON.stringify(reference));
    expect(older.size).toBe(passages.length);
    for (const question of ['Who published the photos of torture in Mosul?', 'Hajj Ali village cable confess', 'Mosul Mosul prisoners']) expectSameRanking(question, 20, older);
  });

  it("stores a compact form smaller than MiniSearch's", () => {
    expect(json.length).toBeLessThan(JSON.stringify(reference).length);
  });

  it('refuses a stored index it cannot read, with a clear error', () => {
    const stored = JSON.parse(json) as Record<string, unknown>;
    const refused = (text: string): void => expect(() => loadLexicalIndex(text)).toThrow(LexicalIndexError);
    refused('not json');
    refused('null');
    refused('{"index": 5}');
    refused(JSON.stringify({ ...stored, format: 'witness-bm25/99' }));
    refused(JSON.stringify({ ...JSON.parse(JSON.stringify(reference)), serializationVersion: 3 }));
    refused(JSON.stringify({ ...stored, postingDoc: (stored.postingDoc as string).slice(0, 10) }));
    refused(JSON.stringify({ ...stored, postingFreq: undefined }));
    refused(JSON.stringify({ ...stored, terms: ['only-one'] }));
  });
});

describe.each([
  ['the vocabulary: BM25 from word statistics and the text at hand, no postings', Vocabulary.of(index)],
  ['the BM25 index: the same analysis from its postings', index],
] as const)('%s', (_name, vocabulary) => {
  /** MiniSearch's score for every passage sharing a word with the question. */
  const scores = (question: string): Map<number, number> => new Map(reference.search(question, { combineWith: 'OR' }).map((r) => [r.id as number, r.score]));

  function expectSameScores(question: string, some: LexicalDocument[] = passages): void {
    const want = scores(question);
    const got = vocabulary.analyze(question, some).passages;
    for (const passage of some) {
      const expected = want.get(passage.id);
      if (expected === undefined) expect(got.has(passage.id)).toBe(false);
      else expect(got.get(passage.id)?.bm25).toBeCloseTo(expected, 9);
    }
  }

  it.each(['Who published the photos of torture in Mosul?', 'tortured torture torturing', 'Mosul Mosul Mosul prisoners', 'Der Spiegel Ali Arkady', '“Email Article” — share'])(
    'scores each passage for %j as MiniSearch does, from the passage text alone',
    (question) => {
      expectSameScores(question);
      // Only the passages asked about are read and scored.
      const few = passages.slice(10, 20);
      expect([...vocabulary.analyze(question, few).passages.keys()].every((id) => few.some((p) => p.id === id))).toBe(true);
      expectSameScores(question, few);
    },
  );

  it('agrees with MiniSearch on questions made of any words from the library', () => {
    const words = [...new Set(passages.flatMap((p) => p.text.split(/[\s\p{P}]+/u)).filter(Boolean))];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 12 }), (asked) => expectSameScores(asked.join(' '))),
      { seed: 20261203, numRuns: 100 },
    );
  });

  it('measures how much of the question a passage holds, the library never holding a word counting against it', () => {
    const question = 'Who published the photos of torture in Mosul?';
    const { passages: scored, knownShare, unknownWords } = vocabulary.analyze(question, passages);
    expect(unknownWords).toEqual([]);
    expect(knownShare).toBe(1);
    const coverages = [...scored.values()].map((s) => s.coverage);
    expect(Math.max(...coverages)).toBeLessThanOrEqual(1);
    expect(Math.min(...coverages)).toBeGreaterThan(0);
    // A passage holding every known word of the question covers it whole.
    const all = vocabulary.analyze('Mosul torture', passages).passages;
    expect(Math.max(...[...all.values()].map((s) => s.coverage))).toBeCloseTo(1, 9);

    const partly = vocabulary.analyze('Did Zorblaxian soldiers torture people in Mosul?', passages);
    expect(partly.unknownWords).toEqual(['zorblaxian']);
    expect(partly.knownShare).toBeGreaterThan(0);
    expect(partly.knownShare).toBeLessThan(1);
    expect(Math.max(...[...partly.passages.values()].map((s) => s.coverage))).toBeLessThan(1);
  });

});

it('the vocabulary holds one entry per distinct word, not per passage', () => {
  const vocabulary = Vocabulary.of(index);
  expect(vocabulary.size).toBe((JSON.parse(json) as { terms: string[] }).terms.length);
  expect(vocabulary.documentCount).toBe(passages.length);
});
