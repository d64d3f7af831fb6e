import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/discord/command.js';
import { helpReply } from '../src/discord/messages.js';
import { send } from '../src/discord/respond.js';

export const data = new SlashCommandBuilder().setName('help').setDescription('What Witness does, its commands, and how answers are chosen');

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const { library } = ctx.library.current;
  await send(interaction, helpReply({ documents: library.documents.length, passages: library.passages.length, cooldownSeconds: ctx.config.cooldownSeconds }));
}
