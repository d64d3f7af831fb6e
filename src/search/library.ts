import type { Citation } from './answer-types.js';
import { fileUrl, locateQuote } from './source-link.js';
import type { StoredDocument } from '../store/index-format.js';
import type { StoredIndex, VectorIndex } from '../store/index-store.js';
import type { QuantizedVectors } from '../store/quantized-vectors.js';
import { DocumentNames } from './document-metadata.js';
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
  /** Index of its document in `Library.documents`. */
  documentIndex: number;
}

/** The loaded library: documents, passages, and both indexes over them. */
export class Library {
  readonly passages: Passage[];
  readonly documents: StoredDocument[];
  readonly vectors: VectorIndex;
  readonly lexical: LexicalIndex;
  readonly dimension: number;
  private readonly table: QuantizedVectors;
  private readonly bySourceId: Map<string, StoredDocument>;
  /** Which documents a question names by title, author, publisher or year. */
  readonly names: DocumentNames;
  /** Per document, the ids of its passages: [first, end). */
  private readonly passageRanges: [number, number][] = [];

  /** Where the corpus folder is published, if it is (WITNESS_LIBRARY_URL). */
  private readonly libraryUrl: string | null;

  constructor(stored: StoredIndex, options: { libraryUrl?: string } = {}) {
    this.libraryUrl = options.libraryUrl ?? null;
    this.documents = stored.documents;
    this.vectors = stored.vectors;
    this.lexical = loadLexicalIndex(stored.lexicalJson);
    this.dimension = stored.manifest.dimension;
    this.table = stored.table;
    this.passages = [];
    let firstSentence = 0;
    stored.documents.forEach((document, documentIndex) => {
      const first = this.passages.length;
      for (const chunk of document.chunks) {
        this.passages.push({ id: this.passages.length, document, chunk, text: document.text.slice(chunk.start, chunk.end), firstSentence, documentIndex });
        firstSentence += chunk.sentences.length;
      }
      this.passageRanges.push([first, this.passages.length]);
    });
    this.names = new DocumentNames(stored.documents.map((doc) => doc.meta));
    this.bySourceId = new Map(stored.documents.map((doc) => [doc.sourceId, doc]));
  }

  document(sourceId: string): StoredDocument | undefined {
    return this.bySourceId.get(sourceId);
  }

  /** Where a reader can open the document: its own address, else its file under WITNESS_LIBRARY_URL. */
  documentUrl(document: StoredDocument): string | null {
    return document.meta.url ?? (this.libraryUrl ? fileUrl(this.libraryUrl, document.sourceId) : null);
  }

  /** Page, heading and link of a quote of `document` starting at `start`. */
  readonly locate = (document: StoredDocument, start: number, quote: string): Pick<Citation, 'format' | 'page' | 'section' | 'link'> =>
    locateQuote(document, start, quote, this.documentUrl(document));

  /** The passages of the `documentIndex`-th document. */
  passagesOf(documentIndex: number): Passage[] {
    const [first, end] = this.passageRanges[documentIndex] ?? [0, 0];
    return this.passages.slice(first, end);
  }

  /** Cosine similarity between a passage and a unit query vector. */
  passageSimilarity(id: number, query: Float32Array): number {
    return this.table.dot(id, query);
  }

  /** Row of a passage's `index`-th sentence in the vector table. */
  sentenceRow(passage: Passage, index: number): number {
    return this.passages.length + passage.firstSentence + index;
  }

  sentenceSimilarity(row: number, query: Float32Array): number {
    return this.table.dot(row, query);
  }

  /** Cosine similarity between two stored sentences. */
  sentencePairSimilarity(a: number, b: number): number {
    return this.table.dotRows(a, b);
  }
}
