export const MAX_QUESTION_LENGTH = 1000;

export class QuestionError extends Error {
  override name = 'QuestionError';
}

/** Trims a question and rejects what cannot be searched, with a message fit for the asker. */
export function checkQuestion(raw: string, maxLength = MAX_QUESTION_LENGTH): string {
  // Zero-width and control characters carry no meaning for search.
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const question = raw.replace(/[\u0000-\u0008\u000B-\u001F\u007F\u200B-\u200D\u2060\uFEFF]/gu, '').trim();
  if (question.length === 0) throw new QuestionError('The question is empty: ask something about the library.');
  if (question.length > maxLength) {
    throw new QuestionError(`The question is ${String(question.length)} characters long; the limit is ${String(maxLength)}.`);
  }
  if (!/[\p{L}\p{N}]/u.test(question)) throw new QuestionError('The question has no words in it: ask something about the library.');
  return question;
}
