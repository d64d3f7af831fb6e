import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateTokens, parseDocument } from '../../src/library/parse-document.js';
import { prepareDocument } from '../../src/library/prepare-document.js';

const corpus = path.resolve(import.meta.dirname, '../../corpus');
const options = { maxPassageSize: 256, measure: estimateTokens };
const read = (name: string): string => readFileSync(path.join(corpus, name), 'utf8');
const parse = (text: string) => parseDocument(text, 'fallback', options);

describe('parseDocument on the sample library', () => {
  it('never alters quoted text: every passage and sentence is an exact slice of the file', () => {
    for (const name of ['000_93204e62e34d1ad1.txt', '001_f9e13c605d763562.txt', '002_7164e3e001d81504.txt', '003_4bbc032d74fe67a6.txt', '004_2fa897a6bb32e4bf.txt']) {
      const text = read(name);
      const { chunks } = parse(text);
      expect(chunks.length).toBeGreaterThan(5);
      for (const chunk of chunks) {
        expect(text.slice(chunk.start, chunk.end).trim()).toBe(text.slice(chunk.start, chunk.end));
        for (const sentence of chunk.sentences) {
          expect(sentence.start).toBeGreaterThanOrEqual(chunk.start);
          expect(sentence.end).toBeLessThanOrEqual(chunk.end);
        }
      }
    }
  });

  it('drops site furniture and promo blocks but keeps the article', () => {
    const text = read('004_2fa897a6bb32e4bf.txt');
    const passages = parse(text).chunks.map((c) => text.slice(c.start, c.end));
    const all = passages.join('\n');
    for (const furniture of ['Email Article', 'Print Article', 'Share article', 'Send Feedback', '[QODLink]', 'Featured on Al Jazeera', 'Justice for All', 'Ebola', 'Al Jazeera and agencies']) {
      expect(all).not.toContain(furniture);
    }
    expect(passages).toContain('On Monday, rebels captured the strategic town of Tal Afar, close to the Syrian border, after a long and bloody offensive against Iraqi forces.');
    expect(passages).not.toContain('518');
  });

  it('drops a byline promo and tip line, and reads the syndication notice as the publisher', () => {
    const text = read('001_f9e13c605d763562.txt');
    const parsed = parse(text);
    const all = parsed.chunks.map((c) => text.slice(c.start, c.end)).join('\n');
    expect(all).not.toContain('Follow Russ Read on Twitter');
    expect(all).not.toContain('Send tips to');
    expect(all).not.toContain('No featured image available');
    expect(parsed.meta.publisher).toBe('Daily Caller News Foundation');
    expect(parsed.meta.title).toBe('Iranian-Backed Militias Engage In Revenge Killings Against Civilians Fleeing ISIS');
  });

  it('keeps one copy of a repeated paragraph or line', () => {
    const text = read('002_7164e3e001d81504.txt');
    const passages = parse(text).chunks.map((c) => text.slice(c.start, c.end));
    expect(passages.filter((p) => p.startsWith('The human rights organization, Human Rights Watch'))).toHaveLength(1);
    const trt = read('000_93204e62e34d1ad1.txt');
    const trtPassages = parse(trt).chunks.map((c) => trt.slice(c.start, c.end));
    expect(trtPassages.filter((p) => p.includes('Experts had already warned'))).toEqual([
      'Experts had already warned that involvement of Shia militias could lead to sectarian reprisal attacks against civilians.',
    ]);
  });

  it('reads title, publisher and date the way the page states them', () => {
    const aj = parse(read('004_2fa897a6bb32e4bf.txt')).meta;
    expect(aj).toMatchObject({ title: "Photos released of Iraq 'mass execution'", publisher: 'Al Jazeera and agencies', date: '2014-06-16' });
    expect(parse(read('000_93204e62e34d1ad1.txt')).meta.publisher).toBe('TRT World');
    expect(parse(read('003_4bbc032d74fe67a6.txt')).meta.title).toBe('“Sorrowful picture” in Mosul');
  });

  it('numbers paragraphs in reading order from 1', () => {
    const chunks = parse(read('000_93204e62e34d1ad1.txt')).chunks;
    expect(chunks.map((c) => c.paragraph)).toEqual(chunks.map((_, i) => i + 1));
  });
});

