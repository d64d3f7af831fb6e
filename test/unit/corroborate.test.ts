import { describe, expect, it } from 'vitest';
import { matchingWindow, overlap, SAME_PASSAGE_OVERLAP, shingles } from '../../src/search/corroborate.js';

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
