import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparisonKey } from '../../src/library/normalize.js';
import { findPhrase, foldText, suggestSentences } from '../../src/search/find-phrase.js';
import type { StoredDocument } from '../../src/store/index-format.js';

function documentOf(sourceId: string, paragraphs: string[], title = 'A Title'): StoredDocument {
  let text = `${title}\n\n`;
  const chunks: StoredDocument['chunks'] = [];
  paragraphs.forEach((paragraph, i) => {
    const start = text.length;
    text += paragraph;
    const sentences: [number, number][] = [];
    let offset = start;
    for (const sentence of paragraph.split(/(?<=[.”])\s+/u)) {
      const at = text.indexOf(sentence, offset);
      sentences.push([at, at + sentence.length]);
      offset = at + sentence.length;
    }
    chunks.push({ paragraph: i + 1, start, end: text.length, sentences, signals: sentences.map(() => 0) });
    text += '\n\n';
  });
  return { sourceId, hash: 'h', text, meta: { title, publisher: 'Pub', date: '2020-01-02', url: null, author: null }, chunks };
}

const docs = [
  documentOf('a.txt', ['The soldiers said “we did not know.” Nobody believed them.', 'They left\u00A0the   city at dawn. It was cold.']),
  documentOf('b.txt', ['Toward the river, they said "We did not know." again.', 'War came.']),
];

describe('findPhrase', () => {
  it('finds a phrase across case, curly vs straight quotes, whitespace runs and non-breaking spaces, with exact offsets', () => {
    const quoted = findPhrase(docs, '"WE DID NOT KNOW."');
    expect(quoted.map((m) => m.sourceId)).toEqual(['a.txt', 'b.txt']);
    for (const match of quoted) {
      const doc = docs.find((d) => d.sourceId === match.sourceId) as StoredDocument;
      expect(match.quote).toBe(doc.text.slice(match.start, match.end));
    }
    expect(quoted[0]?.quote).toBe('“we did not know.”');
    expect(quoted[0]?.paragraph).toBe(1);
    expect(quoted[1]?.quote).toBe('"We did not know."');

    const spaced = findPhrase(docs, 'left the city');
    expect(spaced).toHaveLength(1);
    expect(spaced[0]?.quote).toBe('left\u00A0the   city');
    expect(spaced[0]?.paragraph).toBe(2);
    const doc = docs[0] as StoredDocument;
    expect(doc.text.slice(spaced[0]?.context.start, spaced[0]?.context.end)).toBe('They left\u00A0the   city at dawn.');
  });

  it('matches whole words only, unless the last word is still being typed', () => {
    expect(findPhrase(docs, 'war').map((m) => m.quote)).toEqual(['War']);
    expect(findPhrase(docs, 'the ri')).toHaveLength(0);
    expect(findPhrase(docs, 'the ri', { partialLastWord: true }).map((m) => m.quote)).toEqual(['the ri']);
  });

  it('reports matches outside the indexed paragraphs with a null paragraph and the line as context', () => {
    const [match] = findPhrase(docs, 'a title', { limit: 1 });
    expect(match?.paragraph).toBeNull();
    expect(match?.quote).toBe('A Title');
  });

  it('returns nothing for an empty or whitespace phrase', () => {
    expect(findPhrase(docs, '   ')).toEqual([]);
  });

  it('folds like comparisonKey on text made of letters, quotes, dashes and spaces', () => {
    const alphabet = fc.constantFrom(...'aBc É’“”"\'\u00A0\u2014-\t\n'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join('')), (text) => {
        expect(foldText(text).key.trim().normalize('NFC')).toBe(comparisonKey(text));
      }),
    );
  });

  it('maps every folded match back to a slice of the original text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.nat(), fc.nat(), (text, a, b) => {
        const folded = foldText(text);
        if (folded.key.length === 0) return;
        const start = a % folded.key.length;
        const end = start + 1 + (b % (folded.key.length - start));
        const original = text.slice(folded.starts[start], folded.ends[end - 1]);
        expect(foldText(original).key.trim()).toBe(folded.key.slice(start, end).trim());
      }),
    );
  });
});

describe('suggestSentences', () => {
  it('suggests distinct sentences containing the typed words, the last one possibly unfinished', () => {
    const suggestions = suggestSentences(docs, 'did not kn');
    expect(suggestions.map((s) => s.text)).toEqual(['The soldiers said “we did not know.”', 'Toward the river, they said "We did not know." again.']);
    expect(suggestSentences(docs, 'x')).toEqual([]);
  });
});
