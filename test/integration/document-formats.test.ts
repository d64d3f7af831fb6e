import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadEmbedder, type Embedder } from '../../src/embed/embedder.js';
import { updateIndex } from '../../src/ingest/update-index.js';
import { answerJson } from '../../src/cli/format-answer.js';
import { Answerer } from '../../src/search/ask.js';
import { findPhrase } from '../../src/search/find-phrase.js';
import { openEmbedded } from '../../src/store/embedded-store.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * A library of PDFs, web pages and Word files (the LibreOffice fixtures) with bad files among
 * them, ingested with the real default model and asked real questions.
 */
const FORMATS = path.join(PROJECT_ROOT, 'test', 'fixtures', 'formats');
const MODEL = 'Xenova/e5-small-v2';
const logger = pino({ level: 'silent' });
let embedder: Embedder;

function mixedLibrary(): { corpusDir: string; indexDir: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'witness-formats-'));
  const corpusDir = path.join(root, 'corpus');
  mkdirSync(corpusDir);
  copyFileSync(path.join(FORMATS, 'pdf', '000_93204e62e34d1ad1.pdf'), path.join(corpusDir, 'trt-mosul.pdf'));
  copyFileSync(path.join(FORMATS, 'pdf', '003_4bbc032d74fe67a6.pdf'), path.join(corpusDir, 'sorrowful-picture.pdf'));
  copyFileSync(path.join(FORMATS, 'html', '004_2fa897a6bb32e4bf.html'), path.join(corpusDir, 'aljazeera.html'));
  copyFileSync(path.join(FORMATS, 'docx', '001_f9e13c605d763562.docx'), path.join(corpusDir, 'daily-caller.docx'));
  copyFileSync(path.join(PROJECT_ROOT, 'corpus', '002_7164e3e001d81504.txt'), path.join(corpusDir, 'photo-evidence.txt'));
  for (const bad of readdirSync(path.join(FORMATS, 'bad'))) copyFileSync(path.join(FORMATS, 'bad', bad), path.join(corpusDir, bad));
  return { corpusDir, indexDir: path.join(root, 'index') };
}

beforeAll(async () => {
  embedder = await loadEmbedder({ modelId: MODEL, modelDir: path.join(PROJECT_ROOT, 'models'), allowRemoteModels: false });
});
afterAll(async () => embedder.dispose());

