import type { Citation } from './answer-types.js';
import { fileUrl, locateQuote } from './source-link.js';
import type { DocumentChunk, LibraryDocument } from '../library/types.js';
import { DocumentNames } from './document-metadata.js';
import type { WordStatistics } from './lexical-index.js';

export type StoredChunk = DocumentChunk;

/** One retrievable passage; its id is its label in the vector index and its id in the lexical index. */
export interface Passage {
  id: number;
  document: LibraryDocument;
  chunk: StoredChunk;
  text: string;
  /** Its place among its document's passages (from 0). */
  chunkIndex: number;
  /** How many sentences come before its first one in the library (documents, then passages, in order). */
  firstSentence: number;
  /** Index of its document in `Library.documents`. */
  documentIndex: number;
}

/**
 * The loaded library: its documents with their texts and structure, their passages, and the word
 * statistics ranking needs. The vectors and the word index searched live in a
 * SearchStore (search-store.ts), in this process or on a search cluster.
 */
export class Library {
  readonly passages: Passage[];
  readonly documents: LibraryDocument[];
  private readonly bySourceId: Map<string, LibraryDocument>;
  private readonly indexOfSource: Map<string, number>;
  /** Which documents a question names by title, author, publisher or year. */
  readonly names: DocumentNames;
  /** Per document, the ids of its passages: [first, end). */
  private readonly passageRanges: [number, number][] = [];

  /** Where the corpus folder is published, if it is (WITNESS_LIBRARY_URL). */
  private readonly libraryUrl: string | null;

  constructor(
    documents: LibraryDocument[],
    /** The words of every passage, counted: the BM25 index, or a vocabulary of them. */
    readonly words: WordStatistics,
    options: { libraryUrl?: string } = {},
  ) {
    this.libraryUrl = options.libraryUrl ?? null;
    this.documents = documents;
    this.passages = [];
    let firstSentence = 0;
    documents.forEach((document, documentIndex) => {
      const first = this.passages.length;
      document.chunks.forEach((chunk, chunkIndex) => {
        this.passages.push({ id: this.passages.length, document, chunk, text: document.text.slice(chunk.start, chunk.end), chunkIndex, firstSentence, documentIndex });
        firstSentence += chunk.sentences.length;
      });
      this.passageRanges.push([first, this.passages.length]);
    });
    this.names = new DocumentNames(documents.map((doc) => doc.meta));
    this.bySourceId = new Map(documents.map((doc) => [doc.sourceId, doc]));
    this.indexOfSource = new Map(documents.map((doc, i) => [doc.sourceId, i]));
  }

  document(sourceId: string): LibraryDocument | undefined {
    return this.bySourceId.get(sourceId);
  }

  /** Where a reader can open the document: its own address, else its file under WITNESS_LIBRARY_URL. */
  documentUrl(document: LibraryDocument): string | null {
    return document.meta.url ?? (this.libraryUrl ? fileUrl(this.libraryUrl, document.sourceId) : null);
  }

  /** Page, heading and link of a quote of `document` starting at `start`. */
  readonly locate = (document: LibraryDocument, start: number, quote: string): Pick<Citation, 'format' | 'page' | 'section' | 'link' | 'recognized'> =>
    locateQuote(document, start, quote, this.documentUrl(document));

  /** The passages of the `documentIndex`-th document. */
  passagesOf(documentIndex: number): Passage[] {
    const [first, end] = this.passageRanges[documentIndex] ?? [0, 0];
    return this.passages.slice(first, end);
  }

  /** The `chunkIndex`-th passage of a document. */
  passageAt(sourceId: string, chunkIndex: number): Passage | undefined {
    const documentIndex = this.indexOfSource.get(sourceId);
    const [first, end] = (documentIndex === undefined ? undefined : this.passageRanges[documentIndex]) ?? [0, 0];
    return Number.isInteger(chunkIndex) && chunkIndex >= 0 && first + chunkIndex < end ? this.passages[first + chunkIndex] : undefined;
  }
}
