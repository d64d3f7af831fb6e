import { ButtonStyle, ComponentType, type APIButtonComponent, type APIEmbed } from 'discord.js';
import type { Answer, AnswerResult } from '../search/answer-types.js';
import type { PhraseMatch } from '../search/find-phrase.js';
import type { LibraryDocument } from '../library/types.js';
import {
  citationLine,
  codeBlock,
  embedLength,
  fitText,
  fragmentLink,
  safeLink,
  LIMITS,
  libraryName,
  plainCitation,
  quoteBlock,
  safeText,
  type ButtonRow,
  type QuoteStyle,
  type Reply,
} from './format.js';

/** Builders for every message the bot sends. They use only the formatter's primitives. */

const ACCENT = 0x5865f2;
const MUTED = 0x99aab5;

export function button(customId: string, label: string, options: { style?: ButtonStyle; disabled?: boolean } = {}): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: (options.style ?? ButtonStyle.Secondary) as ButtonStyle.Secondary,
    custom_id: customId.slice(0, LIMITS.customId),
    label: label.slice(0, LIMITS.buttonLabel),
    disabled: options.disabled ?? false,
  };
}

export function row(...buttons: APIButtonComponent[]): ButtonRow {
  return { type: ComponentType.ActionRow, components: buttons.slice(0, 5) };
}

/** Gives each embed an equal share of what the 6000-character message limit leaves for descriptions. */
function descriptionBudget(embeds: APIEmbed[], count: number): number {
  const fixed = embeds.reduce((sum, embed) => sum + embedLength(embed), 0);
  return Math.max(40, Math.min(LIMITS.embedDescription, Math.floor((LIMITS.embedsTotal - fixed - 20) / Math.max(1, count))));
}

function questionLine(question: string): string {
  return `**Question:** ${safeText(question, 400)}`;
}

export interface AnswerView {
  answer: Answer;
  answerId: string;
  page: number;
  perPage: number;
  hidden: boolean;
  target: string | null;
}

export function pageCount(view: Pick<AnswerView, 'answer' | 'perPage'>): number {
  return Math.max(1, Math.ceil(view.answer.results.length / view.perPage));
}

export function pageResults(view: Pick<AnswerView, 'answer' | 'perPage' | 'page'>): { result: AnswerResult; rank: number }[] {
  const from = view.page * view.perPage;
  return view.answer.results.slice(from, from + view.perPage).map((result, i) => ({ result, rank: from + i + 1 }));
}

export function abstentionReply(answer: Answer, options: { ephemeral: boolean; target: string | null }): Reply {
  const lines = [questionLine(answer.question), '', 'The library does not answer this question: no passage is close enough to quote.'];
  if (answer.closest.length > 0) {
    lines.push(`Closest sources searched: ${answer.closest.map((source) => `**${safeText(source.title, 150)}**`).join(', ')}.`);
  }
  return { content: lines.join('\n'), ephemeral: options.ephemeral, target: options.target };
}

/** One page of an answer: each result's verbatim quote with its citation and corroborating sources. */
export function answerReply(view: AnswerView, style: QuoteStyle, options: { withPostButton?: boolean } = {}): Reply {
  const { answer } = view;
  if (answer.outcome === 'not_in_library' || answer.results.length === 0) return abstentionReply(answer, { ephemeral: view.hidden, target: view.target });
  const shown = pageResults(view);
  const total = answer.results.length;
  const first = shown[0]?.rank ?? 0;
  const last = shown[shown.length - 1]?.rank ?? 0;
  const embeds: APIEmbed[] = shown.map(({ result, rank }) => {
    const link = safeLink(result.link) ?? fragmentLink(result.url, result.quote);
    const fields = [{ name: 'Source', value: citationLine(result) }];
    if (result.corroboratedBy.length > 0) {
      const lines = result.corroboratedBy.map((other) => `• ${citationLine(other, 300)}`);
      let value = '';
      for (const line of lines) {
        if (value.length + line.length + 1 > LIMITS.fieldValue) break;
        value = value ? `${value}\n${line}` : line;
      }
      fields.push({ name: 'Also found in', value: value || '…' });
    }
    return {
      color: ACCENT,
      title: `${String(rank)}. ${safeText(result.title, LIMITS.embedTitle - 8)}`,
      ...(link && link.length <= 2000 ? { url: link } : {}),
      fields,
      footer: { text: `${result.sourceId} · characters ${String(result.start)}–${String(result.end)} · similarity ${result.similarity.toFixed(2)}` },
    };
  });
  const budget = descriptionBudget(embeds, embeds.length);
  shown.forEach(({ result }, i) => {
    (embeds[i] as APIEmbed).description = quoteBlock(result.quote, budget, style).text;
  });
  const pages = pageCount(view);
  const buttons = [
    button(`ask:more:${view.answerId}:${String(view.page + 1)}`, 'More results', { style: ButtonStyle.Primary, disabled: view.page + 1 >= pages }),
    button(`ask:para:${view.answerId}:${String(view.page)}`, 'Full paragraph'),
    button(`ask:cite:${view.answerId}:${String(view.page)}`, 'Cite'),
  ];
  if (options.withPostButton ?? view.hidden) buttons.push(button(`ask:post:${view.answerId}:${String(view.page)}`, 'Post to channel', { style: ButtonStyle.Success }));
  const heading =
    answer.outcome === 'not_stated'
      ? `**The library does not say this directly** (${safeText(answer.notStated ?? 'the closest passages do not answer it', 300)}). Related passages ${String(first)}–${String(last)} of ${String(total)}:`
      : `Verbatim excerpts ${String(first)}–${String(last)} of ${String(total)}, best first.`;
  return {
    content: `${questionLine(answer.question)}\n${heading}`,
    embeds,
    components: [row(...buttons)],
    ephemeral: view.hidden,
    target: view.target,
  };
}

