import type { StoredDocument } from '../store/index-format.js';
import type { StoredIndex, VectorIndex } from '../store/index-store.js';
import { loadLexicalIndex, type LexicalIndex } from './lexical-index.js';

export type StoredChunk = StoredDocument['chunks'][number];

/** One retrievable passage; its id is its label in the vector index and its id in the lexical index. */
export interface Passage {
  id: number;
  document: StoredDocument;
  chunk: StoredChunk;
  text: string;
  /** Index of the passage's first sentence in the sentence vector table. */
  firstSentence: number;
}

/** The loaded library: documents, passages, and both indexes over them. */
export class Library {
  readonly passages: Passage[];
  readonly documents: StoredDocument[];
  readonly vectors: VectorIndex;
  readonly lexical: LexicalIndex;
  readonly modelId: string;
  readonly dimension: number;
  private readonly sentenceVectors: Float32Array;
  private readonly bySourceId: Map<string, StoredDocument>;

  constructor(stored: StoredIndex) {
    this.documents = stored.documents;
    this.vectors = stored.vectors;
    this.modelId = stored.manifest.modelId;
    this.lexical = loadLexicalIndex(stored.lexicalJson);
    this.dimension = stored.manifest.dimension;
    this.sentenceVectors = stored.sentenceVectors;
    this.passages = [];
    let firstSentence = 0;
    for (const document of stored.documents) {
      for (const chunk of document.chunks) {
        this.passages.push({ id: this.passages.length, document, chunk, text: document.text.slice(chunk.start, chunk.end), firstSentence });
        firstSentence += chunk.sentences.length;
      }
    }
    this.bySourceId = new Map(stored.documents.map((doc) => [doc.sourceId, doc]));
  }

  document(sourceId: string): StoredDocument | undefined {
    return this.bySourceId.get(sourceId);
  }

  /** Unit vector of the `index`-th sentence of a passage (a view, not a copy). */
  sentenceVector(passage: Passage, index: number): Float32Array {
    const row = passage.firstSentence + index;
    return this.sentenceVectors.subarray(row * this.dimension, (row + 1) * this.dimension);
  }

  /** Unit vector of a passage, as stored in the vector index. */
  vectorOf(id: number): Float32Array {
    return Float32Array.from(this.vectors.getPoint(id));
  }
}
