import { readFile } from 'node:fs/promises';
import { recognizePages, type PageImage } from './ocr.js';
import { expandLigatures, TextBuilder } from './text-builder.js';
import { withinDeadline, type Deadline } from './time-limit.js';
import { ExtractError, type ExtractedText, type ExtractLimits, type FormatMeta } from './types.js';

/** One run of text on a page, in PDF points (y grows upwards). */
interface Run {
  text: string;
  x: number;
  y: number;
  width: number;
  size: number;
  /** Set in a bold (or heavier) face. */
  bold?: boolean;
}

/** Runs on one baseline, next to each other. */
interface Line {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  /** Every run of the line is bold. */
  bold: boolean;
}

interface PageLines {
  lines: Line[];
  height: number;
  width: number;
  /** Footnotes at the foot of the page, each one text (separateNotes). */
  notes?: string[];
  /** The page's link areas [x0, y0, x1, y1] (link annotations), in the lines' coordinates. */
  links?: [number, number, number, number][];
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | null = null;
/** pdf.js is loaded on the first PDF: most libraries have none, and it costs time at start-up. */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

/** A footnote or endnote reference: a number or mark set smaller and raised above the line it follows. */
function isNoteMarker(run: Run, line: Line): boolean {
  return run.size <= 0.8 * line.size && run.y > line.y + 0.15 * line.size && /^(?:\d{1,3}|[*†‡§])$/u.test(run.text.trim());
}

/** Groups a page's text runs (in content order) into lines. */
function linesOf(runs: Run[]): Line[] {
  const lines: Line[] = [];
  let line: Line | null = null;
  for (const run of runs) {
    const blank = run.text.trim().length === 0;
    if (line) {
      const sameBaseline = Math.abs(run.y - line.y) <= 0.5 * Math.max(line.size, run.size);
      const gap = run.x - line.x1;
      // A gap wider than a few spaces is a column gutter or a table cell: another line.
      if (sameBaseline && gap > -line.size && gap <= 1.5 * line.size) {
        if (isNoteMarker(run, line)) {
          // A footnote's number raised after a word ("PFHxS¹"): dropped, never glued onto the word.
          line.x1 = Math.max(line.x1, run.x + run.width);
          continue;
        }
        if (blank) {
          if (!line.text.endsWith(' ')) line.text += ' ';
        } else {
          if (gap > 0.15 * run.size && !line.text.endsWith(' ') && !run.text.startsWith(' ')) line.text += ' ';
          line.text += run.text;
          line.size = Math.max(line.size, run.size);
          line.bold &&= run.bold === true;
        }
        line.x1 = Math.max(line.x1, run.x + run.width);
        continue;
      }
    }
    if (blank) continue;
    line = { text: run.text, x0: run.x, x1: run.x + run.width, y: run.y, size: run.size, bold: run.bold === true };
    lines.push(line);
  }
  for (const l of lines) l.text = l.text.replace(/\s+/gu, ' ').trim();
  return lines.filter((l) => l.text.length > 0);
}

/** A line's text with its numbers blanked, to find running headers whose page number changes. */
const furnitureKey = (text: string): string => text.toLowerCase().replace(/\d+/gu, '#').replace(/\s+/gu, ' ').trim();
const PAGE_NUMBER = /^(?:page\s*)?#(?:\s*(?:of|\/)\s*#)?$|^[-–—]\s*#\s*[-–—]$|^[ivxlc]+$/iu;

/** The share of a line's width covered by links (a link area around its baseline). */
function linkShare(line: Line, links: readonly [number, number, number, number][]): number {
  const spans = links
    .filter(([, y0, , y1]) => line.y >= y0 - 2 && line.y <= y1 + 2)
    .map(([x0, , x1]) => [Math.max(x0, line.x0), Math.min(x1, line.x1)] as const)
    .filter(([a, b]) => b > a)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let end = -Infinity;
  for (const [a, b] of spans) {
    if (b <= end) continue;
    covered += b - Math.max(a, end);
    end = b;
  }
  return covered / Math.max(1, line.x1 - line.x0);
}

/** Words of a site's furniture: sign-in, sharing, newsletters, cookie and legal lines, "most read" lists. */
const CHROME_WORDS =
  /\b(?:cookies?|privacy (?:policy|notice)|terms (?:of|and) (?:use|service|conditions)|all rights reserved|sign (?:in|up)|log ?in|subscribe|newsletter|accept all|manage (?:settings|preferences)|share (?:this|article)|email article|print article|send feedback|most (?:read|popular|viewed|shared)|trending|follow us|advertise(?:ment| with us)?|skip to (?:main )?content|in your inbox|email address|your email)\b|©/iu;

/** A whole line that is a page's widget: a form field's example address, a lone button label. */
const CHROME_LINE = /^[•·▪◦‣*\s]*(?:\S+@\S+\.[a-z]{2,}|(?:(?:comments?|share|search|print|email|tweet|menu|close)\s*)+)$/iu;

/**
 * A page's lines in blocks: lines of one type size and left edge, each about a line below the
 * one before (a box, a caption, a paragraph). Returns each line's block number.
 */
function blocksOf(lines: readonly Line[]): { block: number[]; above: (number | null)[] } {
  const block = lines.map((_, i) => i);
  const find = (i: number): number => (block[i] === i ? i : (block[i] = find(block[i] as number)));
  const above: (number | null)[] = lines.map(() => null);
  const order = lines.map((_, i) => i).sort((a, b) => (lines[b] as Line).y - (lines[a] as Line).y);
  for (const [k, i] of order.entries()) {
    const line = lines[i] as Line;
    // The nearest line above it that overlaps it across.
    for (let j = k - 1; j >= 0; j--) {
      const over = lines[order[j] as number] as Line;
      if (over.x1 <= line.x0 || line.x1 <= over.x0) continue;
      above[i] = order[j] as number;
      // Same type, same left edge, about a line apart.
      const near = over.y - line.y <= 1.8 * Math.max(over.size, line.size);
      if (near && Math.abs(over.size - line.size) <= 0.1 * line.size && Math.abs(over.x0 - line.x0) <= line.size) block[find(i)] = find(order[j] as number);
      break;
    }
  }
  return { block: lines.map((_, i) => find(i)), above };
}

/**
 * A web page printed to PDF (its many links give it away) brings its site along: navigation,
 * share buttons, "most read" lists, newsletter boxes, footers and cookie notices, even where they
 * appear once. As Readability does for a saved page, lines that are mostly link are left out
 * (menus, teasers, lists of other articles), and so are bare list bullets, widget lines (a lone
 * "Comments", a form's "you@example.com"), and short blocks in the words of a site's furniture:
 * a newsletter box set on three narrow lines is one block.
 * Documents with few links (reports, papers) are not touched.
 */
function removeChrome(pages: PageLines[]): void {
  const linkCount = pages.reduce((sum, page) => sum + (page.links?.length ?? 0), 0);
  if (linkCount < 8) return;
  const wordCount = (text: string): number => text.split(/\s+/u).length;
  const endsLikeProse = (text: string): boolean => /[.!?"”’)]$/u.test(text);
  for (const page of pages) {
    const links = page.links ?? [];
    const lines = page.lines;
    // Lines that are furniture by their words alone (a cookie notice laid over the article too).
    const chrome = lines.map((line) => /^[•·▪◦‣\-–—*]+$/u.test(line.text) || CHROME_LINE.test(line.text) || (wordCount(line.text) <= 20 && CHROME_WORDS.test(line.text)));
    // The rest in blocks: a box of short lines whose words are a site's is furniture too.
    const kept = lines.flatMap((_, i) => (chrome[i] ? [] : [i]));
    const { block } = blocksOf(kept.map((i) => lines[i] as Line));
    const members = new Map<number, number[]>();
    kept.forEach((i, k) => members.set(block[k] as number, [...(members.get(block[k] as number) ?? []), i]));
    const isLink = (i: number): boolean => links.length > 0 && linkShare(lines[i] as Line, links) >= 0.5;
    for (const group of members.values()) {
      const parts = group.map((i) => (lines[i] as Line).text);
      const text = parts.join(' ');
      // A box of short lines (a side column's), never an article's paragraph of full lines.
      const narrow = parts.every((part) => wordCount(part) <= 10);
      if (narrow && wordCount(text) <= 30 && CHROME_WORDS.test(text)) {
        for (const i of group) chrome[i] = true;
        continue;
      }
      // Links: menus and lists of other articles are links line after line; a link inside a
      // paragraph ("…, according to Middle East Monitor.") has the paragraph's other lines around it.
      const prose = group.some((i) => !isLink(i));
      for (const i of group) {
        const text = (lines[i] as Line).text;
        if (isLink(i) && !(prose && (wordCount(text) >= 6 || endsLikeProse(text)))) chrome[i] = true;
      }
    }
    // A box's heading goes with its box: a few words in larger type at its left edge just above it.
    const { above } = blocksOf(lines);
    lines.forEach((line, i) => {
      const over = above[i];
      if (over === null || over === undefined || !chrome[i]) return;
      const heading = lines[over] as Line;
      const near = heading.y - line.y <= 2.5 * heading.size && Math.abs(heading.x0 - line.x0) <= line.size && heading.size > 1.1 * line.size;
      if (!near || wordCount(heading.text) > 6) return;
      chrome[over] = true;
      // A heading set on two lines ("The morning / briefing" in a narrow column) goes whole.
      const top = above[over];
      if (top === null || top === undefined) return;
      const upper = lines[top] as Line;
      if (Math.abs(upper.size - heading.size) <= 0.1 * heading.size && Math.abs(upper.x0 - heading.x0) <= heading.size && upper.y - heading.y <= 1.8 * heading.size && wordCount(upper.text) <= 6) chrome[top] = true;
    });
    page.lines = lines.filter((_, i) => !chrome[i]);
  }
}

/** Lines in the top or bottom margin zone of their page. */
function inMarginZone(line: Line, page: PageLines): boolean {
  return line.y > page.height * 0.9 || line.y < page.height * 0.1;
}

/**
 * Running headers, footers and page numbers: margin lines that repeat (numbers aside) on at
 * least half the pages, or that are only a page number.
 */
function removeFurniture(pages: PageLines[]): void {
  const seenOn = new Map<string, number>();
  for (const page of pages) {
    const keys = new Set(page.lines.filter((line) => inMarginZone(line, page)).map((line) => furnitureKey(line.text)));
    for (const key of keys) seenOn.set(key, (seenOn.get(key) ?? 0) + 1);
  }
  const repeats = (key: string): boolean => pages.length >= 2 && (seenOn.get(key) ?? 0) >= Math.max(2, Math.ceil(pages.length / 2));
  for (const page of pages) {
    page.lines = page.lines.filter((line) => {
      if (!inMarginZone(line, page)) return true;
      const key = furnitureKey(line.text);
      return !(PAGE_NUMBER.test(key) || repeats(key));
    });
  }
}

/**
 * The page's lines in reading order. A vertical gutter that most lines keep clear of makes a
 * two-column page: lines that cross it (a title over both columns) cut the page into bands, and
 * each band is read left column first.
 */
function readingOrder(page: PageLines): Line[][] {
  const lines = page.lines;
  const byHeight = (a: Line, b: Line): number => b.y - a.y || a.x0 - b.x0;
  if (lines.length < 6) return [lines.slice().sort(byHeight)];
  const width = Math.ceil(page.width);
  const crossing = new Int32Array(width + 1);
  for (const line of lines) {
    for (let x = Math.max(0, Math.floor(line.x0)); x <= Math.min(width, Math.ceil(line.x1)); x++) crossing[x] = (crossing[x] ?? 0) + 1;
  }
  // The widest run of x positions in the middle of the page that few lines cross.
  const allowed = Math.floor(lines.length * 0.15);
  let best: [number, number] | null = null;
  let runStart = -1;
  for (let x = Math.floor(width * 0.25); x <= Math.ceil(width * 0.75); x++) {
    if ((crossing[x] ?? 0) <= allowed) {
      if (runStart < 0) runStart = x;
      if (!best || x - runStart > best[1] - best[0]) best = [runStart, x];
    } else {
      runStart = -1;
    }
  }
  if (!best || best[1] - best[0] < 6) return [lines.slice().sort(byHeight)];
  const [gutterStart, gutterEnd] = best;
  const mid = (gutterStart + gutterEnd) / 2;
  const left = lines.filter((line) => line.x1 <= mid);
  const right = lines.filter((line) => line.x0 >= mid);
  if (left.length < 3 || right.length < 3) return [lines.slice().sort(byHeight)];

  const columns: Line[][] = [];
  let band: Line[] = [];
  const flush = (): void => {
    const l = band.filter((line) => line.x1 <= mid).sort(byHeight);
    const r = band.filter((line) => line.x0 >= mid).sort(byHeight);
    if (l.length > 0) columns.push(l);
    if (r.length > 0) columns.push(r);
    band = [];
  };
  let spanning: Line[] | null = null;
  for (const line of lines.slice().sort(byHeight)) {
    if (line.x0 < mid && line.x1 > mid) {
      flush();
      // Consecutive lines across both columns (a title on two lines) are read together.
      if (spanning && columns[columns.length - 1] === spanning) spanning.push(line);
      else {
        spanning = [line];
        columns.push(spanning);
      }
    } else {
      band.push(line);
    }
  }
  flush();
  return columns;
}

const quantile = (values: number[], q: number): number => {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * q)] as number;
};

