import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { CHANNEL_ID, newUser, outcome, runScript, slash, startBot, startHarness, stopHarness, type Harness, type InteractionOutcome } from './harness.js';

/**
 * Moderators add a PDF, a Word file and a web page from Discord; /ask and /quote then cite them
 * with page, heading and a link that works. The web page is served by the harness on 127.0.0.1,
 * so this bot may fetch private addresses (WITNESS_FETCH_ALLOW_PRIVATE; off by default).
 */
let harness: Harness;
const FORMATS = path.join(PROJECT_ROOT, 'test', 'fixtures', 'formats');
const LIBRARY_URL = 'https://library.example.org/witness/';
const STRING = 3;
const SUBCOMMAND = 1;
const ATTACHMENT = 11;

beforeAll(async () => {
  harness = await startHarness({ env: { WITNESS_FETCH_ALLOW_PRIVATE: 'true', WITNESS_LIBRARY_URL: LIBRARY_URL } });
  const registered = await runScript(harness, 'scripts/register-commands.ts');
  expect(registered.code, registered.stderr).toBe(0);
  await startBot(harness);
});

afterAll(async () => {
  if (harness) await stopHarness(harness);
});

let attachmentId = 5000;

async function addFile(userId: string, name: string, bytes: Buffer, contentType: string): Promise<InteractionOutcome> {
  attachmentId++;
  const id = String(attachmentId);
  harness.files.set(name, bytes);
  const url = harness.filesBase + encodeURIComponent(name);
  const interaction = await slash(harness, userId, 'library', [{ name: 'add', type: SUBCOMMAND, options: [{ name: 'file', type: ATTACHMENT, value: id }] }], {
    attachments: { [id]: { id, filename: name, size: bytes.length, url, proxy_url: url, content_type: contentType } },
  });
  return outcome(harness, interaction, 120_000);
}

async function addUrl(userId: string, url: string): Promise<InteractionOutcome> {
  return outcome(harness, await slash(harness, userId, 'library', [{ name: 'add', type: SUBCOMMAND, options: [{ name: 'url', type: STRING, value: url }] }]), 120_000);
}

const fixture = (relative: string): Buffer => readFileSync(path.join(FORMATS, relative));
const uploaded = (name: string): boolean => existsSync(path.join(harness.serversDir, harness.twin.guildId, 'corpus', 'uploads', name));
const everything = (result: InteractionOutcome): string => JSON.stringify(result.message?.embeds ?? []);