describe('a library of PDFs, web pages and Word files', () => {
  it('indexes every readable file, skips each bad one with its reason, and quotes each format with page, heading and link', async () => {
    const workspace = mixedLibrary();
    const { index, report } = await updateIndex({ ...workspace, maxFileBytes: 10_000_000, embedder, logger });
    const reasons = Object.fromEntries(report.skipped.map((skip) => [skip.sourceId, skip.reason]));
    expect(reasons).toEqual({
      'encrypted.pdf': expect.stringContaining('encrypted'),
      'scanned.pdf': expect.stringContaining('no text layer'),
      'truncated.pdf': expect.stringContaining('damaged or truncated'),
      'zip-bomb.docx': expect.stringContaining('zip bomb'),
      'no-article.html': expect.stringContaining('no article'),
      'lying.pdf': expect.stringContaining('PNG'),
    });
    const documents = index.documents.map((doc) => `${doc.sourceId}:${doc.format ?? 'text'}`).sort();
    expect(documents).toEqual([
      'aljazeera.html:html',
      'daily-caller.docx:docx',
      'huge-page-count.pdf:pdf',
      'pdf-named.txt:pdf',
      'photo-evidence.txt:text',
      'sorrowful-picture.pdf:pdf',
      'trt-mosul.pdf:pdf',
    ]);
    expect(report.warnings).toEqual(
      expect.arrayContaining([
        { sourceId: 'pdf-named.txt', message: 'named as plain text but its content is a PDF; read as a PDF' },
        { sourceId: 'huge-page-count.pdf', message: 'the PDF claims 100000 pages but has 1; the 1 it has were read' },
      ]),
    );

    const { library, store } = openEmbedded(index, { libraryUrl: 'https://library.example.org/witness/' });
    const answerer = new Answerer(library, store, embedder, { minSimilarity: embedder.profile.minSimilarity });

    // A PDF: the page the words are on, and a link that opens the PDF there.
    const pdf = (await answerer.ask('How many civilians are trapped in Mosul?')).results.find((r) => r.sourceId === 'trt-mosul.pdf');
    expect(pdf).toBeDefined();
    expect(pdf?.format).toBe('pdf');
    expect(pdf?.quote).toContain('1 million civilians are trapped');
    expect(pdf?.page).toBe(2);
    expect(pdf?.link).toBe('https://library.example.org/witness/trt-mosul.pdf#page=2');

    // A web page: its own canonical address, with the quoted words highlighted.
    // (The same article is in the library as a PDF too, pdf-named.txt: the PDF is cited with its page, the web page corroborates it.)
    const page = (await answerer.ask('Where were the execution photos posted?')).results.flatMap((r) => [r, ...r.corroboratedBy]).find((r) => r.sourceId === 'aljazeera.html');
    expect(page?.format).toBe('html');
    expect(page?.link).toMatch(/^https:\/\/example\.org\/news\/004_2fa897a6bb32e4bf#:~:text=/u);

    // A Word file: no heading but its headline (the title, already cited), so no section.
    const docx = findPhrase(index.documents, 'revenge killings', { locate: library.locate }).find((m) => m.sourceId === 'daily-caller.docx');
    expect(docx).toMatchObject({ format: 'docx', section: null, page: null, link: 'https://library.example.org/witness/daily-caller.docx' });
    // A web page's sub-heading.
    const under = findPhrase(index.documents, 'military spokesman', { locate: library.locate }).find((m) => m.sourceId === 'aljazeera.html');
    expect(under?.section).toBe('Photo authenticity');

    // Every quote is an exact slice of the stored text, and the JSON contract carries page, section and link.
    for (const result of [pdf, page]) {
      const doc = library.document(result?.sourceId as string);
      expect(doc?.text.slice(result?.start, result?.end)).toBe(result?.quote);
    }
    const json = JSON.parse(answerJson(await answerer.ask('How many civilians are trapped in Mosul?'))) as { results: Record<string, unknown>[] };
    expect(Object.keys(json.results[0] ?? {})).toEqual(expect.arrayContaining(['format', 'page', 'section', 'link', 'quote', 'start', 'end']));
  });

  it('re-ingests without reading anything again (bad files included), and a rebuild gives the same offsets', async () => {
    const workspace = mixedLibrary();
    const first = await updateIndex({ ...workspace, maxFileBytes: 10_000_000, embedder, logger });
    const again = await updateIndex({ ...workspace, maxFileBytes: 10_000_000, embedder, logger });
    expect(again.report.upToDate).toBe(true);
    expect(again.report.skipped.map((skip) => skip.sourceId).sort()).toEqual(first.report.skipped.map((skip) => skip.sourceId).sort());
    const rebuilt = await updateIndex({ ...workspace, maxFileBytes: 10_000_000, embedder, logger, rebuild: true });
    const spans = (docs: typeof first.index.documents): unknown => docs.map((doc) => [doc.sourceId, doc.text, doc.pages, doc.sections, doc.chunks.map((c) => [c.start, c.end])]);
    expect(spans(rebuilt.index.documents)).toEqual(spans(first.index.documents));
  });

  it('the CLI shows the page, the heading and the link of a PDF quote', () => {
    const workspace = mixedLibrary();
    const run = runCli(['ask', '--corpus', workspace.corpusDir, '--index', workspace.indexDir, '--json', 'How many civilians are trapped in Mosul?'], { env: { WITNESS_LIBRARY_URL: 'https://library.example.org/witness' } });
    expect(run.status, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout) as { results: { sourceId: string; page: number | null; link: string | null }[] };
    const pdf = answer.results.find((r) => r.sourceId === 'trt-mosul.pdf');
    expect(pdf).toMatchObject({ page: 2, link: 'https://library.example.org/witness/trt-mosul.pdf#page=2' });
    const text = runCli(['ask', '--corpus', workspace.corpusDir, '--index', workspace.indexDir, 'How many civilians are trapped in Mosul?']);
    expect(text.stdout).toContain('trt-mosul.pdf#page=2');
  });
});
