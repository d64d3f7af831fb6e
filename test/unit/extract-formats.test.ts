import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/extract/detect-format.js';
import { extractDocument, type ExtractOptions } from '../../src/extract/extract-document.js';
import { expandLigatures, pageAt } from '../../src/extract/text-builder.js';
import { DEFAULT_EXTRACT_LIMITS, type ExtractedText } from '../../src/extract/types.js';
import { foldPhrase, foldText } from '../../src/search/find-phrase.js';

/** Real files made by LibreOffice and saved pages (test/fixtures/formats/README.md), read by the real libraries. */
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'formats');
const CORPUS = path.join(import.meta.dirname, '..', '..', 'corpus');
const OPTIONS: ExtractOptions = { ...DEFAULT_EXTRACT_LIMITS, maxFileBytes: 10 * 1024 * 1024 };
const STEMS = ['000_93204e62e34d1ad1', '001_f9e13c605d763562', '002_7164e3e001d81504', '003_4bbc032d74fe67a6', '004_2fa897a6bb32e4bf'];

async function extract(relative: string, options: Partial<ExtractOptions> = {}): Promise<ExtractedText> {
  const result = await extractDocument(readFileSync(path.join(FIXTURES, relative)), path.basename(relative), { ...OPTIONS, ...options });
  if (!result.ok) throw new Error(result.reason);
  return result.extracted;
}

async function refusal(relative: string, options: Partial<ExtractOptions> = {}): Promise<string> {
  const result = await extractDocument(readFileSync(path.join(FIXTURES, relative)), path.basename(relative), { ...OPTIONS, ...options });
  if (result.ok) throw new Error(`${relative} was read`);
  return result.reason;
}

/** The article's prose lines (six words or more) from the .txt version. */
function articleLines(stem: string): string[] {
  return readFileSync(path.join(CORPUS, `${stem}.txt`), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.split(/\s+/u).length >= 6);
}

/** Where each line of the article stands in the extracted text (folded: spacing and quote marks aside), -1 when missing. */
function positions(extracted: ExtractedText, lines: string[]): number[] {
  const key = foldText(extracted.text).key;
  return lines.map((line) => key.indexOf(foldPhrase(line)));
}

describe('PDF extraction (pdf.js)', () => {
  it.each(STEMS)('reads every line of %s in reading order, whatever the layout (one column, two columns, hyphenated)', async (stem) => {
    const extracted = await extract(`pdf/${stem}.pdf`);
    expect(extracted.format).toBe('pdf');
    const lines = articleLines(stem);
    const found = positions(extracted, lines);
    expect(lines.filter((_, i) => found[i] === -1)).toEqual([]);
    // Two-column pages read column by column: the lines come out in the article's order.
    const inOrder = found.filter((at, i) => i === 0 || at >= Math.max(...found.slice(0, i)));
    expect(inOrder.length).toBeGreaterThanOrEqual(found.length - 1);
  });

  it('leaves running headers, footers and page numbers out, and records where each page starts', async () => {
    const extracted = await extract('pdf/000_93204e62e34d1ad1.pdf');
    expect(extracted.text).not.toMatch(/Page \d/u);
    expect(extracted.pages?.length).toBe(2);
    expect(extracted.pages?.[0]).toBe(0);
    const second = extracted.pages?.[1] as number;
    expect(pageAt(extracted.pages as number[], second - 1)).toBe(1);
    expect(pageAt(extracted.pages as number[], second)).toBe(2);
    // The text on page 2 is really what the PDF prints on page 2 (poppler, for comparison, is not used here: the fixture's README lists it).
    expect(extracted.text.slice(second, second + 40).length).toBe(40);
  });

  it('joins words hyphenated at line ends (003 is justified and hyphenated) and keeps real hyphens', async () => {
    const extracted = await extract('pdf/003_4bbc032d74fe67a6.pdf');
    expect(extracted.pages?.length).toBe(3);
    for (const word of ['Islamic', 'decisive', 'November', 'officials']) expect(extracted.text).toContain(word);
    expect(extracted.text).not.toMatch(/\p{Ll}- \p{Ll}/u);
    expect(extracted.text).toContain('self-proclaimed');
  });

  it('reads the title from the document properties and headings from larger type', async () => {
    const extracted = await extract('pdf/002_7164e3e001d81504.pdf');
    expect(extracted.meta.title).toBe('Photo Evidence of Mass Torture and Executions in Iraq');
    expect(extracted.sections?.[0]).toMatchObject({ start: 0, level: 1, title: 'Photo Evidence of Mass Torture and Executions in Iraq' });
  });

  it('gives the same text and pages every time (offsets are stable across re-ingests)', async () => {
    const a = await extract('pdf/004_2fa897a6bb32e4bf.pdf');
    const b = await extract('pdf/004_2fa897a6bb32e4bf.pdf');
    expect(b.text).toBe(a.text);
    expect(b.pages).toEqual(a.pages);
  });

  it('spells out typographic ligatures and nothing else', () => {
    expect(expandLigatures('ﬁnal ﬂow oﬃce “quoted”\u00A0text')).toBe('final flow office “quoted”\u00A0text');
  });
});

