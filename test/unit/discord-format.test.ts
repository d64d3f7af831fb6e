import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { citationLine, ELLIPSIS, embedLength, escapeText, fitText, fragmentLink, LIMITS, plainCitation, quoteBlock, toPayload, unescapeText } from '../../src/discord/format.js';
import { answerReply } from '../../src/discord/messages.js';
import type { Answer, AnswerResult } from '../../src/search/answer-types.js';

const style = { contentWarnings: true, graphicKeywords: ['torture', 'execution'] };

describe('escapeText', () => {
  it('neutralises markdown, mentions, masked links and spoilers, and hides nothing of the text', () => {
    const nasty = '@everyone @here <@123> <@&456> <#789> [click](https://evil.example) ||secret|| **bold** _it_ `code` ~~s~~\n# heading\n-# small\n> quote\n1. list';
    const escaped = escapeText(nasty);
    expect(escaped).not.toMatch(/(^|[^\\])@(everyone|here)/u);
    expect(escaped).not.toMatch(/(^|[^\\])<@/u);
    expect(escaped).not.toMatch(/(^|[^\\])\]\(/u);
    expect(escaped).not.toMatch(/(^|[^\\])\|\|/u);
    expect(escaped).not.toMatch(/^#/mu);
    expect(unescapeText(escaped)).toBe(nasty);
  });

  it('round-trips any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(unescapeText(escapeText(text))).toBe(text);
      }),
    );
  });
});

describe('fitText', () => {
  it('leaves text that fits alone', () => {
    expect(fitText('short and sweet', 100)).toEqual({ text: 'short and sweet', cut: false });
  });

  it('cuts at a word boundary with an ellipsis, and what remains is a verbatim prefix', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('alpha', 'b*', '@everyone', '||x||', 'γάμμα', '[l](u)', '\n', ' '), { minLength: 1, maxLength: 300 }), fc.integer({ min: 10, max: 400 }), (words, max) => {
        const raw = words.join(' ');
        const fitted = fitText(raw, max);
        expect(fitted.text.length).toBeLessThanOrEqual(max);
        const shown = unescapeText(fitted.text);
        if (!fitted.cut) {
          expect(shown).toBe(raw);
          return;
        }
        expect(shown.endsWith(ELLIPSIS)).toBe(true);
        const prefix = shown.slice(0, -1);
        expect(raw.startsWith(prefix)).toBe(true);
        // A word boundary: the raw text goes on with whitespace, unless not even the first word fits.
        const next = raw[prefix.length];
        if (next !== undefined && !/\s/u.test(next)) {
          const firstWordEnd = raw.search(/\S\s/u) + 1;
          if (firstWordEnd > 0) expect(escapeText(raw.slice(0, firstWordEnd) + ELLIPSIS).length).toBeGreaterThan(max);
        }
      }),
    );
  });

  it('cuts a single overlong word mid-word rather than showing nothing', () => {
    const fitted = fitText('x'.repeat(50), 10);
    expect(fitted.text).toBe(`${'x'.repeat(9)}${ELLIPSIS}`);
  });
});

describe('quoteBlock', () => {
  it('block-quotes every line', () => {
    expect(quoteBlock('one\ntwo', 100, style).text).toBe('> one\n> two');
  });

  it('hides graphic passages behind spoiler bars with a content warning, unless turned off', () => {
    const block = quoteBlock('They described torture in the prison.', 200, style);
    expect(block.warning).toEqual(['torture']);
    expect(block.text).toBe('**Content warning:** torture\n||They described torture in the prison.||');
    expect(quoteBlock('They described torture.', 200, { ...style, contentWarnings: false }).text).toBe('> They described torture.');
    expect(quoteBlock('Torturers', 200, style).warning).toEqual([]);
  });

  it('keeps the spoiler closed when the quote is cut', () => {
    const block = quoteBlock(`execution ${'word '.repeat(400)}`, 300, style);
    expect(block.cut).toBe(true);
    expect(block.text.length).toBeLessThanOrEqual(300);
    expect(block.text.endsWith(`${ELLIPSIS}||`)).toBe(true);
  });
});

