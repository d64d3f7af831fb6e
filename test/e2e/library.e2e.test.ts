import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ELLIPSIS, LIMITS, unescapeText } from '../../src/discord/format.js';
import { CHANNEL_ID, click, newUser, outcome, runScript, slash, startBot, startHarness, stopHarness, waitForExit, type Harness, type InteractionOutcome } from './harness.js';

/** A second bot on a larger, writable copy of the corpus: moderator commands, paging, links, long paragraphs, shutdown. */
let harness: Harness;

const FILLER = Object.fromEntries(
  Array.from({ length: 9 }, (_, i) => [`filler-${String(i)}.txt`, `Filler document ${String(i)}\n\nThis short note number ${String(i)} records the weather on an ordinary day in the valley.\n`]),
);
const LONG_SENTENCE = 'The committee read each witness statement aloud, compared it with the harbour records, and noted where the accounts differed. ';
const EXTRA = {
  ...FILLER,
  'harbour.md': '---\ntitle: Harbour Report\npublisher: Coastal Gazette\ndate: 2021-05-04\nurl: https://example.org/harbour-report\n---\nThe lighthouse keeper counted forty-two fishing boats returning to the harbour before the storm.\n\nThe harbour master closed the pier at dusk.\n',
  'long.txt': `Committee Minutes\n\n${LONG_SENTENCE.repeat(60).trim()}\n`,
};

const STRING = 3;
const INTEGER = 4;
const SUBCOMMAND = 1;
const ATTACHMENT = 11;
const EPHEMERAL = 64;

/** This server's own library: 1 document after the first add below, room for exactly one more. */
const MAX_DOCUMENTS = 2;

beforeAll(async () => {
  harness = await startHarness({ extraDocuments: EXTRA, env: { WITNESS_SERVER_MAX_DOCUMENTS: String(MAX_DOCUMENTS) } });
  const registered = await runScript(harness, 'scripts/register-commands.ts');
  expect(registered.code, registered.stderr).toBe(0);
  await startBot(harness);
});

afterAll(async () => {
  if (harness) await stopHarness(harness);
});

let attachmentId = 900;

/** Sends `/library add` with an attachment; `bytes` may be a promise, which holds the bot's download until it settles. */
async function startAdd(userId: string, name: string, bytes: Buffer | Promise<Buffer>, size: number): Promise<{ id: string; token: string }> {
  attachmentId++;
  const id = String(attachmentId);
  harness.files.set(name, bytes);
  const url = harness.filesBase + encodeURIComponent(name);
  return slash(harness, userId, 'library', [{ name: 'add', type: SUBCOMMAND, options: [{ name: 'file', type: ATTACHMENT, value: id }] }], {
    attachments: { [id]: { id, filename: name, size, url, proxy_url: url, content_type: 'text/plain' } },
  });
}

async function addFile(userId: string, name: string, bytes: Buffer): Promise<InteractionOutcome> {
  return outcome(harness, await startAdd(userId, name, bytes, bytes.length));
}

/** Where this server's uploads are written: its own folder, never the base library's corpus. */
function uploadPath(name: string): string {
  return path.join(harness.serversDir, harness.twin.guildId, 'corpus', 'uploads', name);
}

function uploaded(name: string): boolean {
  return existsSync(uploadPath(name));
}

