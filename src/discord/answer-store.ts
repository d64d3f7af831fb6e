import { randomBytes } from 'node:crypto';
import type { Answer } from '../search/answer-types.js';

export interface StoredAnswer {
  answer: Answer;
  askerId: string;
  perPage: number;
  target: string | null;
  hidden: boolean;
  /** The server it was asked in (null: a DM); its buttons work only there. */
  guildId: string | null;
}

/** Recent answers, so buttons (more results, paragraph, cite, post) work without asking again. Bounded and expiring. */
export class AnswerStore {
  private readonly entries = new Map<string, { value: StoredAnswer; expires: number }>();

  constructor(
    private readonly capacity = 500,
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  put(value: StoredAnswer): string {
    const id = randomBytes(6).toString('base64url');
    this.entries.set(id, { value, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return id;
  }

  get(id: string): StoredAnswer | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    if (entry.expires <= this.now()) {
      this.entries.delete(id);
      return null;
    }
    return entry.value;
  }
}
