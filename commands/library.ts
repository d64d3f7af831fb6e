import { randomBytes } from 'node:crypto';
import { ButtonStyle, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder, type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { ExtractProgress, IngestProgress, IngestReport } from '../src/ingest/update-index.js';
import type { BotContext } from '../src/discord/command.js';
import { nameForUrl, saveUpload, safeFileName } from '../src/discord/corpus-upload.js';
import { detectFormat } from '../src/extract/detect-format.js';
import { formatList, formatSpec } from '../src/extract/format-list.js';
import { fetchUrl, FetchError, type FetchedPage } from '../src/ingest/fetch-url.js';
import { UserError } from '../src/discord/errors.js';
import { fitText, LIMITS, safeText } from '../src/discord/format.js';
import { button, row } from '../src/discord/messages.js';
import type { LibraryState } from '../src/discord/library-state.js';
import { megabytes } from '../src/discord/server-libraries.js';
import { pace } from '../src/ingest/pace.js';
import { parseDocumentKey } from '../src/discord/scope.js';
import { foldPhrase } from '../src/search/find-phrase.js';
import { defer, deferUpdate, send, showProgress, update } from '../src/discord/respond.js';

export const data = new SlashCommandBuilder()
  .setName('library')
  .setDescription("Moderators: maintain this server's library")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((sub) =>
    sub
      .setName('add')
      .setDescription("Add a document (PDF, Word, web page, text) to this server's library")
      .addAttachmentOption((option) => option.setName('file').setDescription(`A ${formatList()} file`))
      .addStringOption((option) => option.setName('url').setDescription('The address of a web page (or PDF) to add').setMaxLength(2000)),
  )
  .addSubcommand((sub) =>
    sub
      .setName('remove')
      .setDescription("Remove a document from this server's library")
      .addStringOption((option) => option.setName('document').setDescription('Start typing its title').setRequired(true).setMaxLength(200).setAutocomplete(true)),
  )
  .addSubcommand((sub) => sub.setName('list').setDescription("This server's documents, its limits and whether the base library is searched"))
  .addSubcommand((sub) =>
    sub
      .setName('settings')
      .setDescription("Show or change this server's library settings")
      .addBooleanOption((option) => option.setName('base').setDescription('Also search the base library shared by every server (default: on)')),
  )
  .addSubcommand((sub) => sub.setName('reindex').setDescription("Re-read this server's documents and index what changed"));

function summary(report: IngestReport): string {
  const lines = [
    `The library has ${String(report.documents)} documents and ${String(report.passages)} passages (${String(report.embedded)} passages embedded now, ${String(report.reused)} reused, ${String(report.removed)} documents removed).`,
  ];
  for (const skip of report.skipped.slice(0, 5)) lines.push(`Skipped ${safeText(skip.sourceId, 120)}: ${safeText(skip.reason, 200)}.`);
  for (const warning of report.warnings.slice(0, 5)) lines.push(`Warning for ${safeText(warning.sourceId, 120)}: ${safeText(warning.message, 200)}.`);
  return lines.join('\n');
}

async function download(url: string, maxBytes: number): Promise<Uint8Array> {
  const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  if (!response.ok || !response.body) throw new UserError('The attachment could not be downloaded. Please try again.');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > maxBytes) throw new UserError(`The file is larger than the ${String(maxBytes)}-byte limit.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Documents with at least this many pages show their reading progress in the moderator's reply. */
const PROGRESS_EVERY_MS = 3000;

/** Edits the moderator's "thinking…" reply every few seconds while a long PDF's pages are read. */
function pageProgress(interaction: ChatInputCommandInteraction): IngestProgress & ExtractProgress & { settled: () => Promise<unknown> } {
  let last = Date.now();
  // The last edit is awaited before the final answer, so it can never land on top of it.
  let pending: Promise<unknown> = Promise.resolve();
  let count = 0;
  let counted = '';
  let started = 0;
  // Only work that takes a while is shown (a long PDF, a scan read by OCR, a long embedding), at most every few seconds.
  const show = (content: string): void => {
    if (Date.now() - last < PROGRESS_EVERY_MS) return;
    last = Date.now();
    pending = showProgress(interaction, content).catch(() => undefined);
  };
  return {
    settled: () => pending,
    start: (total, what) => {
      count = total;
      counted = what;
      started = performance.now();
    },
    update: (done, share) => {
      if (done === count) return;
      const { rate, left } = pace(done, share, (performance.now() - started) / 1000);
      show(`Reading the document into the library: ${String(Math.round(share * 100))} % (${String(done)} of ${String(count)} ${counted}, ${rate} a second), about ${left} left…`);
    },
    stop: () => undefined,
    reading: (sourceId, done, total) => {
      if (done === total) return;
      show(`Reading ${safeText(sourceId, 200)}: page ${String(done)} of ${String(total)}…`);
    },
  };
}

async function fetchPage(address: string, maxBytes: number, ctx: BotContext): Promise<FetchedPage> {
  try {
    return await fetchUrl(address, { maxBytes, timeoutMs: ctx.config.fetchTimeoutSeconds * 1000, maxRedirects: 5, allowPrivate: ctx.config.fetchAllowPrivate });
  } catch (error) {
    if (error instanceof FetchError) throw new UserError(`The page cannot be added: ${error.message}. Nothing was saved.`);
    throw error;
  }
}

/** Removals waiting for the moderator's confirming click: by token, for 5 minutes, at most 100. */
const pendingRemovals = new Map<string, { guildId: string; userId: string; sourceId: string; expires: number }>();
const REMOVAL_TTL_MS = 5 * 60 * 1000;

function holdRemoval(guildId: string, userId: string, sourceId: string): string {
  const now = Date.now();
  for (const [token, entry] of pendingRemovals) if (entry.expires <= now || pendingRemovals.size >= 100) pendingRemovals.delete(token);
  const token = randomBytes(6).toString('base64url');
  pendingRemovals.set(token, { guildId, userId, sourceId, expires: now + REMOVAL_TTL_MS });
  return token;
}

/** Only members with Manage Server, in a server: Discord hides the command from others, but server owners can change that. */
function assertModerator(interaction: ChatInputCommandInteraction | ButtonInteraction | AutocompleteInteraction, ctx: BotContext): string {
  if (!interaction.inGuild() || !interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    ctx.logger.warn('library command refused: missing Manage Server');
    throw new UserError("Only moderators (Manage Server permission) can change this server's library.");
  }
  return interaction.guildId;
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const guildId = assertModerator(interaction, ctx);
  const sub = interaction.options.getSubcommand(true);
  if (sub === 'reindex') return reindex(interaction, ctx, guildId);
  if (sub === 'list') return list(interaction, ctx, guildId);
  if (sub === 'settings') return settings(interaction, ctx, guildId);
  if (sub === 'remove') return askToRemove(interaction, ctx, guildId);
  return add(interaction, ctx, guildId);
}

async function reindex(interaction: ChatInputCommandInteraction, ctx: BotContext, guildId: string): Promise<void> {
  const own = await ctx.libraries.server(guildId);
  if (!own) throw new UserError("This server's library has no documents yet: add one with /library add. (The base library is kept by the bot's operator.)");
  ctx.libraryJobs.assertRoom();
  await defer(interaction, true, ctx.logger);
  const report = await ctx.libraryJobs.run(() => own.reindex());
  await ctx.libraries.measure(guildId);
  ctx.logger.info({ event: 'library-change', change: 'reindex', documents: report.documents, passages: report.passages, embedded: report.embedded }, 'server library reindexed');
  await send(interaction, { content: `Re-indexed this server's library. ${summary(report)}`, ephemeral: true });
}

async function list(interaction: ChatInputCommandInteraction, ctx: BotContext, guildId: string): Promise<void> {
  const own = await ctx.libraries.server(guildId);
  const documents = own?.current.library.documents ?? [];
  const { base } = await ctx.libraries.settings(guildId);
  const bytes = await ctx.libraries.corpusBytes(guildId);
  const { limits } = ctx.libraries;
  const lines = documents.slice(0, 25).map((doc, i) => `**${String(i + 1)}.** ${safeText(doc.meta.title, 150)} — ${safeText(doc.sourceId, 120)}`);
  if (documents.length > 25) lines.push(`…and ${String(documents.length - 25)} more.`);
  const header = [
    `This server's library: ${String(documents.length)} of ${String(limits.documents)} documents, ${megabytes(bytes)} of ${megabytes(limits.bytes)}.`,
    `Base library (${String(ctx.libraries.base.current.library.documents.length)} documents, shared by every server): ${base ? 'searched here' : 'turned off here'}.`,
  ];
  await send(interaction, { content: [...header, '', ...(lines.length > 0 ? lines : ['No documents of its own yet: add one with /library add.'])].join('\n'), ephemeral: true });
}

async function settings(interaction: ChatInputCommandInteraction, ctx: BotContext, guildId: string): Promise<void> {
  const base = interaction.options.getBoolean('base');
  const current = base === null ? await ctx.libraries.settings(guildId) : await ctx.libraries.updateSettings(guildId, { base });
  if (base !== null) ctx.logger.info({ event: 'library-change', change: 'settings', base }, 'server library settings changed');
  const line = current.base ? 'The base library is searched in this server, beside its own documents.' : "The base library is turned off in this server: only this server's own documents are searched.";
  await send(interaction, { content: `${base === null ? '' : 'Saved. '}${line}`, ephemeral: true });
}

async function askToRemove(interaction: ChatInputCommandInteraction, ctx: BotContext, guildId: string): Promise<void> {
  const { sourceId } = parseDocumentKey(interaction.options.getString('document', true));
  const own = await ctx.libraries.server(guildId);
  const document = own?.current.library.document(sourceId);
  if (!document) throw new UserError("That document is not in this server's library. /library list shows what is.");
  const token = holdRemoval(guildId, interaction.user.id, sourceId);
  await send(interaction, {
    content: `Remove “${safeText(document.meta.title, 200)}” (${safeText(sourceId, 200)}) from this server's library? Its file is deleted and it is no longer quoted here.`,
    components: [row(button(`library:remove:${token}`, 'Remove', { style: ButtonStyle.Danger }), button(`library:cancel:${token}`, 'Cancel'))],
    ephemeral: true,
  });
}

async function add(interaction: ChatInputCommandInteraction, ctx: BotContext, guildId: string): Promise<void> {
  const attachment = interaction.options.getAttachment('file');
  const address = interaction.options.getString('url')?.trim() || null;
  if ((attachment === null) === (address === null)) throw new UserError('Give either a file or a url (one of them).');
  const maxBytes = Math.min(ctx.config.uploadMaxBytes, ctx.config.core.maxFileBytes);
  const name = attachment ? safeFileName(attachment.name) : null;
  if (attachment && attachment.size > maxBytes) throw new UserError(`The file is larger than the ${String(maxBytes)}-byte limit.`);
  ctx.libraryJobs.assertRoom();
  const own = (await ctx.libraries.server(guildId, true)) as LibraryState;
  if (attachment) await ctx.libraries.checkRoom(guildId, own, attachment.size);
  // Checked before anything is downloaded or written; the place is held until the add is done.
  const release = own.reserveDocument(ctx.libraries.limits.documents, `This server's library is full: the limit is ${String(ctx.libraries.limits.documents)} documents. Remove one with /library remove first. Nothing was added.`);
  let report: IngestReport;
  let sourceId: string;
  const { maxPages, extractSeconds: maxSeconds, ocrMaxPages, ocrPageSeconds } = ctx.config.core;
  const limits = { maxPages, maxSeconds, ocrMaxPages, ocrPageSeconds };
  const corpusDir = own.corpusDir;
  const progress = pageProgress(interaction);
  try {
    await defer(interaction, true, ctx.logger);
    if (attachment && name) {
      const bytes = await download(attachment.url, maxBytes);
      await ctx.libraries.checkRoom(guildId, own, bytes.length, false);
      // The file is read (a scan by OCR) before it is saved: its pages are shown as they are read.
      ({ sourceId } = await saveUpload(corpusDir, name, bytes, { maxBytes, ...limits, onPage: (done, total) => progress.reading(name, done, total) }));
      ctx.logger.info({ event: 'library-change', change: 'add', sourceId, bytes: bytes.length }, 'document added');
    } else {
      const page = await fetchPage(address as string, maxBytes, ctx);
      await ctx.libraries.checkRoom(guildId, own, page.bytes.length, false);
      const detected = await detectFormat(page.bytes, new URL(page.url).pathname);
      if ('error' in detected) throw new UserError(`The page cannot be added: ${detected.error}. Nothing was saved.`);
      const extension = formatSpec(detected.format).extensions[0];
      const saved = nameForUrl(page.url, extension);
      ({ sourceId } = await saveUpload(corpusDir, saved, page.bytes, { maxBytes, ...limits, pageUrl: page.url, onPage: (done, total) => progress.reading(saved, done, total) }));
      ctx.logger.info({ event: 'library-change', change: 'add', sourceId, bytes: page.bytes.length }, 'web page added');
    }
    // Answerable after about half the model's work; the sentences are finished below.
    report = await ctx.libraryJobs.run(() => own.reindex(progress, { quick: true }));
    await ctx.libraries.measure(guildId);
  } finally {
    release();
    // A progress edit still on its way must land before the answer or the error that replaces it.
    await progress.settled();
  }
  const added = own.current.library.document(sourceId);
  const paragraphs = added ? new Set(added.chunks.map((chunk) => chunk.paragraph)).size : 0;
  const title = added ? `“${safeText(added.meta.title, 200)}”` : safeText(sourceId, 200);
  const size = added?.pages ? `${String(added.pages.length)} pages, ${String(paragraphs)} paragraphs` : `${String(paragraphs)} paragraphs`;
  const note = added ? `Added ${title} to this server's library as ${safeText(sourceId, 200)} (${size}).` : `Saved ${safeText(sourceId, 200)}, but it was not indexed (see below).`;
  const later = report.provisional > 0 ? '\nIt can be asked about now. Its sentences are still being indexed one by one, so quotes from it may sharpen over the next minute or so.' : '';
  await send(interaction, { content: `${note}\n${summary(report)}${later}`, ephemeral: true });
  if (report.provisional > 0) {
    await own.finishProvisional(ctx.libraryJobs, ctx.logger);
    await ctx.libraries.measure(guildId);
  }
}

/** Suggests this server's own documents (never another server's, never the base library's) for /library remove. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  if (!interaction.inGuild()) return;
  const own = await ctx.libraries.server(interaction.guildId);
  const typed = foldPhrase(interaction.options.getFocused());
  const documents = (own?.current.library.documents ?? []).filter((doc) => !typed || foldPhrase(doc.meta.title).includes(typed) || foldPhrase(doc.sourceId).includes(typed));
  await interaction.respond(
    documents
      .filter((doc) => doc.sourceId.length <= LIMITS.choiceValue)
      .slice(0, 25)
      .map((doc) => ({ name: fitText(doc.meta.title.replace(/\s+/gu, ' '), LIMITS.choiceName, (t) => t).text, value: doc.sourceId })),
  );
}

export const buttons = {
  /** The moderator confirmed: the document leaves this server's answers now, and its file leaves the disk. */
  async remove(interaction: ButtonInteraction, ctx: BotContext, [token]: string[]): Promise<void> {
    const guildId = assertModerator(interaction, ctx);
    const pending = token ? pendingRemovals.get(token) : undefined;
    if (!pending || pending.expires <= Date.now() || pending.guildId !== guildId || pending.userId !== interaction.user.id) {
      throw new UserError('This removal has expired or is not yours. Run /library remove again.');
    }
    pendingRemovals.delete(token as string);
    ctx.libraryJobs.assertRoom();
    await deferUpdate(interaction);
    const document = await ctx.libraryJobs.run(() => ctx.libraries.remove(guildId, pending.sourceId));
    ctx.logger.info({ event: 'library-change', change: 'remove', sourceId: pending.sourceId }, 'document removed');
    await send(interaction, { content: `Removed “${safeText(document.meta.title, 200)}” (${safeText(pending.sourceId, 200)}) from this server's library.`, components: [] });
  },
  async cancel(interaction: ButtonInteraction, _ctx: BotContext, [token]: string[]): Promise<void> {
    if (token) pendingRemovals.delete(token);
    await update(interaction, { content: 'Nothing was removed.', components: [] });
  },
};
