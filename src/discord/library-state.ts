import type { CoreConfig } from '../config.js';
import type { IngestProgress, IngestReport } from '../ingest/update-index.js';
import type { Logger } from '../log.js';
import { refreshWitness, type Witness } from '../witness.js';
import { UserError } from './errors.js';
import type { WorkQueue } from './work-queue.js';

/** The loaded library, which moderators can refresh while the bot runs; readers always see a whole one. */
export class LibraryState {
  /** Uploads accepted but not yet in the index: they count against the document limit. */
  private pendingAdds = 0;

  constructor(
    private witness: Witness,
    private readonly config: CoreConfig,
    private readonly logger: Logger,
    /** The server whose own library this is (its Solr scope); undefined for the base library. */
    private readonly guild?: string,
  ) {}

  get current(): Witness {
    return this.witness;
  }

  /** The folder its documents are read from. */
  get corpusDir(): string {
    return this.config.corpusDir;
  }

  /** Documents in the library now, counting uploads still being added. */
  get documentCount(): number {
    return this.witness.library.documents.length + this.pendingAdds;
  }

  /**
   * Holds a place for one new document, or refuses with a message for the moderator when the
   * library already holds `maxDocuments` (counting adds under way, so two at once cannot both
   * take the last place). Call the returned function when the add is finished, saved or not.
   */
  reserveDocument(maxDocuments: number, fullMessage: string): () => void {
    if (this.documentCount >= maxDocuments) throw new UserError(fullMessage);
    this.pendingAdds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.pendingAdds--;
    };
  }

  /**
   * Brings the index in line with the corpus folder, embedding only what changed, then swaps it in.
   * `quick`: new documents are answerable after about half the model's work, their sentence
   * vectors provisional (report.provisional counts them) until a reindex without it.
   */
  async reindex(progress?: IngestProgress, options: { quick?: boolean } = {}): Promise<IngestReport> {
    this.witness = await refreshWitness(this.witness, this.config, this.logger, {
      ...(progress ? { progress } : {}),
      ...(this.guild === undefined ? {} : { guild: this.guild }),
      provisional: options.quick === true,
    });
    return this.witness.report;
  }

  /**
   * The second half of a quick add: the sentences of documents added quickly (report.provisional)
   * are embedded on their own, behind any other library change on `queue`, and the finished index
   * is swapped in. A failure (the bot stopping, a full queue) loses nothing: the provisional vectors
   * keep answering, and the next reindex or opening finishes them.
   */
  async finishProvisional(queue: WorkQueue, logger: Logger): Promise<void> {
    try {
      const report = await queue.run(() => this.reindex());
      logger.info({ event: 'library-change', change: 'sentences', documents: report.documents, textsEmbedded: report.textsEmbedded, seconds: report.seconds }, 'sentences of added documents indexed');
    } catch (error) {
      logger.warn({ event: 'library-change', change: 'sentences', problem: error instanceof Error ? error.message : String(error) }, 'sentences of added documents not indexed yet; the next reindex or opening will');
    }
  }
}
