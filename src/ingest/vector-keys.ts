import { hashBytes } from '../library/read-library.js';
import { textToEmbed } from '../library/passage-header.js';
import type { StoredDocument } from '../store/index-format.js';
import type { StoredIndex } from '../store/index-store.js';

/** How an ingest embeds its passages (recorded in the manifest; a change re-embeds). */
export interface VectorModes {
  /** `header`: passages embedded with their document's context (passage-header.ts); `none`: their words alone. */
  passageContext: 'header' | 'none';
}

/**
 * The keys vectors are found by, so that nothing is embedded twice: a passage by the text it is
 * embedded from (with or without its header), a sentence by its text, or, read in its passage's
 * run, by that passage's key and its place in it.
 */
export class VectorKeys {
  constructor(private readonly modes: VectorModes) {}

  /** The text a passage's vector is computed from, under these modes or the given context mode. */
  passageText(doc: StoredDocument, chunk: { start: number; end: number }, context: VectorModes['passageContext'] = this.modes.passageContext): string {
    const passage = doc.text.slice(chunk.start, chunk.end);
    return context === 'header' ? textToEmbed(doc.meta, doc.sections, chunk.start, passage) : passage;
  }

  passage(doc: StoredDocument, chunk: { start: number; end: number }, context?: VectorModes['passageContext']): string {
    return hashBytes(this.passageText(doc, chunk, context));
  }

  /** `inContext`: the sentence's vector is read from its passage's run; otherwise it is its own text's. */
  sentence(passageKey: string, index: number, text: string, inContext: boolean): string {
    return inContext ? `${passageKey}#${String(index)}` : hashBytes(text);
  }
}

/**
 * Every vector of a previous index by its key, so unchanged passages and sentences keep theirs.
 * A passage is keyed by the text it was embedded from (the previous index's own context mode),
 * so a vector made without a header is not reused for one with it. A sentence is keyed the way
 * it was made, alone (by its text) or in its passage's run (by that passage's key and its place),
 * so an ingest that wants the other kind finds none to reuse.
 */
export function reusableVectors(previous: StoredIndex, keys: VectorKeys): Map<string, Float32Array> {
  const known = new Map<string, Float32Array>();
  const { documents, vectors, table, manifest } = previous;
  const allInContext = (manifest.sentenceVectors ?? 'separate') === 'in-context';
  const provisional = new Set(manifest.provisional ?? []);
  let label = 0;
  let sentence = 0;
  for (const doc of documents) {
    const inContext = allInContext || provisional.has(doc.sourceId);
    for (const chunk of doc.chunks) {
      const passageKey = keys.passage(doc, chunk, manifest.passageContext ?? 'none');
      known.set(passageKey, Float32Array.from(vectors.getPoint(label)));
      label++;
      chunk.sentences.forEach(([start, end], i) => {
        known.set(keys.sentence(passageKey, i, doc.text.slice(start, end), inContext), table.row(manifest.chunkCount + sentence));
        sentence++;
      });
    }
  }
  return known;
}
