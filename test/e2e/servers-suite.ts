import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InteractionType } from 'discord.js';
import { freePort } from '../helpers/ports.js';
import { startSolrCluster, type SolrCluster } from '../helpers/solr-cluster.js';
import {
  autocomplete,
  CHANNEL_B,
  CHANNEL_ID,
  click,
  DM_CHANNEL,
  dmSlash,
  GUILD_A,
  GUILD_B,
  newUser,
  outcome,
  runScript,
  slash,
  startBot,
  startHarness,
  stopHarness,
  type Harness,
  type InteractionOutcome,
  type Where,
} from './harness.js';

/**
 * One bot in two servers (A and B) and a DM: what a server's moderators add stays in that server.
 * The real bot, the real model and the real indexes on disk, against the Discord twin; with the
 * embedded store (servers.e2e.test.ts) and with every library in one Solr collection, scoped by
 * server (servers-solr.e2e.test.ts). The same tests pass on both.
 */
export function serversSuite(store: 'embedded' | 'solr'): void {
let harness: Harness;
let ready: Record<string, unknown>;
let cluster: SolrCluster | null = null;

const A: Where = { guildId: GUILD_A, channelId: CHANNEL_ID };
const B: Where = { guildId: GUILD_B, channelId: CHANNEL_B };
const STRING = 3;
const BOOLEAN = 5;
const SUBCOMMAND = 1;
const ATTACHMENT = 11;

const LEDGER = 'The Lighthouse Ledger\n\nThe keeper of the Orla lighthouse logged thirty-seven shipwreck survivors rescued during the winter of the great gale.\n';
const LEDGER_QUESTION = 'How many shipwreck survivors did the keeper of the Orla lighthouse rescue?';
const ORCHARD = 'The Orchard Almanac\n\nThe Brenmoor orchard harvested nine hundred crates of quince after the late frost spared the eastern rows.\n';
const ORCHARD_QUESTION = 'How many crates of quince did the Brenmoor orchard harvest?';
/** On the base library's subject (the bundled articles), in no server's own documents. */
const BASE_QUESTION = 'Which town near the Syrian border did the rebels capture?';

let moderatorA: string;
let moderatorB: string;
let memberBoth: string;
let attachment = 700;

beforeAll(async () => {
  let env: Record<string, string> = { WITNESS_OPS_PORT: String(await freePort()), WITNESS_COOLDOWN_SECONDS: '0' };
  if (store === 'solr') {
    cluster = await startSolrCluster();
    env = { ...env, WITNESS_STORE: 'solr', WITNESS_SOLR_URL: cluster.nodes.join(','), WITNESS_SOLR_COLLECTION: cluster.collection };
  }
  harness = await startHarness({ servers: 2, env });
  const registered = await runScript(harness, 'scripts/register-commands.ts');
  expect(registered.code, registered.stderr).toBe(0);
  ready = await startBot(harness);
  moderatorA = await newUser(harness, 'modA', null, [GUILD_A]);
  moderatorB = await newUser(harness, 'modB', null, [GUILD_B]);
  // A member of both servers, without Manage Server.
  memberBoth = await newUser(harness, 'member', '1024', [GUILD_A, GUILD_B]);
});

afterAll(async () => {
  if (harness) await stopHarness(harness);
  await cluster?.stop();
});

async function run(where: Where, userId: string, name: string, options: Parameters<typeof slash>[3] = [], resolved?: Record<string, unknown>): Promise<InteractionOutcome> {
  return outcome(harness, await slash(harness, userId, name, options, resolved, where), 60_000, where.channelId);
}

async function add(where: Where, userId: string, name: string, text: string): Promise<InteractionOutcome> {
  attachment++;
  const id = String(attachment);
  harness.files.set(name, Buffer.from(text));
  const url = harness.filesBase + encodeURIComponent(name);
  return run(where, userId, 'library', [{ name: 'add', type: SUBCOMMAND, options: [{ name: 'file', type: ATTACHMENT, value: id }] }], {
    attachments: { [id]: { id, filename: name, size: Buffer.byteLength(text), url, proxy_url: url, content_type: 'text/plain' } },
  });
}

/** Everything a reply shows: its text, embed titles, descriptions, fields and footers. */
function shown(result: InteractionOutcome): string {
  const message = result.message;
  if (!message) return JSON.stringify(result.data ?? {});
  // The question's own words are echoed back: what matters is what the library gave.
  const content = message.content.split('\n').filter((line) => !line.startsWith('**Question:**')).join('\n');
  return [content, ...message.embeds.flatMap((e) => [e.title, e.description, e.footer?.text, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])].join('\n');
}

/** The choices an autocomplete offered. */
async function choices(where: Where, userId: string, name: string, options: Parameters<typeof autocomplete>[3]): Promise<{ name: string; value: string }[]> {
  const interaction = await autocomplete(harness, userId, name, options, where);
  const result = await outcome(harness, interaction, 60_000, where.channelId);
  return ((result.data as { choices?: { name: string; value: string }[] } | null)?.choices ?? []);
}

const serverFile = (guildId: string, name: string): string => path.join(harness.serversDir, guildId, 'corpus', 'uploads', name);

describe('a library per server', () => {
  it("adds a document to server A's own folder, never to the base library", async () => {
    const added = await add(A, moderatorA, 'lighthouse-ledger.txt', LEDGER);
    expect(added.message?.content).toMatch(/^Added “The Lighthouse Ledger” to this server's library as uploads\/lighthouse-ledger\.txt/u);
    expect(existsSync(serverFile(GUILD_A, 'lighthouse-ledger.txt'))).toBe(true);
    expect(existsSync(path.join(harness.corpusDir, 'uploads', 'lighthouse-ledger.txt'))).toBe(false);
    const logged = harness.logs.find((line) => line.includes('"change":"add"'));
    expect(logged).toContain(`"guildId":"${GUILD_A}"`);
    expect(logged).toContain(`"userId":"${moderatorA}"`);
    expect(logged).toContain('"sourceId":"uploads/lighthouse-ledger.txt"');
  });

  it('server A quotes it, cited as this server’s library; the base library is still searched there', async () => {
    const answer = await run(A, memberBoth, 'ask', [{ name: 'question', type: STRING, value: LEDGER_QUESTION }]);
    const first = answer.message?.embeds[0];
    expect(first?.description).toContain('thirty-seven shipwreck survivors');
    expect(first?.fields?.[0]?.value).toContain("this server's library");
    const base = await run(A, memberBoth, 'ask', [{ name: 'question', type: STRING, value: BASE_QUESTION }]);
    expect(base.message?.embeds[0]?.fields?.[0]?.value).toContain('base library');
  });

  it('server B and a DM never quote, list, autocomplete or find it', async () => {
    const texts: string[] = [];
    texts.push(shown(await run(B, memberBoth, 'ask', [{ name: 'question', type: STRING, value: LEDGER_QUESTION }])));
    texts.push(shown(await run(B, memberBoth, 'sources')));
    const quoted = shown(await run(B, memberBoth, 'quote', [{ name: 'text', type: STRING, value: 'thirty-seven shipwreck survivors' }]));
    expect(quoted).toContain('This wording does not occur in the library');
    texts.push(shown(await run(B, memberBoth, 'source', [{ name: 'document', type: STRING, value: 'server:uploads/lighthouse-ledger.txt' }])));
    const message = await harness.twin.simulateUserMessage({ channelId: CHANNEL_B, userId: memberBoth, content: 'The Orla lighthouse keeper rescued thirty-seven shipwreck survivors.' });
    const command = await harness.twin.prisma.applicationCommand.findFirst({ where: { name: 'Find sources' } });
    const find = await harness.twin.simulateInteraction({
      type: InteractionType.ApplicationCommand,
      channelId: CHANNEL_B,
      guildId: GUILD_B,
      userId: moderatorB,
      data: { id: command?.id, name: 'Find sources', type: 3, target_id: message.id, resolved: { messages: { [message.id]: message } } },
    });
    texts.push(shown(await outcome(harness, find, 60_000, CHANNEL_B)));
    const inDm = shown(await outcome(harness, await dmSlash(harness, memberBoth, 'ask', [{ name: 'question', type: STRING, value: LEDGER_QUESTION }]), 60_000, DM_CHANNEL));
    // A DM searches the base library alone: it answers, from the bundled articles or not at all.
    expect(inDm).toMatch(/Verbatim excerpts|does not answer/u);
    texts.push(inDm);
    const dmBase = shown(await outcome(harness, await dmSlash(harness, memberBoth, 'ask', [{ name: 'question', type: STRING, value: BASE_QUESTION }]), 60_000, DM_CHANNEL));
    expect(dmBase).toContain('base library');
    texts.push(shown(await outcome(harness, await dmSlash(harness, memberBoth, 'sources'), 60_000, DM_CHANNEL)));
    for (const text of texts) {
      expect(text).not.toContain('Orla');
      expect(text).not.toContain('Lighthouse Ledger');
      expect(text).not.toContain('lighthouse-ledger');
    }
    for (const [name, options] of [
      ['quote', [{ name: 'text', type: STRING, value: 'Orla light', focused: true }]],
      ['source', [{ name: 'document', type: STRING, value: 'Lighthouse', focused: true }]],
      ['library', [{ name: 'remove', type: SUBCOMMAND, options: [{ name: 'document', type: STRING, value: 'Lighthouse', focused: true }] }]],
    ] as const) {
      expect(await choices(B, name === 'library' ? moderatorB : memberBoth, name, [...options] as Parameters<typeof autocomplete>[3])).toEqual([]);
    }
    // In A the same suggestions do offer it.
    expect((await choices(A, memberBoth, 'source', [{ name: 'document', type: STRING, value: 'Lighthouse', focused: true }])).map((c) => c.value)).toContain('server:uploads/lighthouse-ledger.txt');
  });

  it("a moderator of B can neither remove nor reindex A's documents", async () => {
    const removal = await run(B, moderatorB, 'library', [{ name: 'remove', type: SUBCOMMAND, options: [{ name: 'document', type: STRING, value: 'uploads/lighthouse-ledger.txt' }] }]);
    expect(removal.message?.content).toContain("That document is not in this server's library");
    const reindex = await run(B, moderatorB, 'library', [{ name: 'reindex', type: SUBCOMMAND }]);
    expect(reindex.message?.content).toContain("This server's library has no documents yet");
    expect(existsSync(serverFile(GUILD_A, 'lighthouse-ledger.txt'))).toBe(true);
    // Members without Manage Server cannot change A's library either.
    const member = await run(A, memberBoth, 'library', [{ name: 'list', type: SUBCOMMAND }]);
    expect(member.message?.content).toContain('Only moderators');
  });

  it('with the base library off, B answers only from its own documents', async () => {
    expect((await add(B, moderatorB, 'orchard-almanac.txt', ORCHARD)).message?.content).toMatch(/^Added “The Orchard Almanac”/u);
    const off = await run(B, moderatorB, 'library', [{ name: 'settings', type: SUBCOMMAND, options: [{ name: 'base', type: BOOLEAN, value: false }] }]);
    expect(off.message?.content).toContain('The base library is turned off in this server');
    const listed = await run(B, moderatorB, 'library', [{ name: 'list', type: SUBCOMMAND }]);
    expect(listed.message?.content).toContain("This server's library: 1 of 100 documents");
    expect(listed.message?.content).toContain('turned off here');
    expect(listed.message?.content).toContain('Orchard Almanac');
    const own = await run(B, memberBoth, 'ask', [{ name: 'question', type: STRING, value: ORCHARD_QUESTION }]);
    expect(own.message?.embeds[0]?.description).toContain('nine hundred crates of quince');
    const base = await run(B, memberBoth, 'ask', [{ name: 'question', type: STRING, value: BASE_QUESTION }]);
    for (const embed of base.message?.embeds ?? []) expect(embed.footer?.text ?? '').toMatch(/^uploads\/orchard-almanac\.txt/u);
    const sources = shown(await run(B, memberBoth, 'sources'));
    expect(sources).toContain('The library: 1 document');
    // A still searches the base library, and never sees B's orchard.
    const inA = await run(A, memberBoth, 'ask', [{ name: 'question', type: STRING, value: BASE_QUESTION }]);
    expect(inA.message?.embeds[0]?.fields?.[0]?.value).toContain('base library');
    expect(shown(await run(A, memberBoth, 'ask', [{ name: 'question', type: STRING, value: ORCHARD_QUESTION }]))).not.toContain('Brenmoor');
  });

  it("/library remove in A, confirmed, takes the document out of A's answers at once and off the disk", async () => {
    const offered = await choices(A, moderatorA, 'library', [{ name: 'remove', type: SUBCOMMAND, options: [{ name: 'document', type: STRING, value: 'ledger', focused: true }] }]);
    expect(offered.map((c) => c.value)).toEqual(['uploads/lighthouse-ledger.txt']);
    const asked = await run(A, moderatorA, 'library', [{ name: 'remove', type: SUBCOMMAND, options: [{ name: 'document', type: STRING, value: 'uploads/lighthouse-ledger.txt' }] }]);
    expect(asked.message?.content).toContain('Remove “The Lighthouse Ledger”');
    const confirm = (asked.message?.components?.[0] as { components: { custom_id: string }[] } | undefined)?.components[0]?.custom_id as string;
    expect(confirm).toMatch(/^library:remove:/u);
    // Another moderator's click (in B) is refused.
    const foreign = await outcome(harness, await click(harness, moderatorB, asked.message?.id as string, confirm, B), 60_000, CHANNEL_B);
    expect(shown(foreign)).toContain('has expired or is not yours');
    await outcome(harness, await click(harness, moderatorA, asked.message?.id as string, confirm, A));
    // The click is acknowledged at once; the prompt is then replaced by the result.
    let content = '';
    for (const deadline = Date.now() + 30_000; !content.includes('Removed') && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
      content = (await harness.twin.channel(CHANNEL_ID).getMessages()).find((m) => m.id === asked.message?.id)?.content ?? '';
    }
    expect(content).toContain('Removed “The Lighthouse Ledger”');
    expect(existsSync(serverFile(GUILD_A, 'lighthouse-ledger.txt'))).toBe(false);
    expect(shown(await run(A, memberBoth, 'ask', [{ name: 'question', type: STRING, value: LEDGER_QUESTION }]))).not.toContain('Orla');
    expect(harness.logs.some((line) => line.includes('"change":"remove"') && line.includes(`"guildId":"${GUILD_A}"`))).toBe(true);
  });

  it('/metrics counts open libraries and documents per server, naming no server and no document', async () => {
    const response = await fetch(`http://127.0.0.1:${String(ready.opsPort)}/metrics`);
    const text = await response.text();
    expect(text).toMatch(/^witness_open_libraries 3$/mu);
    expect(text).toMatch(/^witness_server_library_documents 1$/mu);
    expect(text).toMatch(/^witness_documents_per_server_count 2$/mu);
    expect(text).toMatch(/^witness_interactions_total\{command="library",outcome="ok"\} [1-9]/mu);
    for (const secret of [GUILD_A, GUILD_B, 'Orchard', 'orchard-almanac', 'quince']) expect(text).not.toContain(secret);
  });
});
}