/** Plain-text citations of the shown results, each in a code block so it can be copied as is. */
export function citeReply(results: AnswerResult[]): Reply {
  const share = Math.floor((LIMITS.content - 20) / Math.max(1, results.length));
  const blocks = results.map((result) => {
    const withoutQuote = plainCitation(result, '').length;
    const quote = fitText(result.quote, Math.max(20, share - withoutQuote - 20), (text) => text).text;
    return codeBlock(plainCitation(result, quote), share);
  });
  return { content: blocks.join('\n'), ephemeral: true };
}

/** The whole paragraphs the shown quotes come from. */
export function paragraphsReply(items: { result: AnswerResult; rank: number; text: string }[], style: QuoteStyle): Reply {
  const embeds: APIEmbed[] = items.map(({ result, rank }) => ({
    color: MUTED,
    title: `${String(rank)}. ${safeText(result.title, LIMITS.embedTitle - 24)} — paragraph ${String(result.paragraph)}`,
    fields: [{ name: 'Source', value: citationLine(result) }],
  }));
  const budget = descriptionBudget(embeds, embeds.length);
  items.forEach(({ text }, i) => {
    (embeds[i] as APIEmbed).description = quoteBlock(text, budget, style).text;
  });
  return { embeds, ephemeral: true };
}

const MAX_OCCURRENCES_SHOWN = 8;

/** Where a phrase occurs: each occurrence's sentence, verbatim, with its citation. */
export function occurrencesReply(phrase: string, matches: PhraseMatch[], textOf: (match: PhraseMatch) => string, style: QuoteStyle, options: { ephemeral: boolean; target: string | null; truncated: boolean }): Reply {
  const header = `**Phrase:** ${safeText(phrase, 400)}`;
  if (matches.length === 0) {
    return { content: `${header}\nThis wording does not occur in the library (case, quote marks and spacing are ignored).`, ephemeral: options.ephemeral, target: options.target };
  }
  const documentCount = new Set(matches.map((m) => `${m.library ?? ''}:${m.sourceId}`)).size;
  const shown = matches.slice(0, MAX_OCCURRENCES_SHOWN);
  const more = options.truncated ? 'at least ' : '';
  const summary = `${more}${String(matches.length)} occurrence${matches.length === 1 ? '' : 's'} in ${String(documentCount)} document${documentCount === 1 ? '' : 's'}${matches.length > shown.length ? `; the first ${String(shown.length)} are shown` : ''}.`;
  const embeds: APIEmbed[] = shown.map((match, i) => ({
    color: ACCENT,
    title: `${String(i + 1)}. ${safeText(match.title, LIMITS.embedTitle - 8)}`,
    fields: [{ name: 'Source', value: citationLine(match) }],
    footer: { text: `${match.sourceId} · characters ${String(match.start)}–${String(match.end)}` },
  }));
  const budget = descriptionBudget(embeds, embeds.length);
  shown.forEach((match, i) => {
    (embeds[i] as APIEmbed).description = quoteBlock(textOf(match).slice(match.context.start, match.context.end), budget, style).text;
  });
  return { content: `${header}\n${summary}`, embeds, ephemeral: options.ephemeral, target: options.target };
}

export const SOURCES_PER_PAGE = 10;

function paragraphCount(document: LibraryDocument): number {
  return new Set(document.chunks.map((chunk) => chunk.paragraph)).size;
}

/** A document as /sources lists it, with the library it belongs to when a server has its own. */
export interface ListedDocument {
  document: LibraryDocument;
  library?: string;
}

