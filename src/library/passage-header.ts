import type { DocumentMeta } from './types.js';

/** Headings as stored with a document: [start offset, level, title], in order of start. */
type StoredSection = readonly [number, number, string];

/**
 * The context a passage is embedded with: its document's title, author (or else publisher) and
 * year, and the heading it stands under. A paragraph of a speech rarely says who gave it or
 * when, so a question naming the speaker or the year ("what did JFK say about the moon in
 * 1962") matched no passage vector before; with this header it does. Only the passage's vector
 * is computed from it; quotes, BM25 and sentence vectors read the passage's own words.
 *
 * Measured in docs/quality.md ("Passages embedded with their context").
 */
export function passageHeader(meta: DocumentMeta, heading: string | null): string {
  const parts = [meta.title];
  const who = meta.author ?? meta.publisher;
  if (who && !meta.title.includes(who)) parts.push(who);
  const year = /\b(\d{4})\b/u.exec(meta.date ?? '')?.[1];
  if (year && !meta.title.includes(year)) parts.push(year);
  const header = parts.join(', ');
  return heading && heading !== meta.title ? `${header}. ${heading}.` : `${header}.`;
}

/** The heading a passage starting at `start` stands under: the last one that starts at or before it. */
export function headingAt(sections: readonly StoredSection[] | undefined, start: number): string | null {
  let heading: string | null = null;
  for (const [at, , title] of sections ?? []) {
    if (at > start) break;
    heading = title;
  }
  return heading;
}

/** The text a passage's vector is computed from: the header, then the passage. */
export function textToEmbed(meta: DocumentMeta, sections: readonly StoredSection[] | undefined, start: number, passage: string): string {
  return `${passageHeader(meta, headingAt(sections, start))}\n${passage}`;
}
