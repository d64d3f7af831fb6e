import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { buildLexicalIndex, LEXICAL_OPTIONS, LexicalIndexError, loadLexicalIndex, type LexicalDocument } from '../../src/search/lexical-index.js';

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
