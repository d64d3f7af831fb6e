import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchingWindow, overlap, SAME_PASSAGE_OVERLAP, shingles } from '../../src/search/corroborate.js';

/** The straightforward definition `shingles` must agree with: split on anything but letters and digits, hash, mix. */
function referenceShingles(text: string): Set<number> {
  const hash = (word: string): number => {
    let h = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
    return h >>> 0;
  };
  const words = text
    .normalize('NFKC')
    .replace(/[\u200B-\u200D\uFEFF]/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map(hash);
  if (words.length < 3) return new Set(words.length > 0 ? [words.reduce((a, b) => Math.imul(a, 31) + b, 7) >>> 1] : []);
  const set = new Set<number>();
  for (let i = 0; i + 3 <= words.length; i++) set.add((Math.imul(words[i] as number, 0x1f1f1f1f) ^ Math.imul(words[i + 1] as number, 0x3f3f3f) ^ (words[i + 2] as number)) >>> 1);
  return set;
}

describe('word-trigram fingerprints', () => {
  it('are those of splitting on everything but letters and digits, for any text', () => {
    // Letters and digits from several scripts, curly quotes, dashes, ellipses, zero-width and
    // non-breaking spaces, combining accents, ligatures, emoji and a lone surrogate.
    const pieces = fc.constantFrom('a', 'Z', '7', 'é', 'e\u0301', 'ß', 'ﬁ', 'Ж', 'д', 'ع', '٣', 'Ⅻ', '²', '“', '”', '’', '—', '–', '…', ' ', '\u00a0', '\u200b', '\ufeff', '\n', '.', ',', '😀', '𝐀', '\ud800', '-', "'");
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(shingles(text)).toEqual(referenceShingles(text));
      }),
      { seed: 20261122, numRuns: 2000 },
    );
  });

  it('agree on a passage in two scripts and on texts of one and two words', () => {
    const text = 'Witnesses said “they were beaten” – repeatedly… in Mosul’s old city; 12 men, aged 15–60. Свидетели сказали.';
    expect(shingles(text)).toEqual(referenceShingles(text));
    expect(shingles('one')).toEqual(referenceShingles('one'));
    expect(shingles('one two')).toEqual(referenceShingles('one two'));
    expect(shingles('')).toEqual(new Set());
  });
});

describe('finding the same passage in two sources', () => {
  const trt = '"There was blood on the walls… They hit me and the others with anything they could lay their hands on, metal rods, shovels, pipes, cables. They walked on top of us with their boots," one survivor told Amnesty International.';
  const dcnf = '“There was blood on the walls … They hit me and the others with anything they could lay their hands on, metal rods, shovels, pipes, cables … They walked on top of us with their boots,” one survivor told Amnesty. “They insulted us, and said that this was revenge for Speicher.”';

  it('sees through curly quotes, spacing and an added sentence', () => {
    expect(overlap(shingles(trt), shingles(dcnf))).toBeGreaterThanOrEqual(SAME_PASSAGE_OVERLAP);
  });

  it('does not mistake two different passages on the same subject for one', () => {
    const other = 'Survivors of past incidents share harrowing details of abuse on hands of militias, who beat detainees with cables.';
    expect(overlap(shingles(trt), shingles(other))).toBeLessThan(SAME_PASSAGE_OVERLAP);
  });

  it('finds the sentences of the other source that carry the quote', () => {
    const sentences = [
      { start: 0, end: dcnf.indexOf('They walked') - 1 },
      { start: dcnf.indexOf('They walked'), end: dcnf.indexOf(' “They insulted') },
      { start: dcnf.indexOf('“They insulted'), end: dcnf.length },
    ];
    const quote = shingles(trt.slice(0, trt.indexOf(' They walked')));
    const window = matchingWindow(dcnf, sentences, quote);
    expect(dcnf.slice(window.start, window.end)).toContain('metal rods, shovels, pipes, cables');
    expect(dcnf.slice(window.start, window.end)).not.toContain('Speicher');
  });
});
