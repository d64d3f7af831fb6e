import type { Section } from './types.js';

const LIGATURES: Record<string, string> = { '\uFB00': 'ff', '\uFB01': 'fi', '\uFB02': 'fl', '\uFB03': 'ffi', '\uFB04': 'ffl', '\uFB05': 'st', '\uFB06': 'st' };

/** Typographic ligature characters spelled out ("ﬁ" → "fi"); nothing else is changed. */
export function expandLigatures(text: string): string {
  return text.replace(/[\uFB00-\uFB06]/gu, (char) => LIGATURES[char] ?? char);
}

/**
 * Assembles extracted text paragraph by paragraph (a blank line between paragraphs, as in a
 * .txt library), recording where pages and headings start.
 */
export class TextBuilder {
  private readonly parts: string[] = [];
  private length = 0;
  private open = false;
  private pendingPages = 0;
  readonly pages: number[] = [];
  readonly sections: Section[] = [];

  /** Starts a new page: its offset is that of the next text added. */
  startPage(): void {
    this.pendingPages++;
  }

  private settlePages(at: number): void {
    for (; this.pendingPages > 0; this.pendingPages--) this.pages.push(at);
  }

  /** Ends the current paragraph; the next text starts a new one. */
  endParagraph(): void {
    this.open = false;
    this.breakLine = false;
  }

  /** Adds text to the current paragraph (joined with `joiner`) or starts a paragraph with it. */
  append(text: string, joiner = ' '): void {
    if (text.length === 0) return;
    let prefix = '';
    if (this.open) prefix = this.breakLine ? '\n' : joiner;
    else if (this.length > 0) prefix = '\n\n';
    this.breakLine = false;
    this.push(prefix);
    this.settlePages(this.length);
    this.push(text);
    this.open = true;
  }

  /** Adds a heading as a paragraph of its own and records it as a section. */
  heading(text: string, level: number): void {
    this.endParagraph();
    if (text.length === 0) return;
    this.append(text);
    this.sections.push({ start: this.length - text.length, level, title: text });
    this.endParagraph();
  }

  /** The next text of this paragraph goes on a new line (an HTML `<br>`). */
  lineBreak(): void {
    if (this.open) this.breakLine = true;
  }

  private breakLine = false;

  private push(part: string): void {
    if (part.length === 0) return;
    this.parts.push(part);
    this.length += part.length;
  }

  /** The last `n` characters written (or fewer). */
  tail(n: number): string {
    let out = '';
    for (let i = this.parts.length - 1; i >= 0 && out.length < n; i--) out = (this.parts[i] as string) + out;
    return out.slice(-n);
  }

  /** Removes the last `n` characters of the open paragraph (a line-end hyphen). */
  trimEnd(n: number): void {
    const last = this.parts.pop() as string;
    this.length -= last.length;
    this.push(last.slice(0, last.length - n));
  }

  get isParagraphOpen(): boolean {
    return this.open;
  }

  finish(): { text: string; pages: number[]; sections: Section[] } {
    this.settlePages(this.length);
    return { text: this.parts.join(''), pages: this.pages, sections: this.sections };
  }
}

/** The 1-based page holding `offset`, given each page's first offset. */
export function pageAt(pages: readonly number[], offset: number): number | null {
  if (pages.length === 0) return null;
  let lo = 0;
  let hi = pages.length;
  // Last page whose start is at or before the offset (an empty page shares its start with the next).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((pages[mid] as number) <= offset) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(1, lo);
}

/** The heading under which `offset` stands, if any: the last whose start (first element) is at or before it. */
export function sectionAt<T extends readonly [number, ...unknown[]]>(sections: readonly T[], offset: number): T | null {
  let found: T | null = null;
  for (const section of sections) {
    if (section[0] > offset) break;
    found = section;
  }
  return found;
}
