import { SlashCommandBuilder, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/discord/command.js';
import { UserError } from '../src/discord/errors.js';
import { answerReply, citeReply, pageCount, pageResults, paragraphsReply, type AnswerView } from '../src/discord/messages.js';
import { defer, send, update } from '../src/discord/respond.js';
import type { StoredAnswer } from '../src/discord/answer-store.js';
import { checkQuestion } from '../src/search/question.js';
import { askInScope } from '../src/discord/scope.js';

/** Results fetched per question; pages of `results` are shown from these. */
const FETCHED_RESULTS = 10;

export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Answer a question with verbatim, cited quotes from the library')
  .addStringOption((option) => option.setName('question').setDescription('What do you want to know?').setRequired(true).setMinLength(3).setMaxLength(500))
  .addIntegerOption((option) => option.setName('results').setDescription('Quotes per page (default 3)').setMinValue(1).setMaxValue(5))
  .addUserOption((option) => option.setName('target').setDescription('Mention this person in the answer'))
  .addBooleanOption((option) => option.setName('hide').setDescription('Only you see the answer'));

export const cooldown = true;

function view(stored: StoredAnswer, answerId: string, page: number, hidden = stored.hidden): AnswerView {
  return { answer: stored.answer, answerId, page, perPage: stored.perPage, hidden, target: stored.target };
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  // Checked before deferring, so a question that cannot be searched gets a private line, not a public "thinking…".
  const question = checkQuestion(interaction.options.getString('question', true));
  const perPage = interaction.options.getInteger('results') ?? 3;
  const target = interaction.options.getUser('target')?.id ?? null;
  const hidden = interaction.options.getBoolean('hide') ?? false;
  ctx.queue.assertRoom();
  await defer(interaction, hidden, ctx.logger);
  const answer = await askInScope(ctx, interaction.guildId, question, FETCHED_RESULTS);
  const stored: StoredAnswer = { answer, askerId: interaction.user.id, perPage, target, hidden, guildId: interaction.guildId };
  const answerId = ctx.answers.put(stored);
  ctx.logger.info({ answered: answer.answered, results: answer.results.length }, 'answered');
  await send(interaction, answerReply(view(stored, answerId, 0), ctx.style));
}

function storedAnswer(ctx: BotContext, answerId: string | undefined, interaction: ButtonInteraction): StoredAnswer {
  const stored = answerId ? ctx.answers.get(answerId) : null;
  // An answer is only ever shown in the server it was asked in.
  if (!stored || stored.guildId !== interaction.guildId) throw new UserError('This answer has expired. Ask the question again with /ask.');
  return stored;
}

function pageOf(stored: StoredAnswer, raw: string | undefined): number {
  const page = Number(raw);
  if (!Number.isInteger(page) || page < 0 || page >= pageCount({ answer: stored.answer, perPage: stored.perPage })) throw new UserError('There are no more results.');
  return page;
}

export const buttons = {
  /** The next page: the asker's own message turns the page; anyone else gets it privately. */
  async more(interaction: ButtonInteraction, ctx: BotContext, [answerId, rawPage]: string[]): Promise<void> {
    const stored = storedAnswer(ctx, answerId, interaction);
    const page = pageOf(stored, rawPage);
    if (interaction.user.id === stored.askerId) await update(interaction, answerReply(view(stored, answerId as string, page), ctx.style));
    else await send(interaction, answerReply(view(stored, answerId as string, page, true), ctx.style, { withPostButton: false }));
  },
  async para(interaction: ButtonInteraction, ctx: BotContext, [answerId, rawPage]: string[]): Promise<void> {
    const stored = storedAnswer(ctx, answerId, interaction);
    const shown = pageResults({ answer: stored.answer, perPage: stored.perPage, page: pageOf(stored, rawPage) });
    // The interaction's libraries, resolved once for every result shown.
    const scope = await ctx.libraries.scope(interaction.guildId);
    const items = [];
    for (const { result, rank } of shown) {
      const library = scope.find((entry) => entry.label === (result.library ?? 'base'))?.state;
      const document = library?.current.library.document(result.sourceId);
      if (!document) throw new UserError('That document has left the library since this answer was given.');
      items.push({ result, rank, text: document.text.slice(result.passage.start, result.passage.end) });
    }
    await send(interaction, paragraphsReply(items, ctx.style));
  },
  async cite(interaction: ButtonInteraction, ctx: BotContext, [answerId, rawPage]: string[]): Promise<void> {
    const stored = storedAnswer(ctx, answerId, interaction);
    const shown = pageResults({ answer: stored.answer, perPage: stored.perPage, page: pageOf(stored, rawPage) });
    await send(interaction, citeReply(shown.map(({ result }) => result)));
  },
  /** Shares a hidden answer with the channel, as the asker saw it. */
  async post(interaction: ButtonInteraction, ctx: BotContext, [answerId, rawPage]: string[]): Promise<void> {
    const stored = storedAnswer(ctx, answerId, interaction);
    if (interaction.user.id !== stored.askerId) throw new UserError('Only the person who asked can post this answer.');
    const page = pageOf(stored, rawPage);
    await send(interaction, answerReply(view(stored, answerId as string, page, false), ctx.style));
  },
};
