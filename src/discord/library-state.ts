import type { CoreConfig } from '../config.js';
import { updateIndex, type IngestReport } from '../ingest/update-index.js';
import type { Logger } from '../log.js';
import { Answerer } from '../search/ask.js';
import { Library } from '../search/library.js';
import type { Witness } from '../witness.js';

/** The loaded library, which moderators can refresh while the bot runs; readers always see a whole one. */
export class LibraryState {
  constructor(
    private witness: Witness,
    private readonly config: CoreConfig,
    private readonly logger: Logger,
  ) {}

  get current(): Witness {
    return this.witness;
  }

  /** Brings the index in line with the corpus folder, embedding only what changed, then swaps it in. */
  async reindex(): Promise<IngestReport> {
    const { embedder, answerer } = this.witness;
    const { index, report } = await updateIndex({
      corpusDir: this.config.corpusDir,
      indexDir: this.config.indexDir,
      maxFileBytes: this.config.maxFileBytes,
      embedder,
      logger: this.logger,
    });
    const library = new Library(index);
    this.witness = { embedder, library, answerer: new Answerer(library, embedder, answerer.settings), report };
    return report;
  }
}