const median = (values: number[]): number => {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

let dictionary: Promise<Set<string>> | null = null;
/** English words (the word-list package), loaded the first time a PDF has a hyphen at a line end. */
function loadDictionary(): Promise<Set<string>> {
  dictionary ??= import('word-list').then(async ({ default: file }) => new Set((await readFile(file, 'utf8')).split('\n')));
  return dictionary;
}

/**
 * Whether a line-end hyphen splits one word ("deci-" + "sive") rather than ending a compound
 * ("face-" + "down"). The document's own spelling elsewhere decides first; then a dictionary:
 * two real words (the first at least three letters) make a compound, anything else one word.
 */
function isHyphenation(before: string, after: string, words: Map<string, number>, english: Set<string>): boolean {
  const head = /(\p{L}+)-$/u.exec(before)?.[1];
  const tail = /^(\p{Ll}\p{L}*)/u.exec(after)?.[1];
  if (!head || !tail) return false;
  const joined = (head + tail).toLowerCase();
  const compound = `${head}-${tail}`.toLowerCase();
  const asCompound = words.get(compound) ?? 0;
  const asWord = words.get(joined) ?? 0;
  if (asCompound !== asWord) return asWord > asCompound;
  const bothWords = head.length >= 3 && english.has(head.toLowerCase()) && english.has(tail);
  return !bothWords;
}

/** The type size of every character (up to 200 a line), to the tenth of a point. */
function characterSizes(pages: PageLines[]): number[] {
  return pages.flatMap((page) => page.lines.flatMap((line) => Array<number>(Math.min(line.text.length, 200)).fill(Math.round(line.size * 10) / 10)));
}

/** The size most of the text is set in (by characters). */
function bodySizeOf(pages: PageLines[], sizes: number[] = characterSizes(pages)): number {
  return median(sizes) || 10;
}

const NOTE_START = /^(?:\d{1,3}|[*†‡§])(?:\s|(?=\p{Lu}))/u;

/**
 * Footnotes: the block of lines at the foot of a page set smaller than the body text, the first
 * of them starting with a note number. They are taken out of the page's flow, so a paragraph
 * that runs on to the next page is joined whole rather than cut by them, and kept as notes, one
 * text each (a note starts at a line beginning with its number).
 */
function separateNotes(pages: PageLines[]): void {
  const bodySize = bodySizeOf(pages);
  for (const page of pages) {
    const fromBottom = page.lines.slice().sort((a, b) => a.y - b.y);
    const block: Line[] = [];
    for (const line of fromBottom) {
      if (line.size > bodySize * 0.92 || line.y > page.height * 0.5) break;
      block.push(line);
    }
    block.reverse();
    const firstNote = block.findIndex((line) => NOTE_START.test(line.text));
    if (firstNote < 0) continue;
    const noteLines = block.slice(firstNote);
    const notes: string[] = [];
    for (const line of noteLines) {
      if (NOTE_START.test(line.text) || notes.length === 0) notes.push(line.text);
      else notes[notes.length - 1] += ` ${line.text}`;
    }
    const taken = new Set(noteLines);
    page.lines = page.lines.filter((line) => !taken.has(line));
    page.notes = notes;
  }
}

/** A line that ends a sentence (or a clause a paragraph may end on), so a paragraph may end after it. */
const endsSentence = (text: string): boolean => /[.!?:;"”’)\]]$/u.test(text);

/** A line whose last word ends a clause or sentence: no heading ends so. */
const endsClause = (text: string): boolean => /[.,;!?]$/u.test(text);

/** Writes the pages' lines as paragraphs: a larger gap than the usual line spacing, a change of size, or a heading starts one. */
function assemble(pages: PageLines[], words: Map<string, number>, english: Set<string>): TextBuilder {
  const builder = new TextBuilder();
  const sizes = characterSizes(pages);
  const bodySize = bodySizeOf(pages, sizes);
  const headingSizes = [...new Set(sizes.filter((size) => size > bodySize * 1.15))].sort((a, b) => b - a);
  const isHeading = (line: Line): boolean => line.size > bodySize * 1.15 && line.text.split(' ').length <= 25;
  // Below the headings set larger, those set bold at the body's size (many Word reports).
  const boldLevel = headingSizes.length + 1;
  let previous: Line | null = null;
  let heading: { text: string; level: number; size: number } | null = null;
  const flushHeading = (): void => {
    if (heading) builder.heading(heading.text, heading.level);
    heading = null;
  };
  // Footnotes are written as their own paragraphs after the page's text, or, when a paragraph runs
  // on to the next page, after that paragraph ends (cited on the page where it ends).
  let notes: string[] = [];
  const flushNotes = (): void => {
    if (notes.length === 0) return;
    builder.endParagraph();
    for (const note of notes) {
      builder.append(note);
      builder.endParagraph();
    }
    notes = [];
  };
  for (const [pageIndex, page] of pages.entries()) {
    builder.startPage();
    const columns = readingOrder(page);
    const spacings: number[] = [];
    for (const column of columns) {
      for (let i = 1; i < column.length; i++) {
        const gap = (column[i - 1] as Line).y - (column[i] as Line).y;
        if (gap > 0) spacings.push(gap);
      }
    }
    // The usual line spacing inside a paragraph: a low quantile of the gaps, not their median, since
    // on a page of short paragraphs (a printed web page) most gaps are paragraph gaps.
    const spacing = quantile(spacings, 0.25) || bodySize * 1.2;
    for (const column of columns) {
      column.forEach((line, i) => {
        const close = previous !== null && i > 0 && previous.y - line.y <= spacing * 1.3;
        if (isHeading(line) || isBoldHeading(column, i, bodySize, spacing)) {
          // A heading set on two lines is one heading.
          const drop = previous === null ? -1 : previous.y - line.y;
          const nextLine = drop > 0 && drop <= line.size * 1.8;
          if (heading && nextLine && Math.abs(heading.size - line.size) < 0.5) heading.text += ` ${line.text}`;
          else {
            // The paragraph before the heading has ended: the notes waiting for it go before the heading.
            if (!heading) flushNotes();
            flushHeading();
            heading = { text: line.text, level: isHeading(line) ? Math.max(1, headingSizes.indexOf(Math.round(line.size * 10) / 10) + 1) : boldLevel, size: line.size };
          }
          previous = line;
          return;
        }
        let breakBefore = heading !== null || previous === null;
        flushHeading();
        if (previous && !breakBefore) {
          if (i > 0) breakBefore = !close || Math.abs(line.size - previous.size) > bodySize * 0.15;
          // A new column or page: the paragraph goes on unless the last line ended a sentence.
          else breakBefore = endsSentence(previous.text) && !/^\p{Ll}/u.test(line.text);
        }
        if (breakBefore) {
          flushNotes();
          builder.endParagraph();
        }
        appendLine(builder, line.text, words, english);
        previous = line;
      });
    }
    notes.push(...(page.notes ?? []));
    // The page's last paragraph ends here when its last line ends a sentence and the next page does not go on in lower case.
    const nextFirst = pages[pageIndex + 1]?.lines.slice().sort((a, b) => b.y - a.y)[0];
    const last = previous as Line | null;
    if (notes.length > 0 && (!last || (endsSentence(last.text) && !(nextFirst && /^\p{Ll}/u.test(nextFirst.text))))) flushNotes();
  }
  flushHeading();
  flushNotes();
  return builder;
}

/** A font's name after its subset tag ("CAAAAA+DejaVuSans-Bold") that says its face is bold or heavier. */
const BOLD_FACE = /bold|black|heavy/iu;

/** The PostScript name pdf.js gives a loaded font, or nothing. */
function fontNameOf(font: unknown): string {
  const name = (font as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : '';
}

/** Text that could be a bold heading at the body's size (isBoldHeading): a few words, not ending a clause. */
function headingLikeText(text: string): boolean {
  return text.split(' ').length <= BOLD_HEADING_WORDS && !endsClause(text);
}

/** Words at most in a heading set bold at the body's size, over at most two lines. */
const BOLD_HEADING_WORDS = 12;

/**
 * A heading set bold at the body's size: a bold block of one or two lines (a heading on two lines
 * is one heading), a few words that do not end a sentence, standing apart from the line above,
 * with body text in a regular face right below. A bold paragraph, a bold sentence inside one or a
 * bold line at the foot of a column is not one.
 */
function isBoldHeading(column: readonly Line[], i: number, bodySize: number, spacing: number): boolean {
  const atBody = (line: Line | undefined): line is Line => line !== undefined && Math.abs(line.size - bodySize) <= 0.15 * bodySize;
  const line = column[i] as Line;
  if (!line.bold || !atBody(line)) return false;
  let first = i;
  while (first > 0 && first > i - 2 && (column[first - 1] as Line).bold && atBody(column[first - 1])) first--;
  let last = i;
  while (last < column.length - 1 && last < first + 1 && (column[last + 1] as Line).bold && atBody(column[last + 1])) last++;
  const block = column.slice(first, last + 1);
  const after = column[last + 1];
  const before = column[first - 1];
  if (block.length > 2 || !atBody(after) || after.bold) return false;
  if (before?.bold === true && atBody(before)) return false;
  if (!headingLikeText(block.map((l) => l.text).join(' '))) return false;
  // Apart from the paragraph above it (or first in its column).
  return before === undefined || before.y - (block[0] as Line).y > spacing * 1.3;
}

/** Joins a line to its paragraph, resolving a hyphen or soft hyphen at the end of the line before it. */
function appendLine(builder: TextBuilder, text: string, words: Map<string, number>, english: Set<string>): void {
  const clean = text.replace(/\u00AD(?!$)/gu, '');
  if (builder.isParagraphOpen) {
    const tail = builder.tail(60);
    if (tail.endsWith('\u00AD') || (/\p{L}-$/u.test(tail) && isHyphenation(tail, clean, words, english))) {
      builder.trimEnd(1);
      builder.append(clean, '');
      return;
    }
    // A compound broken at its own hyphen ("face-" + "down", "17-" + "year-old") is one word again.
    if (/[\p{L}\p{N}]-$/u.test(tail) && /^\p{L}/u.test(clean)) {
      builder.append(clean, '');
      return;
    }
  }
  builder.append(clean);
}

/** The largest page count a PDF's page tree states (`/Count N`), read from the bytes before any page is. */
function claimedPageCount(bytes: Uint8Array): number {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let most = 0;
  for (const match of text.matchAll(/\/Count\s+(\d{1,12})/gu)) most = Math.max(most, Number(match[1]));
  return most;
}

function pdfDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^D:(\d{4})(\d{2})?(\d{2})?/u.exec(value);
  if (!match) return undefined;
  return [match[1], match[2], match[3]].filter(Boolean).join('-');
}

function infoString(info: Record<string, unknown>, key: string): string | undefined {
  const value = info[key];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/\s+/gu, ' ').trim();
  // Producers often leave a file name or a placeholder as the title.
  if (trimmed.length === 0 || /^untitled$/iu.test(trimmed) || /\.(?:docx?|odt|pdf|txt|rtf|indd|tex)$/iu.test(trimmed)) return undefined;
  return trimmed;
}

type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

/**
 * OCR's mean confidence (0–100) in the words it keeps, by their letters, under which a scan's
 * reading is refused rather than quoted: the sample articles scanned at 150 and 300 dpi read at
 * 93–95 here, a 60 dpi scan of the same page at 84 with one word in ten wrong ("Exports" for
 * "Experts"). The page-wide mean of every mark read is not used: at 300 dpi an article with
 * photographs fell to 87 on marks in the photographs that are never quoted.
 */
const MIN_OCR_CONFIDENCE = 88;

/**
 * The pages' lines as text, the same for a text layer and for OCR's words: running heads and
 * page numbers, a printed web page's chrome and footnotes are taken out, then the lines are
 * written as paragraphs with hyphens resolved against the document's own words.
 */
async function readPages(pages: PageLines[]): Promise<ReturnType<TextBuilder['finish']>> {
  removeFurniture(pages);
  removeChrome(pages);
  separateNotes(pages);
  const words = new Map<string, number>();
  for (const page of pages) {
    for (const line of page.lines) for (const word of line.text.toLowerCase().match(/\p{L}+(?:-\p{L}+)*/gu) ?? []) words.set(word, (words.get(word) ?? 0) + 1);
  }
  const hyphenatedLines = pages.some((page) => page.lines.some((line) => /\p{L}-$/u.test(line.text)));
  const english = hyphenatedLines ? await loadDictionary() : new Set<string>();
  return assemble(pages, words, english).finish();
}

/** Title and author from the document properties, when they are real ones. */
function propertiesMeta(info: Record<string, unknown>): FormatMeta {
  const meta: FormatMeta = {};
  const title = infoString(info, 'Title');
  const author = infoString(info, 'Author');
  if (title) meta.title = title;
  if (author) meta.author = author;
  return meta;
}

/** The largest image each page paints (a scanned page is one image), as pdf.js decodes it, with the page's size in points. */
async function pageImages(pdf: PdfDocument): Promise<({ image: PageImage; width: number; height: number } | null)[]> {
  const { OPS } = await loadPdfJs();
  const images: ({ image: PageImage; width: number; height: number } | null)[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    const operators = await page.getOperatorList();
    let best: { id: string; area: number } | null = null;
    operators.fnArray.forEach((fn, i) => {
      if (fn !== OPS.paintImageXObject) return;
      const [id, width, height] = operators.argsArray[i] as [string, number, number];
      if (!best || width * height > best.area) best = { id, area: width * height };
    });
    const chosen = best as { id: string; area: number } | null;
    if (!chosen) {
      images.push(null);
      continue;
    }
    const store = chosen.id.startsWith('g_') ? page.commonObjs : page.objs;
    const image = await new Promise<Partial<PageImage> | null>((resolve) => store.get(chosen.id, (data: unknown) => resolve(data as Partial<PageImage> | null)));
    images.push(image?.data && image.width && image.height && image.kind ? { image: { width: image.width, height: image.height, kind: image.kind, data: image.data }, width: x1 - x0, height: y1 - y0 } : null);
  }
  return images;
}

/**
 * A PDF with no text layer, read by OCR (ocr.ts). Each recognised word becomes a run of text at
 * its place on the page (the scan taken to fill the page), and from there the page is read
 * exactly as a text PDF is: lines, columns, running heads and page numbers, headings by size,
 * footnotes, paragraphs and hyphens. The reading is refused when OCR finds next to nothing or is
 * unsure of it (a scan too small or unclear).
 */
async function scannedPdf(pdf: PdfDocument, info: Record<string, unknown>, limits: ExtractLimits, deadline: Deadline, onPage?: (done: number, total: number) => void): Promise<ExtractedText> {
  if (pdf.numPages > limits.ocrMaxPages) {
    throw new ExtractError(`the PDF has no text layer (a scanned document?) and ${String(pdf.numPages)} pages; OCR reads at most ${String(limits.ocrMaxPages)} (WITNESS_OCR_MAX_PAGES)`);
  }
  // Each page may take its OCR time on top of the file's limit.
  deadline.extend(pdf.numPages * limits.ocrPageSeconds);
  const scans = await pageImages(pdf);
  if (scans.every((scan) => scan === null)) throw new ExtractError('the PDF has no text and no page image to read');
  const read = await recognizePages(scans.map((scan) => scan?.image ?? null), limits.ocrPageSeconds, onPage);
  const late = read.flatMap((page, i) => (page.timedOut ? [i + 1] : []));
  if (late.length > 0 && late.length === scans.filter((scan) => scan !== null).length) {
    throw new ExtractError(`the PDF has no text layer (a scanned document?) and OCR took longer than ${String(limits.ocrPageSeconds)} s on every page (WITNESS_OCR_PAGE_SECONDS)`);
  }
  const scanned = read.filter((page, i) => scans[i] !== null && !page.timedOut);
  // How well the words kept were read, by their letters: marks in a photograph, read at low
  // confidence and left out, do not count against a clear scan of the text.
  const letters = scanned.reduce((sum, page) => sum + page.letters, 0);
  const confidence = scanned.reduce((sum, page) => sum + page.textConfidence * page.letters, 0) / Math.max(1, letters);
  const chars = read.reduce((sum, page) => sum + page.words.reduce((s, word) => s + word.text.length, 0), 0);
  if (chars < 20 || confidence < MIN_OCR_CONFIDENCE) {
    throw new ExtractError(`the PDF has no text layer (a scanned document?) and OCR could not read it with confidence (${confidence.toFixed(0)} %): the scan may be too small or unclear`);
  }
  // OCR measures each line's height a little differently (ascenders, descenders): heights within
  // a quarter of the usual one are the body size, so only real changes of size (headings) count.
  const usual = median(read.flatMap((page) => page.words.map((word) => word.size)));
  const sizeOf = (size: number): number => (Math.abs(size - usual) <= 0.25 * usual ? usual : size);
  const pages: PageLines[] = read.map((page, i) => {
    const scan = scans[i];
    if (!scan) return { lines: [], width: 1, height: 1 };
    const scale = scan.width / scan.image.width;
    const runs: Run[] = page.words.map((word) => ({
      text: expandLigatures(word.text),
      x: word.x0 * scale,
      y: (scan.image.height - word.baseline) * scale,
      width: (word.x1 - word.x0) * scale,
      // A line's height in the scan is a little more than its type size.
      size: sizeOf(word.size) * scale * 0.8,
    }));
    return { lines: linesOf(runs), width: scan.width, height: scan.height };
  });
  const { text, pages: pageStarts, sections } = await readPages(pages);
  const meta = propertiesMeta(info);
  const warnings = [`the PDF has no text layer: its ${String(scanned.length)} scanned page${scanned.length === 1 ? ' was' : 's were'} read by OCR (mean confidence ${confidence.toFixed(0)} %); quotes give OCR's reading, which may differ from the scan in places`];
  if (late.length > 0) warnings.push(`OCR took longer than ${String(limits.ocrPageSeconds)} s on page${late.length === 1 ? '' : 's'} ${late.join(', ')}, which ${late.length === 1 ? 'was' : 'were'} left out (WITNESS_OCR_PAGE_SECONDS)`);
  return { format: 'pdf', text, pages: pageStarts, sections, recognized: true, meta, fallbackMeta: {}, warnings };
}

/**
 * The text of a PDF in reading order, paragraph by paragraph, with where each page starts.
 * Running headers, footers and page numbers are left out; ligatures are spelled out and words
 * hyphenated at line ends are joined again.
 */
export async function extractPdf(bytes: Uint8Array, limits: ExtractLimits, onPage?: (done: number, total: number) => void): Promise<ExtractedText> {
  const { getDocument } = await loadPdfJs();
  const task = getDocument({
    // pdf.js takes ownership of the buffer it is given.
    data: new Uint8Array(bytes),
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
  });
  try {
    const work = async (deadline: Deadline): Promise<ExtractedText> => {
      let pdf;
      try {
        pdf = await task.promise;
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'PasswordException') throw new ExtractError('the PDF is encrypted (password-protected); remove the password and add it again');
        if (name === 'InvalidPDFException' || name === 'FormatError') throw new ExtractError('the PDF is damaged or truncated and could not be read');
        throw new ExtractError(`the PDF could not be read (${(error as Error).message || 'unknown error'})`);
      }
      if (pdf.numPages > limits.maxPages) {
        throw new ExtractError(`the PDF has ${String(pdf.numPages)} pages; the limit is ${String(limits.maxPages)} (WITNESS_MAX_PAGES)`);
      }
      // pdf.js counts the pages that are really there; a page tree claiming far more is noted.
      const claimed = claimedPageCount(bytes);
      const pages: PageLines[] = [];
      const unreadable: number[] = [];
      for (let n = 1; n <= pdf.numPages; n++) {
        try {
          const page = await pdf.getPage(n);
          const [x0, y0, x1, y1] = page.view as [number, number, number, number];
          const content = await page.getTextContent();
          const runs: Run[] = [];
          const fonts: string[] = [];
          for (const item of content.items) {
            if (!('str' in item)) continue;
            const [a, b, , d, e, f] = item.transform as number[];
            runs.push({ text: expandLigatures(item.str), x: (e ?? 0) - x0, y: (f ?? 0) - y0, width: item.width, size: Math.hypot(b ?? 0, d ?? 0) || Math.abs(a ?? 0) || item.height });
            fonts.push(item.fontName);
          }
          let lines = linesOf(runs);
          if (lines.some((line) => headingLikeText(line.text))) {
            // Which faces are bold is known once the page's fonts are loaded (its operator list).
            await page.getOperatorList();
            const bold = new Map<string, boolean>();
            const isBold = (name: string): boolean => {
              let known = bold.get(name);
              if (known === undefined) bold.set(name, (known = page.commonObjs.has(name) && BOLD_FACE.test(fontNameOf(page.commonObjs.get(name)))));
              return known;
            };
            runs.forEach((run, r) => (run.bold = isBold(fonts[r] as string)));
            lines = linesOf(runs);
          }
          const links: [number, number, number, number][] = [];
          for (const annotation of (await page.getAnnotations()) as { subtype?: string; rect?: number[] }[]) {
            const [ax0, ay0, ax1, ay1] = annotation.rect ?? [];
            if (annotation.subtype === 'Link' && ax0 !== undefined && ay0 !== undefined && ax1 !== undefined && ay1 !== undefined) {
              links.push([Math.min(ax0, ax1) - x0, Math.min(ay0, ay1) - y0, Math.max(ax0, ax1) - x0, Math.max(ay0, ay1) - y0]);
            }
          }
          pages.push({ lines, width: x1 - x0, height: y1 - y0, links });
          page.cleanup();
          onPage?.(n, pdf.numPages);
        } catch {
          unreadable.push(n);
          pages.push({ lines: [], width: 1, height: 1 });
        }
      }
      const metadata = await pdf.getMetadata().catch(() => null);
      const info = (metadata?.info ?? {}) as Record<string, unknown>;
      const textChars = pages.reduce((sum, page) => sum + page.lines.reduce((s, line) => s + line.text.length, 0), 0);
      if (unreadable.length === pages.length) {
        await pdf.destroy();
        throw new ExtractError('the PDF is damaged or truncated: none of its pages could be read');
      }
      if (textChars < 20) {
        // No text layer: a scan. Its page images are read by OCR.
        try {
          return await scannedPdf(pdf, info, limits, deadline, onPage);
        } finally {
          await pdf.destroy();
        }
      }
      await pdf.destroy();

      const { text, pages: pageStarts, sections } = await readPages(pages);
      const warnings: string[] = [];
      if (claimed > pdf.numPages && claimed > limits.maxPages) {
        warnings.push(`the PDF claims ${String(claimed)} pages but has ${String(pdf.numPages)}; the ${String(pdf.numPages)} it has were read`);
      }
      if (unreadable.length > 0) warnings.push(`pages ${unreadable.join(', ')} of the PDF could not be read and were left out`);
      const meta = propertiesMeta(info);
      const fallbackMeta: FormatMeta = {};
      const date = pdfDate(info.CreationDate);
      if (date) fallbackMeta.date = date;
      return { format: 'pdf', text, pages: pageStarts, sections, meta, fallbackMeta, warnings };
    };
    return await withinDeadline(work, limits.maxSeconds, 'the PDF');
  } finally {
    void task.destroy().catch(() => undefined);
  }
}