describe('citations', () => {
  const source = { title: 'A *Report*', publisher: 'Pub', date: '2020-01-02', url: 'https://example.org/a(b)?x=1#old', paragraph: 4, quote: 'The first words of a rather long quoted passage, with commas - and dashes - too.' };

  it('links to the quoted words with a text fragment', () => {
    const link = fragmentLink(source.url, source.quote) as string;
    expect(link).toBe('https://example.org/a%28b%29?x=1#:~:text=The%20first%20words%20of,and%20dashes%20%2D%20too.');
    expect(fragmentLink('https://example.org', 'Short quote')).toBe('https://example.org/#:~:text=Short%20quote');
    expect(fragmentLink('javascript:alert(1)', 'x')).toBeNull();
    expect(fragmentLink(null, 'x')).toBeNull();
  });

  it('names title, publisher, date and paragraph', () => {
    const line = citationLine(source);
    expect(line).toContain('**A \\*Report\\***');
    expect(line).toContain('Pub, 2020-01-02, paragraph 4');
    expect(line).toContain('[open source](https://example.org/a%28b%29?x=1#:~:text=');
    expect(plainCitation(source)).toBe(`“${source.quote}” — A *Report*, Pub, 2020-01-02, paragraph 4. ${fragmentLink(source.url, source.quote) as string}`);
  });
});

describe('toPayload', () => {
  it('never lets anyone be pinged except the target', () => {
    expect(toPayload({ content: 'hi' }).allowedMentions).toEqual({ parse: [], users: [], roles: [], repliedUser: false });
    const targeted = toPayload({ content: 'hi', target: '42' });
    expect(targeted.allowedMentions.users).toEqual(['42']);
    expect(targeted.content).toBe('<@42> hi');
  });

  it('enforces content, embed and message limits', () => {
    const big = 'word '.repeat(3000);
    const payload = toPayload({
      content: big,
      embeds: Array.from({ length: 12 }, () => ({ title: big, description: big, fields: Array.from({ length: 30 }, () => ({ name: big, value: big })), footer: { text: big } })),
    });
    expect(payload.content.length).toBeLessThanOrEqual(LIMITS.content);
    expect(payload.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
    expect(payload.embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(LIMITS.embedsTotal);
  });
});

describe('answerReply', () => {
  function result(i: number, quote: string): AnswerResult {
    return { sourceId: `doc${String(i)}.txt`, title: `Doc ${String(i)}`, publisher: null, date: null, url: null, paragraph: 1, start: 0, end: quote.length, quote, format: 'text', page: null, section: null, link: null, score: 1, similarity: 0.8, passage: { start: 0, end: quote.length }, corroboratedBy: [] };
  }

  it('fits five long quotes into one message, each a verbatim prefix ending in an ellipsis', () => {
    const quote = 'A long sentence of the source, repeated many times over. '.repeat(200).trim();
    const answer: Answer = { question: 'q?', answered: true, outcome: 'answered', results: [1, 2, 3, 4, 5].map((i) => result(i, quote)), closest: [] };
    const reply = answerReply({ answer, answerId: 'id', page: 0, perPage: 5, hidden: false, target: null }, style);
    const payload = toPayload(reply);
    expect(payload.embeds).toHaveLength(5);
    expect(payload.embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(LIMITS.embedsTotal);
    for (const embed of payload.embeds) {
      const description = embed.description as string;
      expect(description.length).toBeLessThanOrEqual(LIMITS.embedDescription);
      const shown = unescapeText(description.replace(/^> /gmu, ''));
      expect(shown.endsWith(ELLIPSIS)).toBe(true);
      expect(quote.startsWith(shown.slice(0, -1))).toBe(true);
    }
  });
});
