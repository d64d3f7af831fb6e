import { randomBytes } from 'node:crypto';
import type { Interaction } from 'discord.js';
import type { Logger } from '../log.js';
import type { BotContext, CommandModule } from './command.js';
import type { Cooldowns } from './cooldowns.js';
import { describeError, UserError } from './errors.js';
import { StoreUnavailableError } from '../search/search-store.js';
import { QuestionError } from '../search/question.js';
import { DISCORD_ACK_DEADLINE_MS, type HealthMonitor } from './health.js';
import type { BotMetrics, InteractionOutcome } from './metrics.js';
import { noticeReply } from './messages.js';
import { finishAutocomplete, send, whenAcknowledged } from './respond.js';

export type SharedContext = Omit<BotContext, 'logger' | 'requestId'>;

/** Routes interactions to command modules by name, and owns cooldowns, error replies and in-flight tracking. */
export class Router {
  private readonly inFlight = new Set<Promise<void>>();
  private closing = false;

  constructor(
    private readonly commands: Map<string, CommandModule>,
    private readonly shared: SharedContext,
    private readonly cooldowns: Cooldowns,
    private readonly logger: Logger,
    private readonly health: HealthMonitor,
    private readonly metrics?: BotMetrics,
  ) {}

  handle(interaction: Interaction): void {
    const work = this.route(interaction).finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  /** Stops taking new work and waits (up to `timeoutMs`) for replies already under way. */
  async drain(timeoutMs: number): Promise<void> {
    this.closing = true;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([Promise.allSettled([...this.inFlight]).then(() => undefined), timeout]);
  }

  get pending(): number {
    return this.inFlight.size;
  }

  private async route(interaction: Interaction): Promise<void> {
    const requestId = randomBytes(4).toString('hex');
    const name = interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : interaction.isButton() ? (interaction.customId.split(':')[0] ?? '') : '';
    const logger = this.logger.child({ requestId, command: name, guildId: interaction.guildId, userId: interaction.user.id });
    const ctx: BotContext = { ...this.shared, logger, requestId };
    const command = this.commands.get(name);
    const started = performance.now();
    const timer = this.health.received(interaction.id, interaction.createdTimestamp);
    let outcome: InteractionOutcome = 'ok';
    whenAcknowledged(interaction, () => {
      this.metrics?.acknowledged(name, (performance.now() - started) / 1000);
      const age = timer.acknowledged();
      // Discord gives up on an interaction not acknowledged within 3 s ("The application did not respond").
      if (age > DISCORD_ACK_DEADLINE_MS) logger.warn({ event: 'late-ack', ageMs: age }, 'acknowledged after Discord\'s 3-second deadline');
    });
    try {
      if (this.closing) {
        outcome = 'restarting';
        if (interaction.isRepliable()) await send(interaction, noticeReply('Witness is restarting. Please try again in a moment.'));
        return;
      }
      if (!command) {
        outcome = 'unknown_command';
        logger.warn('interaction for an unknown command');
        if (interaction.isRepliable()) await send(interaction, noticeReply('This command is not available any more.'));
        return;
      }
      if (interaction.isAutocomplete()) {
        await command.autocomplete?.(interaction, ctx);
        await finishAutocomplete(interaction);
        return;
      }
      if (interaction.isButton()) {
        const [, action = '', ...args] = interaction.customId.split(':');
        const handler = command.buttons?.[action];
        if (!handler) throw new UserError('This button is not available any more.');
        await handler(interaction, ctx, args);
        return;
      }
      if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
        if (command.cooldown) {
          const wait = this.cooldowns.take(interaction.user.id);
          if (wait > 0) throw new UserError(`Please wait ${String(wait)} s before asking again.`);
        }
        await command.execute(interaction, ctx);
      }
    } catch (error) {
      outcome = error instanceof UserError || error instanceof QuestionError ? 'user_error' : error instanceof StoreUnavailableError ? 'store_unavailable' : 'failed';
      await this.fail(interaction, error, ctx);
    } finally {
      timer.done();
      this.metrics?.handled(name, outcome, (performance.now() - started) / 1000);
      logger.debug({ ms: Math.round(performance.now() - started) }, 'interaction handled');
    }
  }

  private async fail(interaction: Interaction, error: unknown, ctx: BotContext): Promise<void> {
    // QuestionError comes from the core: the question itself cannot be searched.
    const isUserError = error instanceof UserError || error instanceof QuestionError;
    // StoreUnavailableError: the passage store (Solr) is not answering; the log names the nodes, the user gets a sentence.
    const storeDown = error instanceof StoreUnavailableError;
    if (isUserError) ctx.logger.info({ reason: (error as Error).message }, 'user error');
    else ctx.logger.error({ err: describeError(error, [ctx.config.token]) }, storeDown ? 'the passage store is not answering' : 'interaction failed');
    try {
      if (interaction.isAutocomplete()) {
        await finishAutocomplete(interaction);
        return;
      }
      if (!interaction.isRepliable()) return;
      const text = isUserError
        ? (error as Error).message
        : storeDown
          ? `The library cannot be searched right now: its search engine is not answering. Nothing is wrong with your question; please ask again in a minute. If it keeps happening, give a moderator this request id: ${ctx.requestId}.`
          : `Sorry — something went wrong on our side. If it keeps happening, give a moderator this request id: ${ctx.requestId}.`;
      await send(interaction, noticeReply(text));
    } catch (replyError) {
      ctx.logger.warn({ err: describeError(replyError, [ctx.config.token]) }, 'could not tell the user about an error');
    }
  }
}
