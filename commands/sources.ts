import { SlashCommandBuilder, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/discord/command.js';
import { sourcesReply } from '../src/discord/messages.js';
import { send, update } from '../src/discord/respond.js';

export const data = new SlashCommandBuilder().setName('sources').setDescription("List the library's documents: title, publisher, date, paragraphs");

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  await send(interaction, sourcesReply(ctx.library.current.library.documents, 0));
}

export const buttons = {
  async page(interaction: ButtonInteraction, ctx: BotContext, [rawPage]: string[]): Promise<void> {
    await update(interaction, sourcesReply(ctx.library.current.library.documents, Number(rawPage) || 0));
  },
};
