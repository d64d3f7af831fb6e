import { DiscordAPIError, MessageFlags, RESTJSONErrorCodes, type AutocompleteInteraction, type ButtonInteraction, type RepliableInteraction } from 'discord.js';
import type { Logger } from '../log.js';
import { toPayload, type Reply } from './format.js';

const ackListeners = new WeakMap<object, () => void>();

/** Calls `listener` once, when the interaction is first acknowledged through this module (reply, defer or update). */
export function whenAcknowledged(interaction: object, listener: () => void): void {
  ackListeners.set(interaction, listener);
}

function acknowledged(interaction: object): void {
  const listener = ackListeners.get(interaction);
  if (!listener) return;
  ackListeners.delete(interaction);
  listener();
}

/**
 * Deferred replies that so far show only progress ("Reading report.pdf: page 3 of 40…"): discord.js
 * counts such an edit as the reply, but the answer, or the error, must still replace it.
 */
const showingProgress = new WeakSet<RepliableInteraction>();

/** Shows progress in a deferred reply, unless an answer is there already. */
export async function showProgress(interaction: RepliableInteraction, content: string): Promise<void> {
  if (!interaction.deferred || (interaction.replied && !showingProgress.has(interaction))) return;
  showingProgress.add(interaction);
  await interaction.editReply({ content });
}

/**
 * Sends a reply however the interaction stands (fresh, deferred or already answered).
 * Handlers call this and never build Discord payloads themselves, so none can forget the
 * mention policy or the limits.
 */
export async function send(interaction: RepliableInteraction, reply: Reply): Promise<void> {
  const payload = toPayload(reply);
  const ephemeral = reply.ephemeral ?? false;
  const flags = ephemeral ? { flags: MessageFlags.Ephemeral as const } : {};
  if (interaction.deferred && (!interaction.replied || showingProgress.delete(interaction))) {
    if (ephemeral && !interaction.ephemeral) {
      // A public "thinking…" cannot become private: answer privately and leave the public one short.
      await interaction.followUp({ ...payload, ...flags });
      await interaction.editReply({ content: '…', embeds: [], components: [], allowedMentions: payload.allowedMentions }).catch(() => undefined);
      return;
    }
    await interaction.editReply(payload);
    return;
  }
  if (interaction.replied) {
    await interaction.followUp({ ...payload, ...flags });
    return;
  }
  await interaction.reply({ ...payload, ...flags });
  acknowledged(interaction);
}

/** Ends an autocomplete interaction: no suggestions, unless the command already offered some. */
export async function finishAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
  if (!interaction.responded) await interaction.respond([]);
  acknowledged(interaction);
}

/** Replaces the message a button is on. */
export async function update(interaction: ButtonInteraction, reply: Reply): Promise<void> {
  const payload = toPayload(reply);
  await interaction.update(payload);
  acknowledged(interaction);
}

/** Acknowledges a button at once, for work that may take longer than Discord's 3 seconds; `send` then replaces the message it is on. */
export async function deferUpdate(interaction: ButtonInteraction): Promise<void> {
  await interaction.deferUpdate();
  acknowledged(interaction);
}

/**
 * Acknowledges at once ("thinking…") for work that may take longer than Discord's 3 seconds.
 *
 * discord.js sends the acknowledgement again when the first attempt times out or gets a 5xx. If
 * the first one had reached Discord after all, the second is refused with 40060 "already
 * acknowledged": the interaction is deferred all the same, so the answer can still be edited in.
 */
export async function defer(interaction: RepliableInteraction, ephemeral: boolean, logger: Logger): Promise<void> {
  try {
    await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  } catch (error) {
    if (!(error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged)) throw error;
    interaction.deferred = true;
    interaction.ephemeral = ephemeral;
    logger.info({ event: 'ack-repeated' }, 'the acknowledgement was sent twice and Discord says already acknowledged; carrying on');
  }
  acknowledged(interaction);
}
