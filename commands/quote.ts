import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { findPhrase, suggestSentences } from '../src/search/find-phrase.js';
import type { BotContext } from '../src/discord/command.js';
import { fitText, LIMITS } from '../src/discord/format.js';
import { occurrencesReply } from '../src/discord/messages.js';
import { send } from '../src/discord/respond.js';
import { scopeOf } from '../src/discord/scope.js';
import type { PhraseMatch } from '../src/search/find-phrase.js';

const MAX_OCCURRENCES = 200;

export const data = new SlashCommandBuilder()
  .setName('quote')
  .setDescription('Where does this exact wording occur in the library?')
  .addStringOption((option) => option.setName('text').setDescription('The words to look for').setRequired(true).setMinLength(2).setMaxLength(300).setAutocomplete(true))
  .addUserOption((option) => option.setName('target').setDescription('Mention this person in the answer'))
  .addBooleanOption((option) => option.setName('hide').setDescription('Only you see the answer'));

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const phrase = interaction.options.getString('text', true);
  const scope = await scopeOf(ctx, interaction.guildId);
  const matches: PhraseMatch[] = [];
  for (const { label, state } of scope) {
    const { library } = state.current;
    const found = findPhrase(library.documents, phrase, { limit: MAX_OCCURRENCES - matches.length, locate: library.locate });
    matches.push(...found.map((match) => ({ ...match, library: label })));
  }
  const textOf = (match: PhraseMatch): string => scope.find((s) => s.label === match.library)?.state.current.library.document(match.sourceId)?.text ?? '';
  ctx.logger.info({ occurrences: matches.length }, 'phrase searched');
  await send(
    interaction,
    occurrencesReply(phrase, matches, textOf, ctx.style, {
      ephemeral: interaction.options.getBoolean('hide') ?? false,
      target: interaction.options.getUser('target')?.id ?? null,
      truncated: matches.length >= MAX_OCCURRENCES,
    }),
  );
}

/** Sentences containing what has been typed so far; picking one searches for (a verbatim prefix of) it. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const typed = interaction.options.getFocused();
  const scope = await scopeOf(ctx, interaction.guildId);
  const suggestions = suggestSentences(scope.flatMap(({ state }) => state.current.library.documents), typed, 25);
  await interaction.respond(
    suggestions.map(({ text }) => {
      const flat = text.replace(/\s+/gu, ' ');
      return { name: fitText(flat, LIMITS.choiceName, (t) => t).text, value: fitText(flat, LIMITS.choiceValue, (t) => t.replace(/…$/u, '')).text.replace(/…$/u, '').trim() };
    }),
  );
}
