import { eng as englishStopwords } from 'stopword';
import type { DocumentMeta } from '../library/types.js';
import { knownAliases } from './author-aliases.js';
import { namingWeight, questionTokens } from './naming-context.js';

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
const FIELDS = Object.keys(FIELD_WEIGHT) as Field[];

function keepBest(weights: Map<string, Map<Field, number>>, word: string, field: Field, weight: number): void {
  let byField = weights.get(word);
  if (!byField) weights.set(word, (byField = new Map()));
  byField.set(field, Math.max(byField.get(field) ?? 0, weight));
}

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

/** An author's aliases: those the document's metadata gives, and the curated ones (author-aliases.ts). */
function authorAliases(meta: DocumentMeta): string[] {
  return [...(meta.aliases ?? []), ...knownAliases(meta.author)];
}

/** Aliases of several words ("old hickory", "bush 43"), as space-joined lower-case words: they name their author only as a phrase. */
function aliasPhrases(meta: DocumentMeta): string[] {
  return authorAliases(meta)
    .map((alias) => metadataWords(alias))
    .filter((parts) => parts.length > 1)
    .map((parts) => parts.join(' '));
}

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
  // One-word aliases ("ike", "teddy") name the author like the surname does; longer ones are phrases (aliasPhrases).
  for (const alias of authorAliases(meta)) {
    const parts = metadataWords(alias);
    if (parts.length === 1 && parts[0] !== undefined && !STOPWORDS.has(parts[0])) add(parts[0], 'author');
  }
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
  /** Aliases of several words → the documents whose author they name. */
  private readonly phrases = new Map<string, number[]>();
  /** Every word of those aliases. */
  private readonly aliasWords = new Set<string>();

  constructor(metas: DocumentMeta[]) {
    this.count = metas.length;
    metas.forEach((meta, doc) => {
      for (const alias of new Set(aliasPhrases(meta))) {
        let docs = this.phrases.get(alias);
        if (!docs) this.phrases.set(alias, (docs = []));
        docs.push(doc);
        for (const word of alias.split(' ')) this.aliasWords.add(word);
      }
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
    const add = (doc: number, value: number): void => {
      raw.set(doc, (raw.get(doc) ?? 0) + value);
    };
    const tokens = questionTokens(question);
    // Each word counts once, at the place where it names a document most surely.
    const weights = new Map<string, Map<Field, number>>();
    tokens.forEach(({ word }, index) => {
      if (STOPWORDS.has(word)) return;
      const decade = /^(\d{3})0s$/u.exec(word);
      if (decade) {
        const weight = namingWeight(tokens, index, 'year');
        for (let year = 0; year < 10; year++) keepBest(weights, `${decade[1] ?? ''}${String(year)}`, 'year', weight * DECADE_WEIGHT);
        return;
      }
      for (const field of FIELDS) keepBest(weights, word, field, namingWeight(tokens, index, field));
    });
    for (const [word, byField] of weights) {
      const list = this.postings.get(word);
      if (!list || list.length >= this.count) continue;
      const rarity = Math.log(this.count / list.length);
      for (const { doc, field } of list) add(doc, (byField.get(field) ?? 0) * FIELD_WEIGHT[field] * rarity);
    }
    // Aliases of several words name their author as a phrase ("old hickory", "bush 43").
    const phrase = ` ${tokens.map((token) => token.word).join(' ')} `;
    for (const [alias, docs] of this.phrases) {
      if (docs.length >= this.count || !phrase.includes(` ${alias} `)) continue;
      const rarity = Math.log(this.count / docs.length);
      for (const doc of docs) add(doc, FIELD_WEIGHT.author * rarity);
    }
    const best = Math.max(0, ...raw.values());
    const scores = new Map<number, number>();
    if (best > 0) for (const [doc, value] of raw) if (value > 0) scores.set(doc, value / best);
    return scores;
  }

  /** Whether a word names any document by its metadata or an author's alias: such a word is no unknown name. */
  knows(word: string): boolean {
    return this.postings.has(word) || this.aliasWords.has(word);
  }
}
