import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { updateIndex } from '../../src/ingest/update-index.js';
import { estimateTokens, parseDocument } from '../../src/library/parse-document.js';
import { Answerer } from '../../src/search/ask.js';
import { openEmbedded } from '../../src/store/embedded-store.js';
import { sentenceSpans, SEGMENT_WINDOW, trimSpan, unicodeSentenceSpans } from '../../src/library/spans.js';
import { QuestionError } from '../../src/search/question.js';
import { standInEmbedder } from '../helpers/stand-in-embedder.js';

/**
 * Property: whatever the documents say and whatever is asked, every quote Witness returns is
 * `fileText.slice(start, end)` of the file on disk. Runs the real reader, chunker, index store,
 * retrieval, quote selection and corroboration; only the model is a test stand-in.
 */

const logger = pino({ level: 'silent' });
const embedder = standInEmbedder();
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const WORDS = ['the', 'soldiers', 'Mosul', 'torture', 'photos', 'said', 'village', 'children', '“quoted”', 'Dr.', 'U.S.', '—', 'مرحبا', 'کوردستان', 'Привет', '👩‍👩‍👧', '\u200b', '\u00a0', '@everyone', '<@123>', '||x||', '```', '# Heading', 'Source: TRT', 'By John Smith', 'e\u0301', '\ud800', 'ß', 'İ'];
const SEPARATORS = [' ', ' ', ' ', '. ', '? ', '! ', '\n', '\n\n', '\r\n', '\r\n\r\n', '\t', '...', '\n\n\n'];

const word = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...WORDS) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) });
const prose = fc
  .array(fc.tuple(word, fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 160 })
  .map((parts) => parts.map(([w, s]) => w + s).join(''));
const documentText = fc.oneof({ weight: 4, arbitrary: prose }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) });
const question = fc.oneof(
  { weight: 3, arbitrary: fc.array(word, { minLength: 1, maxLength: 12 }).map((words) => words.join(' ')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
);

/** The file as the README defines it: decoded as UTF-8, a leading byte-order mark dropped. */
function fileText(file: string): string {
  return readFileSync(file, 'utf8').replace(/^\uFEFF/u, '');
}

describe('quote invariant (property)', () => {
  it('every quote and corroborating quote equals text.slice(start, end) of its file', async () => {
    let checked = 0;
    let corroborations = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(documentText, fc.boolean()), { minLength: 1, maxLength: 3 }), fc.array(question, { minLength: 1, maxLength: 3 }), async (docs, questions) => {
        const root = mkdtempSync(path.join(tmpdir(), 'witness-prop-'));
        roots.push(root);
        const corpusDir = path.join(root, 'corpus');
        const indexDir = path.join(root, 'index');
        mkdirSync(corpusDir);
        docs.forEach(([text, bom], i) => writeFileSync(path.join(corpusDir, `doc${String(i)}.txt`), (bom ? '\uFEFF' : '') + text));
        // A second copy of the first document makes corroboration (quotes from other files) happen too.
        writeFileSync(path.join(corpusDir, 'copy.md'), docs[0]?.[0] ?? '');
        const { index } = await updateIndex({ corpusDir, indexDir, maxFileBytes: 1_000_000, embedder, logger });
        const { library, store } = openEmbedded(index);
        const answerer = new Answerer(library, store, embedder, { minSimilarity: -1 });
        for (const q of questions) {
          let answer;
          try {
            answer = await answerer.ask(q, { k: 20 });
          } catch (error) {
            expect(error).toBeInstanceOf(QuestionError);
            continue;
          }
          for (const result of answer.results) {
            for (const cited of [result, ...result.corroboratedBy]) {
              const text = fileText(path.join(corpusDir, cited.sourceId));
              expect(cited.start).toBeGreaterThanOrEqual(0);
              expect(cited.end).toBeGreaterThan(cited.start);
              expect(cited.quote).toBe(text.slice(cited.start, cited.end));
              checked++;
            }
            corroborations += result.corroboratedBy.length;
            expect(result.passage.start).toBeLessThanOrEqual(result.start);
            expect(result.passage.end).toBeGreaterThanOrEqual(result.end);
          }
        }
        rmSync(root, { recursive: true, force: true });
      }),
      {
        numRuns: 120,
        // Found by a CI run (seed -1075750972): the quote reached on into the next paragraph for
        // the answer, past the end of the paragraph it reported. Kept as a case that always runs.
        examples: [[[['the\nthe the the\r\n\r\nمرحبا the the children! ', false]], ['𮨗 village مرحبا the']]],
      },
    );
    // The property must have been exercised, not vacuously true.
    expect(checked).toBeGreaterThan(60);
    expect(corroborations).toBeGreaterThan(5);
  });

  it('sentences found window by window are the sentences of the whole span', () => {
    const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
    const longProse = fc
      .array(fc.tuple(word, fc.constantFrom(...SEPARATORS)), { minLength: 600, maxLength: 2500 })
      .map((parts) => parts.map(([w, s]) => w + s).join(''));
    let windowed = 0;
    fc.assert(
      fc.property(longProse, (text) => {
        if (text.length > SEGMENT_WINDOW) windowed++;
        const whole = [...segmenter.segment(text)].map(({ index, segment }) => trimSpan(text, { start: index, end: index + segment.length })).filter((s) => s.end > s.start);
        expect(unicodeSentenceSpans(text, { start: 0, end: text.length })).toEqual(whole);
      }),
      { numRuns: 150, endOnFailure: true },
    );
    expect(windowed).toBeGreaterThan(30);
    const lines = 'a\n'.repeat(100_000);
    const started = performance.now();
    expect(sentenceSpans(lines, { start: 0, end: lines.length })).toHaveLength(100_000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('the chunker only ever produces ordered, non-empty, trimmed spans inside the text', () => {
    fc.assert(
      fc.property(documentText, fc.integer({ min: 4, max: 300 }), (text, maxPassageSize) => {
        const { chunks } = parseDocument(text, 'fallback', { maxPassageSize, measure: estimateTokens });
        let previousEnd = 0;
        for (const chunk of chunks) {
          expect(chunk.start).toBeGreaterThanOrEqual(previousEnd);
          expect(chunk.end).toBeLessThanOrEqual(text.length);
          expect(chunk.sentences.length).toBeGreaterThan(0);
          expect(chunk.sentences[0]?.start).toBe(chunk.start);
          expect(chunk.sentences[chunk.sentences.length - 1]?.end).toBe(chunk.end);
          for (const sentence of chunk.sentences) {
            expect(sentence.end).toBeGreaterThan(sentence.start);
            expect(/^\s|\s$/u.test(text.slice(sentence.start, sentence.end))).toBe(false);
          }
          previousEnd = chunk.end;
        }
      }),
      { numRuns: 500 },
    );
  });
});
