import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../src/discord/corpus-upload.js';
import { detectFormat } from '../../src/extract/detect-format.js';
import { DOCUMENT_EXTENSIONS, FORMAT_BY_EXTENSION, FORMAT_IDS, FORMATS, formatList, isPlainText } from '../../src/extract/format-list.js';
import { quoteLink } from '../../src/search/source-link.js';
import { StoredDocumentSchema } from '../../src/store/index-format.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'formats');

/** One real file of each kind (test/fixtures/formats/README.md). */
const SAMPLES: Record<string, string> = {
  text: path.join(import.meta.dirname, '..', '..', 'corpus', '000_93204e62e34d1ad1.txt'),
  pdf: path.join(FIXTURES, 'pdf', '000_93204e62e34d1ad1.pdf'),
  html: path.join(FIXTURES, 'html', '000_93204e62e34d1ad1.html'),
  docx: path.join(FIXTURES, 'docx', '000_93204e62e34d1ad1.docx'),
};

describe('the format registry', () => {
  it('names every kind in the messages people read, by its main ending', () => {
    expect(formatList()).toBe('.txt, .md, .pdf, .html or .docx');
    expect(() => safeFileName('report.odt')).toThrow(/Only \.txt, \.md, \.pdf, \.html or \.docx files/u);
    for (const extension of DOCUMENT_EXTENSIONS) expect(safeFileName(`report${extension}`)).toBe(`report${extension}`);
  });

  it('maps every ending to one kind, and every kind has an ending', () => {
    expect(new Set(DOCUMENT_EXTENSIONS).size).toBe(DOCUMENT_EXTENSIONS.length);
    for (const format of FORMATS) for (const extension of format.extensions) expect(FORMAT_BY_EXTENSION[extension]).toBe(format.id);
    expect(FORMAT_BY_EXTENSION['.htm']).toBe('html');
  });

  it('reads each kind from its bytes, whatever the name says', async () => {
    for (const id of ['pdf', 'html', 'docx'] as const) {
      const detected = await detectFormat(readFileSync(SAMPLES[id] as string), 'upload.bin');
      expect(detected).toEqual({ format: id, warning: null });
    }
    expect(await detectFormat(readFileSync(SAMPLES.docx as string), 'report.pdf')).toMatchObject({ format: 'docx', warning: expect.stringMatching(/named as a PDF but its content is a Word document/u) });
    expect(await detectFormat(readFileSync(SAMPLES.text as string), 'report.docx')).toEqual({ error: expect.stringMatching(/named as a Word document \(DOCX\) but its content is plain text/u) });
  });

  it('stores only plain text as the file itself, and links a Word file as a whole', () => {
    expect(FORMAT_IDS.filter((id) => isPlainText(id))).toEqual(['text', 'markdown']);
    expect(quoteLink('https://example.org/r.docx', 'some words', null, 'docx')).toBe('https://example.org/r.docx');
    expect(quoteLink('https://example.org/r.html', 'some words', null, 'html')).toContain('#:~:text=');
  });

  it('lets the index record every kind, and refuses one it does not know', () => {
    const format = StoredDocumentSchema.shape.format;
    for (const id of FORMAT_IDS) expect(format.safeParse(id).success).toBe(true);
    expect(format.safeParse('odt').success).toBe(false);
  });
});
