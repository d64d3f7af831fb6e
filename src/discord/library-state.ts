import type { CoreConfig } from '../config.js';
import type { IngestReport } from '../ingest/update-index.js';
import type { Logger } from '../log.js';
import { refreshWitness, type Witness } from '../witness.js';

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
    this.witness = await refreshWitness(this.witness, this.config, this.logger);
    return this.witness.report;
  }
}
