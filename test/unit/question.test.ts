import { describe, expect, it } from 'vitest';
import { checkQuestion, QuestionError } from '../../src/search/question.js';

describe('checkQuestion', () => {
  it('trims and strips zero-width and control characters', () => {
    expect(checkQuestion('  Who\u200B published\u0007 the photos?\n')).toBe('Who published the photos?');
  });

  it.each([
    ['', /empty/u],
    ['   \t ', /empty/u],
    ['\u200B\u200D', /empty/u],
    ['🙂', /no words/u],
    ['?!', /no words/u],
    ['x'.repeat(1001), /limit is 1000/u],
  ])('rejects %j with a message fit for the asker', (input, message) => {
    expect(() => checkQuestion(input)).toThrow(QuestionError);
    expect(() => checkQuestion(input)).toThrow(message);
  });

  it('accepts questions in other scripts', () => {
    expect(checkQuestion('Что случилось в Мосуле?')).toBe('Что случилось в Мосуле?');
    expect(checkQuestion('ماذا حدث في الموصل؟')).toBe('ماذا حدث في الموصل؟');
  });
});