describe('/library add with PDFs, Word files and web pages', () => {
  it('adds a PDF, and /quote and /ask cite its page with a link that opens the PDF there', async () => {
    const moderator = await newUser(harness, 'mod');
    const added = await addFile(moderator, 'trt-mosul.pdf', fixture('pdf/000_93204e62e34d1ad1.pdf'), 'application/pdf');
    expect(added.message?.content).toMatch(/^Added “Residents of Mosul may face a horrific future[^”]*” to this server's library as uploads\/trt-mosul\.pdf \(2 pages, \d+ paragraphs\)\./u);
    const found = await outcome(harness, await slash(harness, moderator, 'quote', [{ name: 'text', type: STRING, value: 'around 1 million civilians are trapped' }]));
    const fields = everything(found);
    expect(fields).toContain('p. 2');
    expect(fields).toContain(`(${LIBRARY_URL}uploads/trt-mosul.pdf#page=2)`);
    const asked = await outcome(harness, await slash(harness, moderator, 'ask', [{ name: 'question', type: STRING, value: 'How many civilians are trapped in Mosul?' }]), 120_000);
    expect(everything(asked)).toContain(`${LIBRARY_URL}uploads/trt-mosul.pdf#page=2`);
  });

  it('adds a Word file, cited under its heading', async () => {
    const moderator = await newUser(harness, 'mod');
    const added = await addFile(moderator, 'aljazeera.docx', fixture('docx/004_2fa897a6bb32e4bf.docx'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(added.message?.content).toMatch(/^Added “Photos released of Iraq 'mass execution'” to this server's library as uploads\/aljazeera\.docx/u);
    const found = await outcome(harness, await slash(harness, moderator, 'quote', [{ name: 'text', type: STRING, value: 'cheif military spokesman' }]));
    const fields = everything(found);
    expect(fields).toContain('under “Photo authenticity”');
    // A Word file cannot be opened at a place: it is linked as a whole.
    expect(fields).toContain(`(${LIBRARY_URL}uploads/aljazeera.docx)`);
  });

  it('adds a web page by url:, cited at the address it was fetched from with the words highlighted, and the link works', async () => {
    const moderator = await newUser(harness, 'mod');
    harness.files.set('news/iraq-photos.html', fixture('html/004_2fa897a6bb32e4bf.html'));
    const pageUrl = `${harness.filesBase}news/iraq-photos.html`;
    const added = await addUrl(moderator, pageUrl);
    expect(added.message?.content, JSON.stringify(added.message)).toMatch(/^Added “Photos released of Iraq 'mass execution'” to this server's library as uploads\/127-0-0-1-files-news-iraq-photos\.html/u);
    const found = await outcome(harness, await slash(harness, moderator, 'quote', [{ name: 'text', type: STRING, value: 'suspended hours later' }]));
    const link = /\((http:\/\/127\.0\.0\.1:\d+\/files\/news\/iraq-photos\.html#:~:text=[^)]+)\)/u.exec(everything(found))?.[1];
    expect(link).toBeDefined();
    const response = await fetch((link as string).split('#')[0] as string);
    expect(response.status).toBe(200);
  });

  it('adds a scanned PDF, read by OCR with a warning that says so, and finds its words with their page', async () => {
    const moderator = await newUser(harness, 'mod');
    const added = await addFile(moderator, 'scan-001.pdf', fixture('scan/001_f9e13c605d763562.pdf'), 'application/pdf');
    expect(added.message?.content).toMatch(/^Added “[^”]+” to this server's library as uploads\/scan-001\.pdf \(2 pages, \d+ paragraphs\)\./u);
    expect(added.message?.content).toMatch(/Warning for uploads\/scan-001\.pdf: the PDF has no text layer: its 2 scanned pages were read by OCR/u);
    // OCR takes seconds a page: the reply showed the pages as they were read, then the answer replaced it (no second message).
    const edits = added.requests.filter((r) => r.method === 'PATCH').map((r) => JSON.stringify(r.body));
    expect(edits.some((body) => body.includes('Reading scan-001.pdf: page 1 of 2'))).toBe(true);
    expect(added.requests.filter((r) => r.method === 'POST' && r.path.includes('/webhooks/'))).toEqual([]);
    const found = await outcome(harness, await slash(harness, moderator, 'quote', [{ name: 'text', type: STRING, value: 'left at least 1,566 Shia cadets dead' }]));
    const scan = found.message?.embeds.find((embed) => embed.footer?.text.startsWith('uploads/scan-001.pdf'));
    expect(scan?.fields?.[0]?.value).toMatch(/p\. [12], read by OCR from a scan/u);
  });

  it("answers a member's question while a long document is still being added, from the library as it was", async () => {
    const moderator = await newUser(harness, 'mod');
    const member = await newUser(harness, 'member', '1024');
    // About 4,000 passages and sentences, each different: several seconds of embedding even for a
    // quick add (passages first), shown as progress.
    const towns = ['Alder', 'Birch', 'Cedar', 'Damson', 'Elder', 'Fir', 'Gorse', 'Hazel'];
    const paragraphs = Array.from({ length: 400 }, (_, p) =>
      Array.from({ length: 9 }, (_, s) => `Ledger ${String(p)}.${String(s)}: the ${towns[(p + s) % 8] as string} ferry carried ${String(17 * p + 3 * s + 11)} passengers and ${String(5 * s + p)} crates of grain on day ${String(p * 9 + s)}.`).join(' '),
    );
    const bytes = Buffer.from(`Ferry Ledgers\n\n${paragraphs.join('\n\n')}\n`);
    attachmentId++;
    const id = String(attachmentId);
    harness.files.set('ledgers.txt', bytes);
    const url = harness.filesBase + 'ledgers.txt';
    const adding = await slash(harness, moderator, 'library', [{ name: 'add', type: SUBCOMMAND, options: [{ name: 'file', type: ATTACHMENT, value: id }] }], {
      attachments: { [id]: { id, filename: 'ledgers.txt', size: bytes.length, url, proxy_url: url, content_type: 'text/plain' } },
    });
    const channel = harness.twin.channel(CHANNEL_ID);
    const reply = async (): Promise<string> => {
      const messageId = (await channel.getInteractionResponse(adding.id))?.messageId;
      return (await channel.getMessages()).find((m) => m.id === messageId)?.content ?? '';
    };
    const deadline = Date.now() + 120_000;
    while (!(await reply()).startsWith('Reading the document into the library')) {
      if (Date.now() > deadline) throw new Error(`no progress shown; last: ${await reply()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const asked = await outcome(harness, await slash(harness, member, 'ask', [{ name: 'question', type: STRING, value: 'How many civilians are trapped in Mosul?' }]), 120_000);
    expect(everything(asked)).toContain('1 million civilians');
    // Answered while the add was still under way: its reply still shows progress.
    expect(await reply()).toMatch(/^Reading the document into the library/u);
    const added = await outcome(harness, adding, 300_000);
    expect(added.message?.content).toMatch(/^Added “ledgers” to this server's library as uploads\/ledgers\.txt \(400 paragraphs\)/u);
    // Answerable once its passages are embedded; its sentences are indexed after the reply.
    expect(added.message?.content).toContain('It can be asked about now. Its sentences are still being indexed');
    const finished = Date.now() + 300_000;
    while (!harness.logs.some((line) => line.includes('sentences of added documents indexed'))) {
      if (Date.now() > finished) throw new Error('the sentences of the added document were not indexed');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('refuses bad files and bad addresses with the reason, and saves nothing', async () => {
    const moderator = await newUser(harness, 'mod');
    const encrypted = await addFile(moderator, 'locked.pdf', fixture('bad/encrypted.pdf'), 'application/pdf');
    expect(encrypted.message?.content).toBe('The file cannot be added: the PDF is encrypted (password-protected); remove the password and add it again. Nothing was saved.');
    expect(uploaded('locked.pdf')).toBe(false);
    const scanned = await addFile(moderator, 'scan.pdf', fixture('bad/scanned.pdf'), 'application/pdf');
    expect(scanned.message?.content).toContain('no text layer (a scanned document?) and OCR could not read it with confidence');
    const bomb = await addFile(moderator, 'bomb.docx', fixture('bad/zip-bomb.docx'), 'application/octet-stream');
    expect(bomb.message?.content).toContain('zip bomb');
    const lying = await addFile(moderator, 'photo.pdf', fixture('bad/lying.pdf'), 'application/pdf');
    expect(lying.message?.content).toContain('named as a PDF but its content is PNG');
    expect((await addUrl(moderator, 'file:///etc/passwd')).message?.content).toBe('The page cannot be added: only http and https addresses can be fetched. Nothing was saved.');
    harness.files.set('news/login.html', fixture('bad/no-article.html'));
    expect((await addUrl(moderator, `${harness.filesBase}news/login.html`)).message?.content).toContain('no article found on the web page');
    const neither = await outcome(harness, await slash(harness, moderator, 'library', [{ name: 'add', type: SUBCOMMAND, options: [] }]));
    expect(neither.message?.content).toContain('Give either a file or a url');
    // The library still answers.
    const asked = await outcome(harness, await slash(harness, moderator, 'ask', [{ name: 'question', type: STRING, value: 'Which town did the rebels capture near the Syrian border?' }]), 120_000);
    expect(everything(asked)).toContain('Tal Afar');
  });
});
