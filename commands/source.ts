import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/discord/command.js';
import { UserError } from '../src/discord/errors.js';
import { fitText, LIMITS } from '../src/discord/format.js';
import { documentReply, paragraphReply } from '../src/discord/messages.js';
import { send } from '../src/discord/respond.js';
import { foldPhrase } from '../src/search/find-phrase.js';
import { documentKey, documentsInScope, parseDocumentKey, type ScopedDocument } from '../src/discord/scope.js';

export const data = new SlashCommandBuilder()
  .setName('source')
  .setDescription("Show one document's details, or one of its paragraphs")
  .addStringOption((option) => option.setName('document').setDescription('Start typing a title').setRequired(true).setMaxLength(200).setAutocomplete(true))
  .addIntegerOption((option) => option.setName('paragraph').setDescription('Paragraph number').setMinValue(1));

function titleMatches(documents: readonly ScopedDocument[], typed: string): ScopedDocument[] {
  const key = foldPhrase(typed);
  if (!key) return [...documents];
  return documents.filter(({ document: doc }) => foldPhrase(doc.meta.title).includes(key) || foldPhrase(doc.sourceId).includes(key));
}

/** The document chosen from the suggestions (its library and file), or typed as a title that names only one; only within the interaction's scope. */
function findDocument(documents: readonly ScopedDocument[], chosen: string): ScopedDocument {
  const { label, sourceId } = parseDocumentKey(chosen);
  const exact = documents.find(({ document, label: inLibrary }) => document.sourceId === sourceId && (label === null || label === inLibrary));
  if (exact) return exact;
  const matches = titleMatches(documents, chosen);
  if (matches.length === 1) return matches[0] as ScopedDocument;
  throw new UserError(matches.length === 0 ? 'No document in the library has that title. Try /sources for the list.' : 'Several documents match that title: pick one from the suggestions.');
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const { document, scoped } = findDocument(await documentsInScope(ctx, interaction.guildId), interaction.options.getString('document', true));
  const paragraph = interaction.options.getInteger('paragraph');
  if (paragraph === null) {
    await send(interaction, documentReply(document));
    return;
  }
  const chunks = document.chunks.filter((chunk) => chunk.paragraph === paragraph);
  if (chunks.length === 0) {
    const last = Math.max(0, ...document.chunks.map((chunk) => chunk.paragraph));
    throw new UserError(`That document has paragraphs 1 to ${String(last)}.`);
  }
  const start = Math.min(...chunks.map((chunk) => chunk.start));
  const end = Math.max(...chunks.map((chunk) => chunk.end));
  await send(interaction, paragraphReply(document, paragraph, document.text.slice(start, end), ctx.style, scoped.state.current.library.locate(document, start, document.text.slice(start, end))));
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const matches = titleMatches(await documentsInScope(ctx, interaction.guildId), interaction.options.getFocused());
  await interaction.respond(
    matches
      .filter(({ document, label }) => documentKey(label, document.sourceId).length <= LIMITS.choiceValue)
      .slice(0, 25)
      .map(({ document, label }) => ({ name: fitText(document.meta.title.replace(/\s+/gu, ' '), LIMITS.choiceName, (t) => t).text, value: documentKey(label, document.sourceId) })),
  );
}
