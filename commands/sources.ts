import { SlashCommandBuilder, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/discord/command.js';
import { sourcesReply, type ListedDocument } from '../src/discord/messages.js';
import { send, update } from '../src/discord/respond.js';
import { documentsInScope } from '../src/discord/scope.js';

export const data = new SlashCommandBuilder().setName('sources').setDescription("List the library's documents: title, publisher, date, paragraphs");

async function listed(ctx: BotContext, guildId: string | null): Promise<ListedDocument[]> {
  return (await documentsInScope(ctx, guildId)).map(({ document, label }) => ({ document, library: label }));
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  await send(interaction, sourcesReply(await listed(ctx, interaction.guildId), 0));
}

export const buttons = {
  async page(interaction: ButtonInteraction, ctx: BotContext, [rawPage]: string[]): Promise<void> {
    await update(interaction, sourcesReply(await listed(ctx, interaction.guildId), Number(rawPage) || 0));
  },
};
