import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/discord/command.js';
import { helpReply } from '../src/discord/messages.js';
import { send } from '../src/discord/respond.js';

export const data = new SlashCommandBuilder().setName('help').setDescription('What Witness does, its commands, and how answers are chosen');

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const scope = await ctx.libraries.scope(interaction.guildId);
  const documents = scope.reduce((sum, { state }) => sum + state.current.library.documents.length, 0);
  const passages = scope.reduce((sum, { state }) => sum + state.current.library.passages.length, 0);
  await send(interaction, helpReply({ documents, passages, cooldownSeconds: ctx.config.cooldownSeconds }));
}