describe('/library (moderators only)', () => {
  it('is registered with Manage Server as its default permission', async () => {
    const command = await harness.twin.prisma.applicationCommand.findFirst({ where: { name: 'library' } });
    expect(command?.defaultMemberPermissions).toBe('32');
  });

  it('refuses members without Manage Server, privately, at run time', async () => {
    const member = await newUser(harness, 'member', '1024');
    const reindex = await outcome(harness, await slash(harness, member, 'library', [{ name: 'reindex', type: SUBCOMMAND }]));
    expect(reindex.type).toBe(4);
    expect(reindex.data?.flags).toBe(EPHEMERAL);
    expect(reindex.message?.content).toContain('Only moderators');
    const add = await addFile(member, 'sneaky.txt', Buffer.from('Sneaky text that should never be saved.'));
    expect(add.message?.content).toContain('Only moderators');
    expect(uploaded('sneaky.txt')).toBe(false);
  });

  it('adds a UTF-8 text file and indexes it incrementally', async () => {
    const moderator = await newUser(harness, 'mod');
    const text = 'Moon Garden Notes\n\nThe gardeners planted silver thyme beneath the old observatory wall in early spring.\n';
    const added = await addFile(moderator, 'moon-notes.txt', Buffer.from(text));
    expect(added.type).toBe(5);
    expect(added.data).toEqual({ flags: EPHEMERAL });
    expect(added.message?.content).toMatch(/^Added “Moon Garden Notes” to this server's library as uploads\/moon-notes\.txt \(1 paragraphs\)\./u);
    expect(added.message?.content).toMatch(/\(1 passages embedded now, \d+ reused/u);
    expect(readFileSync(uploadPath('moon-notes.txt'), 'utf8')).toBe(text);
    expect(existsSync(path.join(harness.corpusDir, 'uploads', 'moon-notes.txt'))).toBe(false);
    const found = await outcome(harness, await slash(harness, moderator, 'quote', [{ name: 'text', type: STRING, value: 'silver thyme' }]));
    expect(found.message?.content).toContain('1 occurrence in 1 document');
  });

  it('refuses unsafe names, other file types, mislabelled files, non-UTF-8 bytes and overwriting', async () => {
    const moderator = await newUser(harness, 'mod');
    expect((await addFile(moderator, '../escape.txt', Buffer.from('text'))).message?.content).toContain('plain name');
    expect((await addFile(moderator, 'report.pdf', Buffer.from('text'))).message?.content).toContain('named as a PDF but its content is plain text');
    expect((await addFile(moderator, 'slides.odt', Buffer.from('text'))).message?.content).toContain('Only .txt, .md, .pdf, .html or .docx');
    expect((await addFile(moderator, '.hidden.txt', Buffer.from('text'))).message?.content).toContain('must not start with a dot');
    expect((await addFile(moderator, 'latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9]))).message?.content).toContain('not valid UTF-8');
    const again = await addFile(moderator, 'moon-notes.txt', Buffer.from('Different words entirely, replacing the garden notes.'));
    expect(again.message?.content).toContain('already has a document named moon-notes.txt');
    expect(readFileSync(uploadPath('moon-notes.txt'), 'utf8')).toContain('silver thyme');
    expect(existsSync(path.join(path.dirname(harness.corpusDir), 'escape.txt'))).toBe(false);
  });

  it(`caps the server's library at WITNESS_SERVER_MAX_DOCUMENTS (${String(MAX_DOCUMENTS)}): an add under way holds the last place; beyond it, refused at once and nothing written`, async () => {
    const moderator = await newUser(harness, 'mod');
    const other = await newUser(harness, 'mod');
    const text = Buffer.from('Last Place Notes\n\nThe ferry timetable changed twice during the winter storms.\n');
    // The first add takes the last place and is held while it downloads its file.
    let serve: (bytes: Buffer) => void = () => undefined;
    const held = new Promise<Buffer>((resolve) => (serve = resolve));
    const first = await startAdd(moderator, 'last-place.txt', held, text.length);
    await harness.twin.channel(CHANNEL_ID).waitForInteractionAck({ interactionId: first.id, timeout: 30_000 });
    // A second add at that moment finds no room.
    const refused = await addFile(other, 'one-too-many.txt', Buffer.from('One Too Many\n\nThis document must never reach the corpus folder.\n'));
    expect(refused.type).toBe(4);
    expect(refused.data?.flags).toBe(EPHEMERAL);
    expect(refused.message?.content).toBe(`This server's library is full: it holds 1 documents and the limit is ${String(MAX_DOCUMENTS)}. Remove one with /library remove first. Nothing was added.`);
    expect(refused.requests.map((r) => r.method)).toEqual(['POST']);
    expect(uploaded('one-too-many.txt')).toBe(false);
    // The held add then completes.
    serve(text);
    const added = await outcome(harness, first);
    expect(added.message?.content).toMatch(/^Added “Last Place Notes” to this server's library as uploads\/last-place\.txt/u);
    expect(added.message?.content).toMatch(/The library has 2 documents/u);
    // Now the library is at the limit: refused, even for a file that would otherwise be fine.
    const full = await addFile(other, 'after-full.txt', Buffer.from('After Full\n\nA later note about the harbour lights.\n'));
    expect(full.message?.content).toContain("This server's library is full: it holds 2 documents");
    expect(uploaded('after-full.txt')).toBe(false);
    expect(harness.logs.some((line) => line.includes(`"reason":"This server's library is full`))).toBe(true);
  });

  it("reindexes the server's library on request", async () => {
    const result = await outcome(harness, await slash(harness, await newUser(harness, 'mod'), 'library', [{ name: 'reindex', type: SUBCOMMAND }]));
    expect(result.data).toEqual({ flags: EPHEMERAL });
    expect(result.message?.content).toMatch(/^Re-indexed this server's library\. The library has 2 documents/u);
  });
});

describe('paging, links and long paragraphs', () => {
  it('/sources pages through the library with buttons', async () => {
    const user = await newUser(harness);
    const first = await outcome(harness, await slash(harness, user, 'sources'));
    expect(first.message?.embeds[0]?.footer?.text).toContain('Page 1 of 2');
    expect(first.message?.embeds[0]?.description?.split('\n')).toHaveLength(10);
    const next = await outcome(harness, await click(harness, user, first.message?.id as string, 'sources:page:1'));
    expect(next.type).toBe(7);
    expect(next.message?.embeds[0]?.footer?.text).toContain('Page 2 of 2');
    expect(next.message?.embeds[0]?.description?.split('\n')).toHaveLength(8);
  });

  it('links web sources to the quoted words with a text fragment, and cites publisher and date', async () => {
    const result = await outcome(harness, await slash(harness, await newUser(harness), 'ask', [{ name: 'question', type: STRING, value: 'How many fishing boats did the lighthouse keeper count?' }]));
    const embed = result.message?.embeds[0];
    expect(embed?.title).toBe('1. Harbour Report');
    expect(embed?.url).toBe('https://example.org/harbour-report#:~:text=The%20lighthouse%20keeper%20counted,harbour%20before%20the%20storm.');
    expect(embed?.fields?.[0]?.value).toContain('**Harbour Report** — Coastal Gazette, 2021-05-04, paragraph 1, base library · [open source](https://example.org/harbour-report#:~:text=');
  });

  it('cuts a paragraph longer than an embed at a word boundary, verbatim up to the ellipsis', async () => {
    const result = await outcome(harness, await slash(harness, await newUser(harness), 'source', [{ name: 'document', type: STRING, value: 'long.txt' }, { name: 'paragraph', type: INTEGER, value: 1 }]));
    const description = result.message?.embeds[0]?.description ?? '';
    expect(description.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(description.length).toBeGreaterThan(LIMITS.embedDescription - 200);
    const shown = unescapeText(description.replace(/^> /gmu, ''));
    expect(shown.endsWith(ELLIPSIS)).toBe(true);
    const prefix = shown.slice(0, -1);
    const paragraph = LONG_SENTENCE.repeat(60).trim();
    expect(paragraph.startsWith(prefix)).toBe(true);
    expect(paragraph[prefix.length]).toBe(' ');
  });
});

describe('shutdown', () => {
  it('on SIGTERM finishes the reply under way, then exits cleanly', async () => {
    const user = await newUser(harness);
    const interaction = await slash(harness, user, 'ask', [{ name: 'question', type: STRING, value: 'What did the harbour master do at dusk?' }]);
    await harness.twin.channel(CHANNEL_ID).waitForInteractionAck({ interactionId: interaction.id, timeout: 30_000 });
    harness.bot?.kill('SIGTERM');
    const result = await outcome(harness, interaction);
    expect(result.message?.embeds.length).toBeGreaterThan(0);
    expect(await waitForExit(harness.bot as NonNullable<Harness['bot']>)).toBe(0);
    const events = harness.logs.filter((line) => line.startsWith('{')).map((line) => (JSON.parse(line) as { event?: string }).event);
    expect(events).toContain('shutdown');
    expect(events[events.length - 1]).toBe('stopped');
  });
});
