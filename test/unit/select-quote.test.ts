import { describe, expect, it } from 'vitest';
import { EXTRA_SENTENCE_PENALTY, quoteWindows, selectQuote } from '../../src/search/select-quote.js';

const sentences = [
  { start: 0, end: 10 },
  { start: 11, end: 20 },
  { start: 21, end: 30 },
  { start: 31, end: 40 },
];

describe('quote windows', () => {
  it('lists every run of one to three consecutive sentences', () => {
    const windows = quoteWindows(sentences);
    expect(windows).toHaveLength(4 + 3 + 2);
    expect(windows.every((w) => w.last - w.first < 3)).toBe(true);
    expect(windows).toContainEqual({ first: 1, last: 3, start: 11, end: 40 });
  });

  it('picks the most similar window, preferring the shorter one unless a longer one is clearly better', () => {
    const windows = quoteWindows(sentences);
    const similarity = (first: number, last: number, value: number) => windows.map((w) => (w.first === first && w.last === last ? value : 0.1));
    expect(selectQuote(windows, similarity(2, 2, 0.7))).toMatchObject({ start: 21, end: 30 });
    const tie = windows.map((w) => (w.first === 1 && w.last === 1 ? 0.7 : w.first === 1 && w.last === 2 ? 0.7 + EXTRA_SENTENCE_PENALTY / 2 : 0.1));
    expect(selectQuote(windows, tie)).toMatchObject({ first: 1, last: 1 });
    const clearlyBetter = windows.map((w) => (w.first === 1 && w.last === 1 ? 0.7 : w.first === 1 && w.last === 2 ? 0.75 : 0.1));
    expect(selectQuote(windows, clearlyBetter)).toMatchObject({ first: 1, last: 2, start: 11, end: 30 });
  });
});
