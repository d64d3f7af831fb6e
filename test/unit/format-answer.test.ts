import { describe, expect, it } from 'vitest';
import type { Answer, AnswerResult } from '../../src/search/answer-types.js';
import { formatAnswer, answerJson } from '../../src/cli/format-answer.js';

const result = (recognized: boolean): AnswerResult => ({
  sourceId: 'scan.pdf',
  title: 'Water Report',
  publisher: null,
  date: null,
  url: null,
  paragraph: 3,
  start: 10,
  end: 40,
  quote: 'no toxin was detected at any time',
  format: 'pdf',
  page: 2,
  section: null,
  link: null,
  ...(recognized ? { recognized: true } : {}),
  score: 1,
  similarity: 0.9,
  passage: { start: 0, end: 50 },
  corroboratedBy: [],
});
const answer = (recognized: boolean): Answer => ({ question: 'q?', answered: true, outcome: 'answered', results: [result(recognized)], closest: [] });

describe('the CLI names a quote read by OCR', () => {
  it('in the terminal and in the JSON, and only for a scan', () => {
    expect(formatAnswer(answer(true))).toContain('scan.pdf#page=2, paragraph 3, characters 10–40, read by OCR from a scan');
    expect(formatAnswer(answer(false))).not.toContain('OCR');
    expect((JSON.parse(answerJson(answer(true))) as { results: { recognized?: boolean }[] }).results[0]?.recognized).toBe(true);
    expect(JSON.parse(answerJson(answer(false))).results[0]).not.toHaveProperty('recognized');
  });
});
