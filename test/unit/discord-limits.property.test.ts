import fc from 'fast-check';
import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { embedLength, LIMITS, toPayload, type Payload, type Reply } from '../../src/discord/format.js';
import { abstentionReply, answerReply, citeReply, documentReply, occurrencesReply, paragraphReply, paragraphsReply, sourcesReply } from '../../src/discord/messages.js';
import type { Answer, AnswerResult, Citation } from '../../src/search/answer-types.js';
import type { PhraseMatch } from '../../src/search/find-phrase.js';
import type { StoredDocument } from '../../src/store/index-format.js';

/**
 * Property: whatever users type and documents say, every message the bot builds stays within
 * every Discord limit, pings no one but the chosen target, and renders no injected mention,
 * spoiler, code fence or masked link.
 */

const HOSTILE = ['@everyone', '@here', '<@123456789012345678>', '<@!1>', '<@&987>', '<#555>', '||', '|', '```', '`', '**', '*', '_', '~~', '[click](https://evil.example)', '](', '\\', '\\\\', '# ', '\n# ', '\n-# ', '> ', '1. ', '\n', ' ', '\u200b', '\ud800', 'مرحبا', '👩‍👩‍👧', 'torture', 'execution', 'https://x.org/a(b)', '…'];
const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 6 })), { maxLength: 60 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HOSTILE), fc.integer({ min: 100, max: 3000 })).map(([part, n]) => `${part} `.repeat(Math.ceil(n / (part.length + 1)))) },
);
const url = fc.option(fc.oneof(fc.webUrl({ withFragments: true, withQueryParameters: true }), fc.constantFrom('javascript:alert(1)', 'https://x.org/@everyone', 'https://x.org/||a||', 'not a url', 'https://x.org/<@1>')), { nil: null });
/** Ingestion never produces an empty file name or title: those always have a letter or digit. */
const nameText = hostileText.filter((t) => /[\p{L}\p{N}]/u.test(t));
const snowflake = fc.bigInt({ min: 10n ** 16n, max: 10n ** 19n }).map(String);

const citation: fc.Arbitrary<Citation> = fc.record({
  sourceId: nameText.map((t) => `${t.slice(0, 150)}.txt`),
  title: nameText,
  publisher: fc.option(hostileText, { nil: null }),
  date: fc.option(hostileText, { nil: null }),
  url,
  paragraph: fc.integer({ min: 1, max: 100_000 }),
  start: fc.nat(),
  end: fc.nat(),
  quote: hostileText,
  format: fc.constantFrom('text' as const, 'pdf' as const, 'html' as const, 'docx' as const),
  page: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
  section: fc.option(hostileText, { nil: null }),
  link: url,
});
const result: fc.Arbitrary<AnswerResult> = fc
  .tuple(citation, fc.array(citation, { maxLength: 6 }), fc.double({ min: -1, max: 1, noNaN: true }))
  .map(([c, corroboratedBy, similarity]) => ({ ...c, score: 1, similarity, passage: { start: c.start, end: c.end }, corroboratedBy }));
const answer: fc.Arbitrary<Answer> = fc.record({
  question: hostileText,
  answered: fc.boolean(),
  outcome: fc.constantFrom('answered' as const, 'not_stated' as const, 'not_in_library' as const),
  notStated: fc.option(hostileText, { nil: undefined }),
  results: fc.array(result, { maxLength: 10 }),
  closest: fc.array(fc.record({ sourceId: nameText, title: nameText, similarity: fc.double({ noNaN: true }) }), { maxLength: 3 }),
});
const style = fc.record({ contentWarnings: fc.boolean(), graphicKeywords: fc.constant(['torture', 'execution']) });
const document: fc.Arbitrary<StoredDocument> = fc
  .record({ sourceId: nameText, text: hostileText.filter((t) => t.length > 0), title: nameText, publisher: fc.option(hostileText, { nil: null }), date: fc.option(hostileText, { nil: null }), url, author: fc.option(hostileText, { nil: null }) })
  .map(({ sourceId, text, title, publisher, date, url: address, author }) => ({
    sourceId,
    hash: 'h',
    text,
    meta: { title, publisher, date, url: address, author },
    chunks: [{ paragraph: 1, start: 0, end: text.length, sentences: [[0, text.length] as [number, number]], signals: [0] }],
  }));

/** Drops what Discord shows literally: escaped characters and the bodies of fenced code blocks. */
function rendered(text: string): string {
  return text.replace(/\\[\s\S]/gu, '\u0001').replace(/```text\n[\s\S]*?\n```/gu, '\u0002');
}

/** Every rendered string of a payload that Discord parses as markdown (footers and embed URLs are plain). */
function markdownStrings(payload: Payload, target: string | null): string[] {
  const content = target ? payload.content.replace(`<@${target}> `, '') : payload.content;
  return [content, ...payload.embeds.flatMap((embed: APIEmbed) => [embed.title ?? '', embed.description ?? '', ...(embed.fields ?? []).flatMap((field) => [field.name, field.value])])];
}