/** One page of the library's documents. */
export function sourcesReply(listed: readonly ListedDocument[], page: number): Reply {
  const documents = listed.map((entry) => entry.document);
  const pages = Math.max(1, Math.ceil(documents.length / SOURCES_PER_PAGE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const slice = listed.slice(current * SOURCES_PER_PAGE, (current + 1) * SOURCES_PER_PAGE);
  const lines = slice.map(({ document: doc, library }, i) => {
    const about = [doc.meta.publisher, doc.meta.date].filter((part): part is string => Boolean(part)).map((part) => safeText(part, 80));
    about.push(`${String(paragraphCount(doc))} paragraphs`);
    const where = libraryName(library);
    if (where) about.push(where);
    return `**${String(current * SOURCES_PER_PAGE + i + 1)}.** ${safeText(doc.meta.title, 200)} — ${about.join(', ')}`;
  });
  return {
    embeds: [
      {
        color: ACCENT,
        title: `The library: ${String(documents.length)} document${documents.length === 1 ? '' : 's'}`,
        description: lines.join('\n') || 'The library is empty.',
        footer: { text: `Page ${String(current + 1)} of ${String(pages)} · /source shows one document` },
      },
    ],
    components:
      pages > 1
        ? [
            row(
              button(`sources:page:${String(current - 1)}`, 'Previous', { disabled: current === 0 }),
              button(`sources:page:${String(current + 1)}`, 'Next', { disabled: current + 1 >= pages }),
            ),
          ]
        : [],
  };
}

/** A document's metadata. */
export function documentReply(document: LibraryDocument): Reply {
  const { meta } = document;
  const fields = [
    { name: 'Publisher', value: meta.publisher ? safeText(meta.publisher, 200) : 'unknown', inline: true },
    { name: 'Date', value: meta.date ? safeText(meta.date, 100) : 'unknown', inline: true },
    { name: 'Author', value: meta.author ? safeText(meta.author, 200) : 'unknown', inline: true },
    { name: 'Paragraphs', value: String(paragraphCount(document)), inline: true },
    { name: 'File', value: safeText(document.sourceId, 200), inline: true },
  ];
  if (document.format && document.format !== 'text') fields.push({ name: 'Format', value: document.pages ? `${document.format.toUpperCase()}, ${String(document.pages.length)} pages` : document.format.toUpperCase(), inline: true });
  if (meta.url) fields.push({ name: 'Address', value: safeText(meta.url, 900), inline: false });
  return { embeds: [{ color: ACCENT, title: safeText(meta.title, LIMITS.embedTitle), fields, footer: { text: 'Add paragraph:<n> to read one paragraph.' } }] };
}

/** One paragraph of a document, verbatim. */
export function paragraphReply(document: LibraryDocument, paragraph: number, text: string, style: QuoteStyle, place: { page: number | null; section: string | null; link: string | null } = { page: null, section: null, link: null }): Reply {
  const citation = { title: document.meta.title, publisher: document.meta.publisher, date: document.meta.date, url: document.meta.url, paragraph, quote: text, ...place };
  const embed: APIEmbed = {
    color: ACCENT,
    title: `${safeText(document.meta.title, LIMITS.embedTitle - 24)} — paragraph ${String(paragraph)}`,
    fields: [{ name: 'Source', value: citationLine(citation) }],
  };
  embed.description = quoteBlock(text, descriptionBudget([embed], 1), style).text;
  return { embeds: [embed] };
}

export function helpReply(stats: { documents: number; passages: number; cooldownSeconds: number }): Reply {
  const description = [
    'Witness answers questions **only with exact quotes** from its library of documents, each with a citation you can check. It never writes an answer of its own and never paraphrases.',
    '',
    '**Commands**',
    '`/ask question` — the best verbatim excerpts, with title, publisher, date, paragraph and a link to the quoted words when the source is on the web. Options: `results` (1–5), `target` (mention one person), `hide` (only you see it). Buttons: More results, Full paragraph, Cite.',
    '`/quote text` — every place this exact wording occurs (case, curly or straight quotes and spacing ignored). Suggestions appear as you type.',
    '`/sources` — the documents in the library.',
    '`/source document [paragraph]` — one document, or one of its paragraphs.',
    '**Find sources** (right-click a message → Apps) — passages in the library that bear on that message.',
    "`/library add`, `/library remove`, `/library list`, `/library settings`, `/library reindex` — for moderators (Manage Server): this server's own library. What a server adds is searched only in that server; the base library is shared by all unless a moderator turns it off.",
    '',
    '**How answers are chosen**',
    'Passages are ranked by meaning (a sentence-embedding model) and by shared words, combined; the best sentences of each passage are quoted as they stand. When no passage is close enough, Witness says the library does not answer and names the closest sources instead of guessing.',
  ].join('\n');
  return {
    embeds: [
      {
        color: ACCENT,
        title: 'Witness',
        description,
        footer: { text: `Library: ${String(stats.documents)} documents, ${String(stats.passages)} passages · cooldown ${String(stats.cooldownSeconds)} s between questions` },
      },
    ],
    ephemeral: true,
  };
}

/** A line a user can act on, shown only to them. */
export function noticeReply(text: string): Reply {
  return { content: text, ephemeral: true };
}
