import { describe, expect, it } from 'vitest';
import { groupQuotedSpeech } from '../../src/library/quoted-speech.js';
import { sentenceSpans } from '../../src/library/spans.js';

function units(text: string, maxChars?: number): string[] {
  const span = { start: 0, end: text.length };
  return groupQuotedSpeech(text, span, sentenceSpans(text, span), maxChars).map((u) => text.slice(u.start, u.end));
}

describe('groupQuotedSpeech', () => {
  it('keeps a quotation of several sentences together with the speaker named after it', () => {
    const text =
      'Officials denied it. “They beat me with a cable. I saw another detainee burned. They wanted us to confess,” said another man, who was held near the village. The ministry did not reply.';
    expect(units(text)).toEqual([
      'Officials denied it.',
      '“They beat me with a cable. I saw another detainee burned. They wanted us to confess,” said another man, who was held near the village.',
      'The ministry did not reply.',
    ]);
  });

  it('understands straight double quotes too', () => {
    const text = '"There was blood on the walls. They hit me with pipes," one survivor said. Then the bus left.';
    expect(units(text)).toEqual(['"There was blood on the walls. They hit me with pipes," one survivor said.', 'Then the bus left.']);
  });

  it('leaves sentences alone when there is no quotation or it fits in one sentence', () => {
    const text = 'The army’s report was late. “We are investigating,” a spokesman said. Nothing followed.';
    expect(units(text)).toEqual(['The army’s report was late.', '“We are investigating,” a spokesman said.', 'Nothing followed.']);
  });

  it('keeps ordinary boundaries inside a quotation that never closes in the passage', () => {
    const text = 'He said: “The first thing we saw was smoke. The second was the trucks. Then we ran.';
    expect(units(text)).toEqual(['He said: “The first thing we saw was smoke.', 'The second was the trucks.', 'Then we ran.']);
  });

  it('keeps ordinary boundaries inside a quotation longer than the limit', () => {
    const text = '“One. Two. Three,” she said.';
    expect(units(text, 10)).toEqual(['“One.', 'Two.', 'Three,” she said.']);
    expect(units(text)).toEqual(['“One. Two. Three,” she said.']);
  });

  it('returns exact slices: every unit starts at a sentence start and ends at a sentence end', () => {
    const text = '  “A. B,” he said.\u00a0C.  ';
    const span = { start: 0, end: text.length };
    const sentences = sentenceSpans(text, span);
    const grouped = groupQuotedSpeech(text, span, sentences);
    for (const unit of grouped) {
      expect(sentences.some((s) => s.start === unit.start)).toBe(true);
      expect(sentences.some((s) => s.end === unit.end)).toBe(true);
    }
    expect(grouped.map((u) => text.slice(u.start, u.end))).toEqual(['“A. B,” he said.', 'C.']);
  });
});
