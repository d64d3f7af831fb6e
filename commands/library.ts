import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { ExtractProgress, IngestProgress, IngestReport } from '../src/ingest/update-index.js';
import type { BotContext } from '../src/discord/command.js';
import { nameForUrl, saveUpload, safeFileName } from '../src/discord/corpus-upload.js';
import { detectFormat } from '../src/extract/detect-format.js';
import { fetchUrl, FetchError, type FetchedPage } from '../src/ingest/fetch-url.js';
import { UserError } from '../src/discord/errors.js';
import { safeText } from '../src/discord/format.js';
import { defer, send } from '../src/discord/respond.js';

export const data = new SlashCommandBuilder()
  .setName('library')
  .setDescription('Moderators: maintain the library')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((sub) => sub.setName('reindex').setDescription('Re-scan the corpus folder and index what changed'))
  .addSubcommand((sub) =>
    sub
      .setName('add')
      .setDescription('Add a document (PDF, Word, web page, text) to the library')
      .addAttachmentOption((option) => option.setName('file').setDescription('A .pdf, .docx, .html, .txt or .md file'))
      .addStringOption((option) => option.setName('url').setDescription('The address of a web page (or PDF) to add').setMaxLength(2000)),
  );

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
const LONG_DOCUMENT_PAGES = 20;
const PROGRESS_EVERY_MS = 3000;

/** Edits the moderator's "thinking…" reply every few seconds while a long PDF's pages are read. */
function pageProgress(interaction: ChatInputCommandInteraction): IngestProgress & ExtractProgress & { settled: () => Promise<unknown> } {
  let last = Date.now();
  // The last edit is awaited before the final answer, so it can never land on top of it.
  let pending: Promise<unknown> = Promise.resolve();
  return {
    settled: () => pending,
    start: () => undefined,
    update: () => undefined,
    stop: () => undefined,
    reading: (sourceId, done, total) => {
      if (total < LONG_DOCUMENT_PAGES || done === total || Date.now() - last < PROGRESS_EVERY_MS) return;
      last = Date.now();
      pending = interaction.editReply({ content: `Reading ${safeText(sourceId, 200)}: page ${String(done)} of ${String(total)}…` }).catch(() => undefined);
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

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  // Discord hides the command from others by default, but server owners can change that: check again.
  if (!interaction.inGuild() || !interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    ctx.logger.warn('library command refused: missing Manage Server');
    throw new UserError('Only moderators (Manage Server permission) can change the library.');
  }
  const sub = interaction.options.getSubcommand(true);
  if (sub === 'reindex') {
    ctx.queue.assertRoom();
    await defer(interaction, true, ctx.logger);
    const report = await ctx.queue.run(() => ctx.library.reindex());
    ctx.logger.info({ documents: report.documents, passages: report.passages, embedded: report.embedded }, 'reindexed');
    await send(interaction, { content: `Re-indexed. ${summary(report)}`, ephemeral: true });
    return;
  }
  const attachment = interaction.options.getAttachment('file');
  const address = interaction.options.getString('url')?.trim() || null;
  if ((attachment === null) === (address === null)) throw new UserError('Give either a file or a url (one of them).');
  const maxBytes = Math.min(ctx.config.uploadMaxBytes, ctx.config.core.maxFileBytes);
  const name = attachment ? safeFileName(attachment.name) : null;
  if (attachment && attachment.size > maxBytes) throw new UserError(`The file is larger than the ${String(maxBytes)}-byte limit.`);
  ctx.queue.assertRoom();
  // Checked before anything is downloaded or written; the place is held until the add is done.
  const release = ctx.library.reserveDocument(ctx.config.core.maxDocuments);
  let report: IngestReport;
  let sourceId: string;
  const limits = { maxPages: ctx.config.core.maxPages, maxSeconds: ctx.config.core.extractSeconds };
  try {
    await defer(interaction, true, ctx.logger);
    if (attachment && name) {
      const bytes = await download(attachment.url, maxBytes);
      ({ sourceId } = await saveUpload(ctx.config.core.corpusDir, name, bytes, { maxBytes, ...limits }));
      ctx.logger.info({ sourceId, bytes: bytes.length }, 'document added');
    } else {
      const page = await fetchPage(address as string, maxBytes, ctx);
      const detected = await detectFormat(page.bytes, new URL(page.url).pathname);
      if ('error' in detected) throw new UserError(`The page cannot be added: ${detected.error}. Nothing was saved.`);
      const extension = detected.format === 'pdf' ? '.pdf' : detected.format === 'docx' ? '.docx' : detected.format === 'html' ? '.html' : '.txt';
      ({ sourceId } = await saveUpload(ctx.config.core.corpusDir, nameForUrl(page.url, extension), page.bytes, { maxBytes, ...limits, pageUrl: page.url }));
      ctx.logger.info({ sourceId, bytes: page.bytes.length }, 'web page added');
    }
    const progress = pageProgress(interaction);
    report = await ctx.queue.run(() => ctx.library.reindex(progress));
    await progress.settled();
  } finally {
    release();
  }
  const added = ctx.library.current.library.document(sourceId);
  const paragraphs = added ? new Set(added.chunks.map((chunk) => chunk.paragraph)).size : 0;
  const title = added ? `“${safeText(added.meta.title, 200)}”` : safeText(sourceId, 200);
  const size = added?.pages ? `${String(added.pages.length)} pages, ${String(paragraphs)} paragraphs` : `${String(paragraphs)} paragraphs`;
  const note = added ? `Added ${title} as ${safeText(sourceId, 200)} (${size}).` : `Saved ${safeText(sourceId, 200)}, but it was not indexed (see below).`;
  await send(interaction, { content: `${note}\n${summary(report)}`, ephemeral: true });
}
