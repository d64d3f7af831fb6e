import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from '../log.js';
import type { AnswerStore } from './answer-store.js';
import type { BotConfig } from './config.js';
import type { QuoteStyle } from './format.js';
import type { ServerLibraries } from './server-libraries.js';
import type { WorkQueue } from './work-queue.js';

/** What a handler gets besides its interaction: the library and the bot's shared services. */
export interface BotContext {
  config: BotConfig;
  /** A child logger carrying the request id, command, guild and user. */
  logger: Logger;
  requestId: string;
  /** Every server's library and the base library; an interaction reads only its own scope (scope.ts). */
  libraries: ServerLibraries;
  /** Questions (everything that embeds a question) go through this queue, one at a time. */
  queue: WorkQueue;
  /**
   * Changes to a server's library (add, reindex, remove) go through this one, also one at a time.
   * With the embedded store it is a queue of its own, so a long upload no longer holds every
   * question behind it: the model takes a waiting question between two batches of the upload, and
   * readers keep the whole library they had until the new one is swapped in. With Solr, where the
   * collection is written while the old library still reads it, it is the question queue.
   */
  libraryJobs: WorkQueue;
  answers: AnswerStore;
  style: QuoteStyle;
}

/** Handles a button whose custom id is `<command>:<action>:<args…>`; receives the args. */
export type ButtonHandler = (interaction: ButtonInteraction, ctx: BotContext, args: string[]) => Promise<void>;

export interface CommandDefinition {
  name: string;
  toJSON(): RESTPostAPIApplicationCommandsJSONBody;
}

/** The shape of a module in `commands/`. */
export interface CommandModule {
  data: CommandDefinition;
  execute(interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
  buttons?: Record<string, ButtonHandler>;
  /** True for commands that run the embedder: they count against the per-user cooldown. */
  cooldown?: boolean;
}
