import type { Answer } from '../search/answer-types.js';
import { mergeAnswers } from '../search/ask-across.js';
import type { LibraryDocument } from '../library/types.js';
import type { BotContext } from './command.js';
import { UserError } from './errors.js';
import type { LibraryLabel, ScopedLibrary } from './server-libraries.js';

/** Said when a server has turned the base library off and added nothing of its own. */
export const EMPTY_SCOPE =
  "This server's library is empty and the base library is turned off here, so there is nothing to search. A moderator can add documents with /library add, or turn the base library back on with /library settings.";

/** The libraries an interaction may read: never more than its own server's and the base library. */
export async function scopeOf(ctx: BotContext, serverId: string | null): Promise<ScopedLibrary[]> {
  const scope = await ctx.libraries.scope(serverId);
  if (scope.length === 0) throw new UserError(EMPTY_SCOPE);
  return scope;
}

/** Asks every library in the interaction's scope (one turn of the work queue) and merges their answers. */
export async function askInScope(ctx: BotContext, serverId: string | null, question: string, k: number): Promise<Answer> {
  const scope = await scopeOf(ctx, serverId);
  const answers = await ctx.queue.run(async () => {
    const each = [];
    for (const { label, state } of scope) each.push({ label, answer: await state.current.answerer.ask(question, { k }) });
    return each;
  });
  return mergeAnswers(answers[0]?.answer.question ?? question, answers, k);
}

export interface ScopedDocument {
  document: LibraryDocument;
  label: LibraryLabel;
  /** The library holding it (for its page and link lookups). */
  scoped: ScopedLibrary;
}

/** Every document an interaction may see, the server's own first. */
export async function documentsInScope(ctx: BotContext, serverId: string | null): Promise<ScopedDocument[]> {
  const scope = await scopeOf(ctx, serverId);
  return scope.flatMap((scoped) => scoped.state.current.library.documents.map((document) => ({ document, label: scoped.label, scoped })));
}

/** A document's value in autocomplete: its library and its file, so a server document and a base document of the same name stay apart. */
export const documentKey = (label: LibraryLabel, sourceId: string): string => `${label}:${sourceId}`;

/** The document a key names, looked up only within the interaction's scope. */
export function parseDocumentKey(key: string): { label: LibraryLabel | null; sourceId: string } {
  const match = /^(server|base):(.+)$/u.exec(key);
  return match ? { label: match[1] as LibraryLabel, sourceId: match[2] as string } : { label: null, sourceId: key };
}