describe('web pages (Readability on linkedom)', () => {
  it.each(STEMS)('keeps the article of %s and drops the site around it', async (stem) => {
    const extracted = await extract(`html/${stem}.html`);
    const lines = articleLines(stem);
    const found = positions(extracted, lines);
    // Readability takes the headline out of the body: it is the document's title instead.
    expect(lines.filter((_, i) => found[i] === -1)).toEqual(lines.filter((line) => line === extracted.meta.title));
    expect(extracted.text).not.toMatch(/cookie|Most read|newsletter/iu);
  });

  it('reads title, byline, site name, published date and canonical address from the page', async () => {
    const extracted = await extract('html/001_f9e13c605d763562.html');
    expect(extracted.meta).toMatchObject({
      title: expect.stringContaining('Iranian-Backed Militias'),
      author: 'Russ Read',
      url: 'https://example.org/news/001_f9e13c605d763562',
    });
    expect(extracted.meta.publisher).toBeTruthy();
    expect(extracted.meta.date).toMatch(/^\d{4}-\d{2}-\d{2}$/u);
  });
});

describe('Word documents (mammoth)', () => {
  it.each(STEMS)('reads every line of %s', async (stem) => {
    const extracted = await extract(`docx/${stem}.docx`);
    expect(positions(extracted, articleLines(stem)).filter((at) => at === -1)).toEqual([]);
  });

  it('keeps headings as sections, with the offsets of their text', async () => {
    const extracted = await extract('docx/004_2fa897a6bb32e4bf.docx');
    const titles = (extracted.sections ?? []).map((section) => [section.level, section.title]);
    expect(titles).toEqual(expect.arrayContaining([[2, 'Photo authenticity'], [2, 'Strategic capture']]));
    for (const section of extracted.sections ?? []) expect(extracted.text.slice(section.start, section.start + section.title.length)).toBe(section.title);
  });
});