describe('parseDocument on other shapes of input', () => {
  it('splits a paragraph too long for the model at sentence boundaries', () => {
    const sentence = 'This sentence is about the long report that the committee published last spring. ';
    const text = `A title line here\n\n${sentence.repeat(40).trim()}\n`;
    const { chunks } = parseDocument(text, 'x', { maxPassageSize: 100, measure: estimateTokens });
    expect(chunks.length).toBeGreaterThan(3);
    expect(new Set(chunks.map((c) => c.paragraph))).toEqual(new Set([1]));
    for (const chunk of chunks) {
      expect(estimateTokens(text.slice(chunk.start, chunk.end))).toBeLessThanOrEqual(100);
      expect(text.slice(chunk.start, chunk.end).endsWith('spring.')).toBe(true);
    }
  });

  it('keeps hard-wrapped lines of one paragraph together', () => {
    const text = 'Heading of the note\n\nThe first line of a wrapped\nparagraph continues here and\nends on this line.\n';
    const { chunks } = parse(text);
    expect(chunks).toHaveLength(1);
    expect(text.slice(chunks[0]!.start, chunks[0]!.end)).toBe('The first line of a wrapped\nparagraph continues here and\nends on this line.');
  });

  it('lets front matter win over heuristics and keeps offsets into the whole file', () => {
    const text = '---\ntitle: Stated title\npublisher: The Herald\ndate: 2020-03-04\nurl: https://example.org/a\n---\nA headline that is not the title\n\nThe body paragraph has enough words to count.\n';
    const prepared = prepareDocument({ sourceId: 'a.md', hash: 'h', text }, undefined, options);
    expect(prepared.document.meta).toMatchObject({ title: 'Stated title', publisher: 'The Herald', date: '2020-03-04', url: 'https://example.org/a' });
    const chunk = prepared.document.chunks.at(-1)!;
    expect(text.slice(chunk.start, chunk.end)).toBe('The body paragraph has enough words to count.');
    expect(prepared.warnings).toEqual([]);
  });

  it('reports a bad sidecar and falls back to what the text says', () => {
    const text = 'Some Title Of A Page\n\nA paragraph with a few words in it.\n';
    const notJson = prepareDocument({ sourceId: 'a.txt', hash: 'h', text }, '{not json', options);
    expect(notJson.warnings[0]).toMatch(/not valid JSON/u);
    expect(notJson.document.meta.title).toBe('Some Title Of A Page');
    const wrongTypes = prepareDocument({ sourceId: 'a.txt', hash: 'h', text }, '{"title": 42}', options);
    expect(wrongTypes.warnings[0]).toMatch(/sidecar ignored/u);
    const good = prepareDocument({ sourceId: 'a.txt', hash: 'h', text }, '{"title": "From sidecar", "author": "A. Writer"}', options);
    expect(good.document.meta).toMatchObject({ title: 'From sidecar', author: 'A. Writer' });
  });

  it('uses the file name when nothing looks like a title', () => {
    const text = 'This document starts straight away with a full sentence of prose.\n';
    expect(parseDocument(text, '042_notes', options).meta.title).toBe('042_notes');
  });
});

describe('a document’s date', () => {
  const source = {
    sourceId: 'report.pdf',
    hash: 'h',
    text: 'Water quality report\n\nNo toxin was detected in treated water at any time.\n',
    format: 'pdf' as const,
    fallbackMeta: { date: '2026-12-07' },
  };
  const chunking = { maxPassageSize: 256, measure: (text: string) => text.split(/\s+/u).length };

  it('never comes from the file’s creation date unless the operator asks', () => {
    expect(prepareDocument(source, undefined, chunking).document.meta.date).toBeNull();
    expect(prepareDocument(source, undefined, chunking, { fromFile: true }).document.meta.date).toBe('2026-12-07');
  });

  it('comes from the sidecar when it gives one', () => {
    expect(prepareDocument(source, '{"date": "2019-05-02"}', chunking).document.meta.date).toBe('2019-05-02');
  });
});
