/**
 * How a line of a document is treated when it is cut into passages.
 * - `content`: part of a passage that can be quoted.
 * - `boilerplate`: site furniture (share buttons, promo links); never indexed.
 * - `trailer`: starts a promo block; it and the rest of its paragraph are never indexed.
 * - `metadata`: a byline, source or date line; read for citations, not indexed.
 * - `heading`: a Markdown heading; breaks passages, not indexed.
 */
export type LineKind = 'content' | 'boilerplate' | 'trailer' | 'metadata' | 'heading';

const BOILERPLATE_LINES = new Set(
  [
    'email article',
    'print article',
    'share article',
    'share this article',
    'send feedback',
    '[qodlink]',
    'no featured image available',
    'advertisement',
    'read more',
    'share',
    'tweet',
    'comments',
  ].map((line) => line.toLowerCase()),
);

const BOILERPLATE_PATTERNS: RegExp[] = [
  /^follow .{1,80} on (twitter|facebook|instagram|x|threads|bluesky)\.?$/iu,
  /^send tips to\b/iu,
  /^all content created by .{1,120} is available without charge\b/iu,
  /^(click|tap) here to\b/iu,
  /^sign up for (our|the) .{0,40}newsletter/iu,
];

const TRAILER_PATTERNS: RegExp[] = [
  /^featured( on .{1,60})?$/iu,
  /^topics in this article$/iu,
  /^related( articles| stories| news| coverage)?:?$/iu,
  /^(more|also) from .{1,60}$/iu,
  /^recommended( for you)?$/iu,
];

export const METADATA_PATTERNS = {
  source: /^source:\s*(.*)$/iu,
  date: /^(?:last updated|updated|published|posted|date)(?: on)?:\s*(.+)$/iu,
  author: /^by\s+(\p{Lu}[\p{L}.'-]+(?:\s+\p{Lu}[\p{L}.'-]+){0,3})$/u,
  url: /^(?:url|link|original(?: article)?):\s*(https?:\/\/\S+)$/iu,
  syndication: /^all content created by (?:the )?(.{1,120}?), an? /iu,
};

export function classifyLine(line: string): LineKind {
  const trimmed = line.trim();
  const lower = trimmed.toLowerCase();
  if (BOILERPLATE_LINES.has(lower)) return 'boilerplate';
  if (/^#{1,6}\s/u.test(trimmed)) return 'heading';
  if (TRAILER_PATTERNS.some((pattern) => pattern.test(trimmed))) return 'trailer';
  if (METADATA_PATTERNS.syndication.test(trimmed)) return 'metadata';
  if (BOILERPLATE_PATTERNS.some((pattern) => pattern.test(trimmed))) return 'boilerplate';
  if (METADATA_PATTERNS.source.test(trimmed) || METADATA_PATTERNS.date.test(trimmed)) return 'metadata';
  if (METADATA_PATTERNS.author.test(trimmed) || METADATA_PATTERNS.url.test(trimmed)) return 'metadata';
  return 'content';
}