function checkPayload(reply: Reply): void {
  const payload = toPayload(reply);
  const target = reply.target ?? null;
  expect(payload.allowedMentions).toEqual({ parse: [], users: target ? [target] : [], roles: [], repliedUser: false });
  expect(payload.content.length).toBeLessThanOrEqual(LIMITS.content);
  expect(payload.content.length + payload.embeds.length).toBeGreaterThan(0);
  expect(payload.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
  expect(payload.embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(LIMITS.embedsTotal);
  for (const embed of payload.embeds) {
    expect((embed.title ?? '').length).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect((embed.description ?? '').length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect((embed.footer?.text ?? '').length).toBeLessThanOrEqual(LIMITS.footer);
    expect((embed.url ?? '').length).toBeLessThanOrEqual(2048);
    expect((embed.fields ?? []).length).toBeLessThanOrEqual(LIMITS.fields);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
  }
  expect(payload.components.length).toBeLessThanOrEqual(5);
  for (const row of payload.components) {
    expect(row.components.length).toBeLessThanOrEqual(5);
    for (const button of row.components) {
      if ('label' in button) expect((button.label ?? '').length).toBeLessThanOrEqual(LIMITS.buttonLabel);
      if ('custom_id' in button) expect(button.custom_id.length).toBeLessThanOrEqual(LIMITS.customId);
    }
  }
  for (const text of markdownStrings(payload, target)) {
    // Our own citation links are the only masked links allowed; nothing else may form one.
    const shown = rendered(text).replace(/\[open source\]\(https?:\/\/[^\s()]+\)/gu, '\u0003');
    expect(shown, text).not.toMatch(/@(everyone|here)/u);
    expect(shown, text).not.toMatch(/<[@#]/u);
    expect(shown, text).not.toMatch(/\]\(/u);
    expect(shown, text).not.toContain('```');
    expect((shown.match(/\|\|/gu) ?? []).length % 2, text).toBe(0);
    expect((shown.match(/\*\*/gu) ?? []).length % 2, text).toBe(0);
    // A trailing backslash would escape whatever Discord or a later edit puts after it.
    expect(/(^|[^\\])(\\\\)*\\$/u.test(text), text).toBe(false);
  }
}

describe('Discord messages (property)', () => {
  it('answers, abstentions and citations stay within limits and never ping or inject', () => {
    fc.assert(
      fc.property(answer, fc.integer({ min: 1, max: 5 }), fc.boolean(), fc.option(snowflake, { nil: null }), style, (ans, perPage, hidden, target, quoteStyle) => {
        const pages = Math.max(1, Math.ceil(ans.results.length / perPage));
        for (let page = 0; page < pages; page++) {
          checkPayload(answerReply({ answer: ans, answerId: 'abcdefgh', page, perPage, hidden, target }, quoteStyle));
          const shown = ans.results.slice(page * perPage, (page + 1) * perPage);
          checkPayload(citeReply(shown));
          checkPayload(paragraphsReply(shown.map((r, i) => ({ result: r, rank: i + 1, text: r.quote })), quoteStyle));
        }
        checkPayload(abstentionReply(ans, { ephemeral: hidden, target }));
      }),
      { numRuns: 300 },
    );
  });

  it('document, paragraph, sources and phrase replies stay within limits and never ping or inject', () => {
    fc.assert(
      fc.property(fc.array(document, { minLength: 1, maxLength: 12 }), hostileText, fc.option(snowflake, { nil: null }), style, fc.nat(3), (documents, phrase, target, quoteStyle, page) => {
        checkPayload(sourcesReply(documents.map((doc, i) => ({ document: doc, library: i % 2 === 0 ? 'server' : 'base' })), page));
        const first = documents[0] as StoredDocument;
        checkPayload(documentReply(first));
        checkPayload(paragraphReply(first, 1, first.text, quoteStyle));
        const matches: PhraseMatch[] = documents.map((doc) => ({
          format: 'pdf' as const,
          page: 3,
          section: phrase,
          link: doc.meta.url,
          sourceId: doc.sourceId,
          title: doc.meta.title,
          publisher: doc.meta.publisher,
          date: doc.meta.date,
          url: doc.meta.url,
          paragraph: 1,
          start: 0,
          end: doc.text.length,
          quote: doc.text,
          context: { start: 0, end: doc.text.length },
          library: 'server',
        }));
        const textOf = (match: PhraseMatch): string => documents.find((doc) => doc.sourceId === match.sourceId)?.text ?? '';
        checkPayload(occurrencesReply(phrase, matches, textOf, quoteStyle, { ephemeral: false, target, truncated: true }));
        checkPayload(occurrencesReply(phrase, [], textOf, quoteStyle, { ephemeral: true, target, truncated: false }));
      }),
      { numRuns: 200 },
    );
  });
});
