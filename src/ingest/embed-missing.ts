import type { Embedder, PassageVectors } from '../embed/common.js';
import { hashBytes } from '../library/read-library.js';
import type { StoredDocument } from '../store/index-format.js';
import type { VectorKeys } from './vector-keys.js';

export interface ProgressBar {
  /** `what`: what is counted, "passages" (each run with its sentences) or "passages and sentences" (each text alone). */
  start(total: number, what: string): void;
  /** `share`: of the work, by length (texts go shortest first, so `done` alone runs ahead). */
  update(done: number, share: number): void;
  stop(): void;
}

export interface LibraryVectors {
  /** Every passage's text, in library order (its label in the vector index). */
  passages: string[];
  /** Every passage's vector key, in the same order. */
  passageKeys: string[];
  /** Every sentence's vector key, passage by passage. */
  sentenceKeys: string[];
  /** Keys of the passages whose vectors were computed now. */
  embeddedPassages: Set<string>;
  /** Texts (or, in context, passage runs) sent to the model. */
  textsEmbedded: number;
}

/**
 * Computes the vectors the library still lacks into `known`: each passage from its text with its
 * context header, each sentence on its own (a text already embedded is not embedded again), or,
 * for the documents `readInContext` names (every one in the in-context mode, a quick add's new
 * ones), one run per passage giving the passage's and its sentences' vectors.
 */
export async function embedMissing(
  documents: readonly StoredDocument[],
  keys: VectorKeys,
  readInContext: (doc: StoredDocument) => boolean,
  known: Map<string, Float32Array>,
  embedder: Embedder,
  progress?: ProgressBar,
): Promise<LibraryVectors> {
  const chunks = documents.flatMap((doc) => doc.chunks.map((chunk) => ({ doc, chunk, inContext: readInContext(doc) })));
  const passages = chunks.map(({ doc, chunk }) => doc.text.slice(chunk.start, chunk.end));
  const sentencesOf = chunks.map(({ doc, chunk }) => chunk.sentences.map(([start, end]) => doc.text.slice(start, end)));
  const embeddedTexts = chunks.map(({ doc, chunk }) => keys.passageText(doc, chunk));
  const passageKeys = embeddedTexts.map((text) => hashBytes(text));
  const sentenceKeys = sentencesOf.flatMap((texts, p) => texts.map((text, i) => keys.sentence(passageKeys[p] as string, i, text, chunks[p]?.inContext === true)));
  const embeddedPassages = new Set<string>();
  let textsEmbedded = 0;

  // One run per passage read in context whose vector or any of whose sentences' vectors is missing.
  const runs = new Map<string, { text: string; sentences: string[]; lead: string }>();
  passageKeys.forEach((key, p) => {
    if (chunks[p]?.inContext !== true) return;
    const sentences = sentencesOf[p] as string[];
    if (known.has(key) && sentences.every((text, i) => known.has(keys.sentence(key, i, text, true)))) return;
    const text = embeddedTexts[p] as string;
    runs.set(key, { text, sentences, lead: text.slice(0, text.length - (passages[p] as string).length) });
  });
  if (runs.size > 0 && embedder.embedPassagesInContext) {
    progress?.start(runs.size, 'passages');
    const vectors = await embedder.embedPassagesInContext([...runs.values()], (done, share) => progress?.update(done, share));
    progress?.stop();
    [...runs.keys()].forEach((key, n) => {
      const result = vectors[n] as PassageVectors;
      known.set(key, result.passage);
      result.sentences.forEach((vector, i) => known.set(keys.sentence(key, i, '', true), vector));
      embeddedPassages.add(key);
    });
    textsEmbedded += runs.size;
  }

  // Everything else still missing, each text on its own.
  const textByKey = new Map<string, string>();
  passageKeys.forEach((key, i) => textByKey.set(key, embeddedTexts[i] as string));
  sentencesOf.flat().forEach((text, i) => textByKey.set(sentenceKeys[i] as string, text));
  // Texts are embedded once: without headers a one-sentence passage is its sentence's text.
  const missing = [...textByKey.keys()].filter((key) => !known.has(key));
  if (missing.length > 0) {
    progress?.start(missing.length, 'passages and sentences');
    const vectors = await embedder.embedPassages(
      missing.map((key) => textByKey.get(key) as string),
      (done, share) => progress?.update(done, share),
    );
    progress?.stop();
    missing.forEach((key, i) => known.set(key, vectors[i] as Float32Array));
    for (const key of missing) embeddedPassages.add(key);
  }
  textsEmbedded += missing.length;
  return { passages, passageKeys, sentenceKeys, embeddedPassages, textsEmbedded };
}