describe('bad files get a clear reason, never an exception', () => {
  it('an encrypted PDF', async () => {
    expect(await refusal('bad/encrypted.pdf')).toBe('the PDF is encrypted (password-protected); remove the password and add it again');
  });

  it('a scanned PDF with no text layer', async () => {
    // 60 dpi: OCR reads it, but unsure of it (84 %), so it is refused rather than quoted with one word in ten wrong.
    expect(await refusal('bad/scanned.pdf')).toMatch(/^the PDF has no text layer \(a scanned document\?\) and OCR could not read it with confidence \(\d+ %\): the scan may be too small or unclear$/u);
  });

  it('a truncated PDF', async () => {
    expect(await refusal('bad/truncated.pdf')).toMatch(/^the PDF is damaged or truncated/u);
  });

  it('a PDF that claims 100,000 pages: only the pages it has are read, and the claim is reported', async () => {
    const extracted = await extract('bad/huge-page-count.pdf');
    expect(extracted.pages).toEqual([0]);
    expect(extracted.warnings).toContain('the PDF claims 100000 pages but has 1; the 1 it has were read');
  });

  it('a PDF over the page limit, and one that takes too long', async () => {
    expect(await refusal('pdf/000_93204e62e34d1ad1.pdf', { maxPages: 1 })).toBe('the PDF has 2 pages; the limit is 1 (WITNESS_MAX_PAGES)');
    expect(await refusal('pdf/003_4bbc032d74fe67a6.pdf', { maxSeconds: 0.001 })).toBe('reading the PDF took longer than 0.001 s');
  });

  it('a DOCX zip bomb is refused before it is unpacked', async () => {
    const started = performance.now();
    expect(await refusal('bad/zip-bomb.docx')).toMatch(/^the document would expand to more than 100 MB when unpacked .*zip bomb$/u);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('a web page with no article', async () => {
    expect(await refusal('bad/no-article.html')).toMatch(/^no article found on the web page/u);
  });

  it('a file that lies about its extension: refused for what it is, or read for what it is with a warning', async () => {
    expect(await refusal('bad/lying.pdf')).toBe('the file is named as a PDF but its content is PNG (image/png), which Witness cannot read');
    const pdf = await extract('bad/pdf-named.txt');
    expect(pdf.format).toBe('pdf');
    expect(pdf.warnings).toContain('named as plain text but its content is a PDF; read as a PDF');
    expect(await detectFormat(Buffer.from('just some words'), 'report.docx')).toEqual({ error: 'the file is named as a Word document (DOCX) but its content is plain text, not a Word document (DOCX)' });
  });
});

describe('time limits for every kind', () => {
  it('a web page or Word file that takes too long to read is stopped with a reason', async () => {
    expect(await refusal('docx/004_2fa897a6bb32e4bf.docx', { maxSeconds: 0.001 })).toBe('reading the Word document took longer than 0.001 s');
  });
});

describe('footnotes (notes/water-report, a LibreOffice report whose paragraph crosses a page with its notes)', () => {
  const WHOLE = 'and no toxin was detected in treated water at any time. The eastern reservoir returned to supply';

  it('PDF: the paragraph across the page break is joined whole, markers are dropped, each note stands apart', async () => {
    const pdf = await extract('notes/water-report.pdf');
    const paragraphs = pdf.text.split(/\n\s*\n/u).map((p) => p.trim());
    expect(paragraphs.some((p) => p.includes(WHOLE))).toBe(true);
    expect(pdf.text).toContain('PFOS and PFHxS, both of which persist');
    expect(pdf.text).toContain('set by the national regulator.');
    expect(pdf.text).not.toMatch(/PFHxS\d|regulator\d|time\d/u);
    expect(paragraphs).toContain('2 Drinking Water Standards, fourth edition, table 7.');
    expect(paragraphs.filter((p) => /^[123] /u.test(p))).toHaveLength(3);
    // A note is never inside a body paragraph, and the heading keeps its paragraph right after it.
    const lead = paragraphs.indexOf('Lead in household taps');
    expect(paragraphs[lead + 1]).toMatch(/^Lead was found above the guideline value/u);
    expect(pdf.pages).toHaveLength(2);
  });

  it('PDF with its section headings bold at the body size: they are found by weight, each its own paragraph and section, and bold words inside a paragraph are not', async () => {
    const sized = await extract('notes/water-report.pdf');
    const bold = await extract('notes/water-report-body-headings.pdf');
    const titles = ['Microbiological quality', 'Perfluorinated compounds', 'Lead in household taps'];
    expect((sized.sections ?? []).map((section) => section.title).slice(1)).toEqual(titles);
    expect((bold.sections ?? []).map((section) => [section.title, section.level])).toEqual([['Drinking Water Quality Report for the Lower Valley District', 1], ...titles.map((title) => [title, 2])]);
    // The same paragraphs as the report whose headings are set larger (the notes, on the pages
    // their layout puts them, aside).
    const body = (text: string): string[] => text.split(/\n\s*\n/u).map((p) => p.trim()).filter((p) => !/^\d /u.test(p));
    expect(body(bold.text)).toEqual(body(sized.text));
  });

  it('Word: no bracketed marker glued to a word, no back-link arrows; the notes follow the body', async () => {
    const docx = await extract('notes/water-report.docx');
    expect(docx.text).toContain(WHOLE);
    expect(docx.text).toContain('PFOS and PFHxS, both of which persist');
    expect(docx.text).not.toMatch(/\[\d\]|↑/u);
    expect(docx.text.trim().endsWith('The limit of detection was 0.1 micrograms per litre.')).toBe(true);
  });

  it('the other PDFs, which have no notes, keep every line (no caption or closing line is taken for a note)', async () => {
    for (const stem of STEMS) {
      const pdf = await extract(`pdf/${stem}.pdf`);
      expect(positions(pdf, articleLines(stem)).filter((at) => at < 0)).toEqual([]);
    }
  });
});

describe('a web page printed to PDF with its site chrome (webpdf/ by LibreOffice; chromepdf/ by Chromium, with its date, title, address and page header and footer, and the cookie notice laid over the article)', () => {
  const PRINTS = STEMS.flatMap((stem) => [
    ['webpdf', stem],
    ['chromepdf', stem],
  ]);
  it.each(PRINTS)('%s/%s: keeps every article line and leaves out the navigation, share buttons, lists, newsletter box, footer and cookie notice', async (folder, stem) => {
    const pdf = await extract(`${folder}/${stem}.pdf`);
    const html = await extract(`html/${stem}.html`);
    const missing = articleLines(stem).filter((line) => foldText(html.text).key.includes(foldPhrase(line)) && !foldText(pdf.text).key.includes(foldPhrase(line)));
    expect(missing).toEqual([]);
    expect(pdf.text).not.toMatch(/cookies|sign in|most read|all rights reserved|terms of use|in your inbox|manage settings|email address|@example\.com|morning briefing|^comments$|file:\/\//imu);
    // Every paragraph is the article's (its date line and headings aside): nothing of the site is glued onto one.
    const article = foldText(html.text).key;
    const headings = new Set((pdf.sections ?? []).map((section) => section.title));
    const foreign = pdf.text.split(/\n\s*\n/u).filter((p) => p.trim() && !headings.has(p.trim()) && !/^\d{4}-\d\d-\d\d$/u.test(p.trim()) && !article.includes(foldPhrase(p.trim())));
    expect(foreign).toEqual([]);
  });
});

describe('a scanned PDF (scan/001, both pages of an article rasterised at 150 dpi, no text layer)', () => {
  it('is read by OCR: its article lines, its two pages, and a warning that says so; running headers and page numbers left out', async () => {
    // OCR takes seconds a page: its time comes on top of the file's limit, so 1 s does not cut it short.
    const scan = await extract('scan/001_f9e13c605d763562.pdf', { maxSeconds: 1 });
    const lines = articleLines('001_f9e13c605d763562');
    const found = positions(scan, lines).filter((at) => at >= 0).length;
    expect(found / lines.length).toBeGreaterThanOrEqual(0.9);
    expect(scan.pages).toHaveLength(2);
    expect(scan.warnings.join(' ')).toMatch(/read by OCR \(mean confidence \d+ %\)/u);
    expect(scan.text).not.toMatch(/^Page \d+$/mu);
    expect(scan.text.split('\n\n').length).toBeGreaterThan(10);
    // Read again (a /library add checks a file, then its reindex reads it): OCR reads no page twice.
    const pagesRead: number[] = [];
    expect(await extract('scan/001_f9e13c605d763562.pdf', { maxSeconds: 1, onPage: (done) => pagesRead.push(done) })).toEqual(scan);
    expect(pagesRead).toEqual([]);
  }, 120_000);

  it('is refused past the OCR page limit, and when OCR takes too long on every page, naming the setting', async () => {
    expect(await refusal('scan/001_f9e13c605d763562.pdf', { ocrMaxPages: 1 })).toBe('the PDF has no text layer (a scanned document?) and 2 pages; OCR reads at most 1 (WITNESS_OCR_MAX_PAGES)');
    expect(await refusal('scan/001_f9e13c605d763562.pdf', { ocrPageSeconds: 0.001 })).toBe('the PDF has no text layer (a scanned document?) and OCR took longer than 0.001 s on every page (WITNESS_OCR_PAGE_SECONDS)');
  }, 60_000);
});
