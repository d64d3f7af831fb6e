import { eng as englishStopwords } from 'stopword';
import type { DocumentMeta } from '../library/types.js';

const STOPWORDS = new Set(englishStopwords);

/**
 * How much a word of the question naming a document's metadata counts, by field: an author's or
 * publisher's name and a year identify a document the way people refer to one ("obama's 2010
 * speech", "what did al jazeera report"). A title's words are its subject as much as its name
 * ("Photo Evidence of Mass Torture and Executions in Iraq"), so only a year in a title counts:
 * on the sample library, title words made every question about Iraq "name" that document.
 */
const FIELD_WEIGHT = { author: 1, publisher: 1, year: 1, title: 0 } as const;
/** A decade ("the 1990s") points at each of its years with this weight. */
const DECADE_WEIGHT = 0.5;

type Field = keyof typeof FIELD_WEIGHT;

/** Lower-case words of a text, apostrophes and possessives dropped ("Pillay's" → "pillay"). */
export function metadataWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s\b/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

const YEAR = /^(?:1[5-9]|20)\d\d$/u;

/** The words by which a document can be named, each with the field it comes from. */
function namingWords(meta: DocumentMeta): Map<string, Field> {
  const words = new Map<string, Field>();
  const add = (word: string, field: Field): void => {
    const known = words.get(word);
    if (!known || FIELD_WEIGHT[field] > FIELD_WEIGHT[known]) words.set(word, field);
  };
  const nameWords = (text: string | null, field: Field): void => {
    if (!text) return;
    const parts = metadataWords(text);
    for (const word of parts) {
      if (YEAR.test(word)) add(word, 'year');
      else if (field !== 'title' && word.length >= 3 && !STOPWORDS.has(word)) add(word, field);
    }
    // Initials of a name of two or more parts name its bearer too: "fdr", "jfk", "lbj".
    const letters = parts.filter((part) => /^\p{L}/u.test(part)).map((part) => part[0]).join('');
    if (field !== 'title' && letters.length >= 3 && letters.length <= 4) add(letters, field);
  };
  nameWords(meta.author, 'author');
  nameWords(meta.publisher, 'publisher');
  nameWords(meta.title, 'title');
  const year = /\b(\d{4})\b/u.exec(meta.date ?? '')?.[1];
  if (year) add(year, 'year');
  return words;
}

/**
 * Which documents a question names by their metadata. Each matching word counts by its field's
 * weight times its rarity among the documents (log N / df), so a word every document shares
 * ("state", "union" in a library of State of the Union addresses) counts for nothing.
 */
export class DocumentNames {
  /** word → documents (by index) and the field that word names in each. */
  private readonly postings = new Map<string, { doc: number; field: Field }[]>();
  private readonly count: number;

  constructor(metas: DocumentMeta[]) {
    this.count = metas.length;
    metas.forEach((meta, doc) => {
      for (const [word, field] of namingWords(meta)) {
        let list = this.postings.get(word);
        if (!list) this.postings.set(word, (list = []));
        list.push({ doc, field });
      }
    });
  }

  /**
   * For each document the question names, a score in (0, 1]: its match relative to the best
   * matching document. Empty when the question names no document.
   */
  match(question: string): Map<number, number> {
    const raw = new Map<number, number>();
    const credit = (word: string, weight: number): void => {
      const list = this.postings.get(word);
      if (!list || list.length >= this.count) return;
      const rarity = Math.log(this.count / list.length);
      for (const { doc, field } of list) raw.set(doc, (raw.get(doc) ?? 0) + weight * FIELD_WEIGHT[field] * rarity);
    };
    for (const word of new Set(metadataWords(question))) {
      if (STOPWORDS.has(word)) continue;
      const decade = /^(\d{3})0s$/u.exec(word);
      if (decade) {
        for (let year = 0; year < 10; year++) credit(`${decade[1] ?? ''}${String(year)}`, DECADE_WEIGHT);
      } else {
        credit(word, 1);
      }
    }
    const best = Math.max(0, ...raw.values());
    const scores = new Map<number, number>();
    if (best > 0) for (const [doc, value] of raw) scores.set(doc, value / best);
    return scores;
  }
}
