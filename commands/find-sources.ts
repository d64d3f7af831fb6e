import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType, type MessageContextMenuCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/discord/command.js';
import { UserError } from '../src/discord/errors.js';
import { answerReply } from '../src/discord/messages.js';
import { defer, send } from '../src/discord/respond.js';
import { MAX_QUESTION_LENGTH } from '../src/search/question.js';
import { askInScope } from '../src/discord/scope.js';

export const data = new ContextMenuCommandBuilder().setName('Find sources').setType(ApplicationCommandType.Message).setContexts(InteractionContextType.Guild);

export const cooldown = true;

/** The passages that bear on a chat message, shown only to the person checking it. */
export async function execute(interaction: MessageContextMenuCommandInteraction, ctx: BotContext): Promise<void> {
  const text = interaction.targetMessage.content.trim();
  if (!/[\p{L}\p{N}]/u.test(text)) throw new UserError('That message has no text to check against the library.');
  ctx.queue.assertRoom();
  await defer(interaction, true, ctx.logger);
  const claim = text.length > MAX_QUESTION_LENGTH ? text.slice(0, MAX_QUESTION_LENGTH) : text;
  const answer = await askInScope(ctx, interaction.guildId, claim, 10);
  const answerId = ctx.answers.put({ answer, askerId: interaction.user.id, perPage: 3, target: null, hidden: true, guildId: interaction.guildId });
  await send(interaction, answerReply({ answer, answerId, page: 0, perPage: 3, hidden: true, target: null }, ctx.style, { withPostButton: false }));
}
