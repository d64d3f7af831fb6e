import { describe, expect, it } from 'vitest';
import type { Answer, AnswerResult } from '../../src/search/answer-types.js';
import { mergeAnswers } from '../../src/search/ask-across.js';

function result(sourceId: string, score: number): AnswerResult {
  return {
    sourceId,
    title: sourceId,
    publisher: null,
    date: null,
    url: null,
    paragraph: 1,
    start: 0,
    end: 5,
    quote: 'words',
    format: 'text',
    page: null,
    section: null,
    link: null,
    score,
    similarity: 0.8,
    passage: { start: 0, end: 5 },
    corroboratedBy: [{ sourceId: `${sourceId}-copy`, title: 'copy', publisher: null, date: null, url: null, paragraph: 1, start: 0, end: 5, quote: 'words', format: 'text', page: null, section: null, link: null }],
  };
}

const answered = (...results: AnswerResult[]): Answer => ({ question: 'q', answered: true, outcome: 'answered', results, closest: [] });
const notStated = (reason: string, ...results: AnswerResult[]): Answer => ({ question: 'q', answered: false, outcome: 'not_stated', notStated: reason, results, closest: [] });
const notInLibrary = (...closest: [string, number][]): Answer => ({ question: 'q', answered: false, outcome: 'not_in_library', results: [], closest: closest.map(([sourceId, similarity]) => ({ sourceId, title: sourceId, similarity })) });

describe('one answer from a server library and the base library', () => {
  it('merges answered results by ranking score, each citation (and its corroborations) naming its library', () => {
    const merged = mergeAnswers('q', [
      { label: 'server', answer: answered(result('s1', 5), result('s2', 1)) },
      { label: 'base', answer: answered(result('b1', 3)) },
    ], 2);
    expect(merged.outcome).toBe('answered');
    expect(merged.results.map((r) => [r.sourceId, r.library])).toEqual([['s1', 'server'], ['b1', 'base']]);
    expect(merged.results[1]?.corroboratedBy[0]?.library).toBe('base');
  });

  it('answers from the library that answers, even when the other only has related passages', () => {
    const merged = mergeAnswers('q', [
      { label: 'server', answer: notStated('no number', result('s1', 9)) },
      { label: 'base', answer: answered(result('b1', 1)) },
    ], 5);
    expect(merged.outcome).toBe('answered');
    expect(merged.results.map((r) => r.sourceId)).toEqual(['b1']);
  });

  it('says "not stated" with the reason of the best related passage when neither answers', () => {
    const merged = mergeAnswers('q', [
      { label: 'server', answer: notInLibrary(['s1', 0.7]) },
      { label: 'base', answer: notStated('the closest passages do not state a number', result('b1', 2)) },
    ], 5);
    expect(merged.outcome).toBe('not_stated');
    expect(merged.notStated).toBe('the closest passages do not state a number');
    expect(merged.results.map((r) => r.library)).toEqual(['base']);
  });

  it('says "not in the library" naming the closest sources of both, labelled', () => {
    const merged = mergeAnswers('q', [
      { label: 'server', answer: notInLibrary(['s1', 0.71], ['s2', 0.6]) },
      { label: 'base', answer: notInLibrary(['b1', 0.75], ['b2', 0.65]) },
    ], 5);
    expect(merged.outcome).toBe('not_in_library');
    expect(merged.closest.map((c) => [c.sourceId, c.library])).toEqual([['b1', 'base'], ['s1', 'server'], ['b2', 'base']]);
  });
});
