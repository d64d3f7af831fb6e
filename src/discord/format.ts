import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';

/** Discord's message limits. Every string the bot sends is fitted to these here and nowhere else. */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  /** Sum of titles, descriptions, field names and values, footers and author names of all embeds. */
  embedsTotal: 6000,
  choiceName: 100,
  choiceValue: 100,
  buttonLabel: 80,
  customId: 100,
} as const;

export const ELLIPSIS = '…';

/**
 * Escapes text echoed from users or quoted from documents so Discord shows it as written:
 * markdown, spoiler bars, masked links, mentions (`@everyone`, `<@id>`, `<@&id>`, `<#id>`)
 * and line-start syntax (headings, lists, block quotes, subtext) are all neutralised with
 * backslashes, which Discord does not display, so what readers see is the exact text.
 */
export function escapeText(text: string): string {
  return text
    .replace(/[\\*_~`|[\]<>@]/gu, '\\$&')
    .replace(/^([ \t]*)([#+-])/gmu, '$1\\$2')
    .replace(/^([ \t]*\d+)\./gmu, '$1\\.');
}

/** Removes the backslashes `escapeText` added: the inverse, used by tests to prove nothing else changed. */
export function unescapeText(text: string): string {
  return text.replace(/\\([\\*_~`|[\]<>@#\-+.])/gu, '$1');
}

function isSpace(char: string | undefined): boolean {
  return char !== undefined && /\s/u.test(char);
}

/** Offsets where a prefix may end: just before whitespace that follows a non-space character. */
function wordCuts(text: string): number[] {
  const cuts: number[] = [];
  for (let i = 1; i < text.length; i++) if (isSpace(text[i]) && !isSpace(text[i - 1])) cuts.push(i);
  return cuts;
}

/** Offsets between code points: the fallback for one very long word. */
function charCuts(text: string): number[] {
  const cuts: number[] = [];
  let i = 0;
  for (const char of text) {
    i += char.length;
    if (i < text.length) cuts.push(i);
  }
  return cuts;
}

function largestFitting(cuts: number[], fits: (cut: number) => boolean): number | null {
  let lo = 0;
  let hi = cuts.length - 1;
  let best: number | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const cut = cuts[mid] as number;
    if (fits(cut)) {
      best = cut;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

export interface Fitted {
  text: string;
  /** True when the raw text had to be shortened. */
  cut: boolean;
}

/**
 * Renders `raw` with `render` (escaping, spoiler bars, quote markers) into at most `max`
 * characters. When it does not fit, the raw text is cut at a word boundary (mid-word only for
 * a single overlong word) and "…" is appended before rendering, so the shown text is a
 * verbatim prefix of `raw` followed by the ellipsis.
 */
export function fitText(raw: string, max: number, render: (text: string) => string = escapeText): Fitted {
  const whole = render(raw);
  if (whole.length <= max) return { text: whole, cut: false };
  const fits = (cut: number): boolean => render(raw.slice(0, cut) + ELLIPSIS).length <= max;
  const cut = largestFitting(wordCuts(raw), fits) ?? largestFitting(charCuts(raw), fits);
  if (cut === null) {
    const bare = render(ELLIPSIS);
    return { text: bare.length <= max ? bare : ELLIPSIS.slice(0, max), cut: true };
  }
  return { text: render(raw.slice(0, cut).trimEnd() + ELLIPSIS), cut: true };
}

/** Escaped, fitted text: the usual way any user or document string enters a message. */
export function safeText(raw: string, max: number): string {
  return fitText(raw, max).text;
}

/** The graphic keywords a passage contains (whole words, any case), in list order. */
export function graphicTerms(text: string, keywords: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return keywords.filter((keyword) => new RegExp(`(?<![\\p{L}\\p{N}])${keyword.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(lower));
}

export interface QuoteStyle {
  contentWarnings: boolean;
  graphicKeywords: readonly string[];
}

/**
 * A verbatim quote as Discord markdown: a block quote, or, for graphic passages, a
 * content-warning label over the text hidden behind spoiler bars.
 */
export function quoteBlock(quote: string, max: number, style: QuoteStyle): Fitted & { warning: string[] } {
  const warning = style.contentWarnings ? graphicTerms(quote, style.graphicKeywords) : [];
  const render =
    warning.length > 0
      ? (text: string) => `**Content warning:** ${warning.join(', ')}\n||${escapeText(text)}||`
      : (text: string) => escapeText(text).split('\n').map((line) => `> ${line}`).join('\n');
  return { ...fitText(quote, max, render), warning };
}

import { fragmentLink, httpLink } from '../search/source-link.js';

export { fragmentLink };

export interface CitedSource {
  title: string;
  publisher: string | null;
  date: string | null;
  url: string | null;
  paragraph: number | null;
  quote: string;
  /** PDF page, heading and followable link, when the source has them. */
  page?: number | null;
  section?: string | null;
  link?: string | null;
  /** Which library holds the document, when a server's own library is searched beside the base library. */
  library?: string;
  /** The quote is OCR's reading of a scanned page. */
  recognized?: boolean;
}

const MIN_TITLE = 20;

/** How a citation names the library a quote comes from. */
export function libraryName(label: string | undefined): string | null {
  if (label === 'server') return "this server's library";
  if (label === 'base') return 'base library';
  return null;
}

/** A link fit for markdown: http(s) only, with parentheses escaped; anything else is dropped. */
export const safeLink = (link: string | null | undefined): string | null => httpLink(link, true);

/** "p. 12", "under “Heading”", "paragraph 4": where in the document the quote stands. */
function placeParts(source: CitedSource): string[] {
  const parts: string[] = [];
  if (source.page !== undefined && source.page !== null) parts.push(`p. ${String(source.page)}`);
  if (source.recognized) parts.push('read by OCR from a scan');
  if (source.section) parts.push(`under “${safeText(source.section, 80)}”`);
  if (source.paragraph !== null) parts.push(`paragraph ${String(source.paragraph)}`);
  const library = libraryName(source.library);
  if (library) parts.push(library);
  return parts;
}

/** One line naming where a quote comes from, as markdown: title, publisher, date, paragraph, link. */
export function citationLine(source: CitedSource, max: number = LIMITS.fieldValue): string {
  const link = source.link !== undefined ? safeLink(source.link) : fragmentLink(source.url, source.quote);
  const tail = [source.publisher, source.date].filter((part): part is string => Boolean(part)).map((part) => safeText(part, 120));
  tail.push(...placeParts(source));
  const rest = tail.length > 0 ? ` — ${tail.join(', ')}` : '';
  // A link that does not fit whole is left out: cutting it would leave broken markdown.
  const wholeLink = link && link.length <= 900 ? ` · [open source](${link})` : '';
  const linkPart = rest.length + wholeLink.length + 4 + MIN_TITLE <= max ? wholeLink : '';
  const titleBudget = Math.max(MIN_TITLE, max - rest.length - linkPart.length - 4);
  const line = `**${safeText(source.title, titleBudget)}**${rest}${linkPart}`;
  return line.length <= max ? line : `**${safeText(source.title, max - 4)}**`;
}

/** A citation as plain text, ready to paste into a paper or a post; `shownQuote` may be a cut of the quote. Not markdown. */
export function plainCitation(source: CitedSource, shownQuote: string = source.quote): string {
  const parts = [source.title, source.publisher, source.date].filter((part): part is string => Boolean(part));
  const place = placeParts(source);
  const where = place.length > 0 ? `, ${place.join(', ')}` : '';
  const link = (source.link !== undefined ? safeLink(source.link) : fragmentLink(source.url, source.quote)) ?? source.url;
  return `“${shownQuote}” — ${parts.join(', ')}${where}.${link ? ` ${link}` : ''}`;
}

/** A code block that shows `text` exactly (the only thing that could end it early is a fence). */
export function codeBlock(text: string, max: number): string {
  const body = text.replace(/```/gu, '`\u200b``');
  const overhead = '```text\n\n```'.length;
  const fitted = fitText(body, max - overhead, (t) => t);
  return `\`\`\`text\n${fitted.text}\n\`\`\``;
}

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** What a handler wants to say; `toPayload` turns it into what Discord receives. */
export interface Reply {
  content?: string;
  embeds?: APIEmbed[];
  components?: ButtonRow[];
  ephemeral?: boolean;
  /** The one user this reply may ping (the `target` option). */
  target?: string | null;
}

export interface Payload {
  content: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  allowedMentions: { parse: []; users: string[]; roles: []; repliedUser: false };
}

export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/** Last line of defence for text already rendered: cut at a line or word end, never after a lone backslash. */
function clampRendered(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const boundary = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf(' '));
  if (boundary > max / 2) cut = cut.slice(0, boundary);
  cut = cut.replace(/\\+$/u, '');
  return cut + ELLIPSIS;
}

function clampEmbed(embed: APIEmbed): APIEmbed {
  const clamped: APIEmbed = { ...embed };
  if (clamped.title !== undefined) clamped.title = clampRendered(clamped.title, LIMITS.embedTitle);
  if (clamped.description !== undefined) clamped.description = clampRendered(clamped.description, LIMITS.embedDescription);
  if (clamped.footer) clamped.footer = { ...clamped.footer, text: clampRendered(clamped.footer.text, LIMITS.footer) };
  if (clamped.author) clamped.author = { ...clamped.author, name: clampRendered(clamped.author.name, LIMITS.authorName) };
  if (clamped.fields) {
    clamped.fields = clamped.fields.slice(0, LIMITS.fields).map((field) => ({
      ...field,
      name: clampRendered(field.name, LIMITS.fieldName),
      value: clampRendered(field.value, LIMITS.fieldValue),
    }));
  }
  return clamped;
}

/**
 * The only way a reply leaves the bot: mentions are off except the one `target`, and every
 * limit is enforced (builders fit quotes first; this only catches what they could not).
 */
export function toPayload(reply: Reply): Payload {
  const embeds: APIEmbed[] = [];
  let total = 0;
  for (const embed of (reply.embeds ?? []).slice(0, LIMITS.embeds).map(clampEmbed)) {
    const length = embedLength(embed);
    if (total + length > LIMITS.embedsTotal) break;
    total += length;
    embeds.push(embed);
  }
  const target = reply.target ?? null;
  let content = reply.content ?? '';
  if (target && !content.includes(`<@${target}>`)) content = `<@${target}> ${content}`;
  content = clampRendered(content, LIMITS.content);
  if (content.length === 0 && embeds.length === 0) content = ELLIPSIS;
  return {
    content,
    embeds,
    components: (reply.components ?? []).slice(0, 5),
    allowedMentions: { parse: [], users: target ? [target] : [], roles: [], repliedUser: false },
  };
}
