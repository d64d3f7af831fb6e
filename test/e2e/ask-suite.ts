import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InteractionType, type APIEmbed } from 'discord.js';
import { ELLIPSIS, embedLength, LIMITS, unescapeText } from '../../src/discord/format.js';
import { foldPhrase } from '../../src/search/find-phrase.js';
import { freePort } from '../helpers/ports.js';
import { startSolrCluster, type SolrCluster } from '../helpers/solr-cluster.js';
import { startTcpRelay, type TcpRelay } from '../helpers/tcp-relay.js';
import { autocomplete, CHANNEL_ID, click, corpusText, newUser, outcome, runScript, slash, startBot, startHarness, stopHarness, userObject, type Harness, type InteractionOutcome } from './harness.js';

export interface AskSuite {
  readonly harness: Harness;
  /** The local SolrCloud the bot searches (store 'solr'). */
  readonly cluster: SolrCluster | null;
  /** The bot reaches each Solr node through one of these, so a test can cut the network. */
  readonly relays: TcpRelay[];
}

/**
 * One real bot (`src/bot.ts`) on the bundled corpus, logged in to the Discord twin, for every
 * test of the calling file: with the embedded store (ask.e2e.test.ts), or with its passages in a
 * real 2-node SolrCloud, 2 shards × 2 replicas (ask-solr.e2e.test.ts). The same tests must pass
 * on both.
 */
export function askSuite(store: 'embedded' | 'solr'): AskSuite {
  let harness: Harness;
  let ready: Record<string, unknown>;
  let cluster: SolrCluster | null = null;
  const relays: TcpRelay[] = [];

  beforeAll(async () => {
    // The operator's port (/healthz, /metrics) is on for this suite: it is scraped below.
    let env: Record<string, string> = { WITNESS_OPS_PORT: String(await freePort()) };
    if (store === 'solr') {
      cluster = await startSolrCluster();
      for (const node of cluster.nodes) relays.push(await startTcpRelay(node));
      env = { ...env, WITNESS_STORE: 'solr', WITNESS_SOLR_URL: relays.map((relay) => relay.url).join(','), WITNESS_SOLR_COLLECTION: cluster.collection };
    }
    harness = await startHarness({ env });
    const registered = await runScript(harness, 'scripts/register-commands.ts');
    expect(registered.code, registered.stderr).toBe(0);
    expect(registered.stdout).toContain('Registered 7 commands');
    ready = await startBot(harness);
  });

  afterAll(async () => {
    if (harness) await stopHarness(harness);
    for (const relay of relays) await relay.close();
    await cluster?.stop();
  });

  const STRING = 3;
  const INTEGER = 4;
  const BOOLEAN = 5;
  const USER = 6;
  const EPHEMERAL = 64;

  function lastBody(result: InteractionOutcome): Record<string, unknown> {
    const bodies = result.requests.map((r) => r.body as Record<string, unknown>).filter(Boolean);
    const last = bodies[bodies.length - 1] as Record<string, unknown>;
    return (last.data as Record<string, unknown> | undefined) ?? last;
  }

  /** The quote an embed shows, with the formatter's markup (block quote or spoiler, escapes) removed. */
  function shownQuote(embed: APIEmbed): string {
    const description = embed.description ?? '';
    const spoiler = /^\*\*Content warning:\*\* [^\n]+\n\|\|([\s\S]*)\|\|$/u.exec(description);
    return unescapeText(spoiler ? (spoiler[1] as string) : description.replace(/^> /gmu, ''));
  }

  /** Checks an embed's quote against the corpus file and offsets named in its footer: exact, or an exact prefix + "…". */
  function expectVerbatim(embed: APIEmbed): string {
    const footer = /^(\S+) · characters (\d+)–(\d+)/u.exec(embed.footer?.text ?? '');
    expect(footer, embed.footer?.text).not.toBeNull();
    const [, sourceId, start, end] = footer as RegExpExecArray;
    const original = corpusText(harness, sourceId as string).slice(Number(start), Number(end));
    const shown = shownQuote(embed);
    if (shown.endsWith(ELLIPSIS) && shown !== original) expect(original.startsWith(shown.slice(0, -1))).toBe(true);
    else expect(shown).toBe(original);
    return original;
  }

  function customIds(result: InteractionOutcome): string[] {
    return (result.message?.components ?? []).flatMap((row) => ('components' in row ? row.components.map((c) => ('custom_id' in c ? c.custom_id : '')) : []));
  }

  async function ask(user: string, question: string, extra: { name: string; type: number; value: string | number | boolean }[] = [], resolved?: Record<string, unknown>): Promise<InteractionOutcome> {
    return outcome(harness, await slash(harness, user, 'ask', [{ name: 'question', type: STRING, value: question }, ...extra], resolved));
  }

  describe('start-up', () => {
    it('logs one structured ready line with counts, and registers every command', async () => {
      expect(ready).toMatchObject({ event: 'ready', guilds: 1, commands: 7, documents: 5 });
      // A /library add embeds on one model session per core unless WITNESS_EMBED_THREADS says otherwise.
      expect(ready.embedThreads).toBe(availableParallelism());
      expect(ready.passages).toBeGreaterThan(20);
      expect(harness.logs.filter((line) => line.includes('"event":"ready"'))).toHaveLength(1);
      const commands = await harness.twin.prisma.applicationCommand.findMany({ where: { guildId: harness.twin.guildId } });
      expect(commands.map((c) => c.name).sort()).toEqual(['Find sources', 'ask', 'help', 'library', 'quote', 'source', 'sources']);
      expect(harness.logs.join('\n')).not.toContain(harness.env.DISCORD_TOKEN);
    });
  });

  describe('the operator’s port (WITNESS_OPS_PORT)', () => {
    const get = async (path: string): Promise<{ status: number; text: string }> => {
      const response = await fetch(`http://127.0.0.1:${String(ready.opsPort)}${path}`);
      return { status: response.status, text: await response.text() };
    };

    it('answers /healthz once logged in with the library loaded, on loopback only', async () => {
      expect(ready.opsPort).toBe(Number(harness.env.WITNESS_OPS_PORT));
      expect(await get('/healthz')).toEqual({ status: 200, text: '{"status":"ready"}' });
      expect((await get('/nothing')).status).toBe(404);
    });

    it('counts interactions by command and outcome in /metrics, with no user’s words and no library contents', async () => {
      const question = 'Which town near the Syrian border did the rebels capture?';
      await ask(await newUser(harness), question);
      await ask(await newUser(harness), '?!?');
      const { status, text } = await get('/metrics');
      expect(status).toBe(200);
      expect(text).toMatch(/^witness_interactions_total\{command="ask",outcome="ok"\} [1-9]/mu);
      expect(text).toMatch(/^witness_interactions_total\{command="ask",outcome="user_error"\} [1-9]/mu);
      expect(text).toMatch(/^witness_answer_seconds_count\{command="ask"\} [2-9]/mu);
      expect(text).toMatch(/^witness_ack_seconds_bucket\{le="3",command="ask"\} [1-9]/mu);
      expect(text).toMatch(/^witness_open_libraries 1$/mu);
      expect(text).toMatch(/^witness_base_library_documents 5$/mu);
      expect(text).toMatch(/^witness_queue_depth 0$/mu);
      expect(text).toMatch(/^witness_store_errors_total 0$/mu);
      expect(text).not.toContain('Syrian');
      expect(text).not.toContain('Tal Afar');
    });
  });

  describe('/ask', () => {
    let first: InteractionOutcome;
    let asker: string;

    beforeAll(async () => {
      asker = await newUser(harness);
      first = await ask(asker, 'Who is accused of torturing children in Mosul?');
    });

    it('defers, then edits the reply into verbatim quotes with citations and buttons', () => {
      expect(first.type).toBe(5);
      expect(first.data).toEqual({ flags: 0 });
      expect(first.requests.map((r) => r.method)).toEqual(['POST', 'PATCH']);
      const message = first.message;
      expect(message?.content).toContain('**Question:** Who is accused of torturing children in Mosul?');
      expect(message?.embeds.length).toBe(3);
      for (const embed of message?.embeds ?? []) {
        expectVerbatim(embed);
        expect(embed.fields?.[0]?.value).toMatch(/paragraph \d+/u);
        expect(embed.fields?.[0]?.value).toContain(`**${(embed.title ?? '').replace(/^\d+\. /u, '')}**`);
      }
      expect(customIds(first).map((id) => id.split(':')[1])).toEqual(['more', 'para', 'cite']);
      expect(lastBody(first).allowed_mentions).toEqual({ parse: [], users: [], roles: [], replied_user: false });
    });

    it('shows graphic passages behind spoiler bars with a content warning', () => {
      const warned = first.message?.embeds.filter((embed) => embed.description?.startsWith('**Content warning:**')) ?? [];
      expect(warned.length).toBeGreaterThan(0);
      expect(warned[0]?.description).toMatch(/\n\|\|[\s\S]+\|\|$/u);
    });

    it('More results turns the page of the asker’s message; others get the page privately', async () => {
      // One result a page, so the results close enough to the first to be shown fill more than one.
      const pager = await newUser(harness);
      const paged = await ask(pager, 'Who is accused of torturing children in Mosul?', [{ name: 'results', type: INTEGER, value: 1 }]);
      expect(paged.message?.content).toMatch(/Verbatim excerpts 1–1 of (?:[2-9]|[1-9]\d)\b/u);
      const more = customIds(paged)[0] as string;
      const turned = await outcome(harness, await click(harness, pager, paged.message?.id as string, more));
      expect(turned.type).toBe(7);
      expect(turned.message?.id).toBe(paged.message?.id);
      expect(turned.message?.content).toContain('Verbatim excerpts 2–2 of');
      for (const embed of turned.message?.embeds ?? []) expectVerbatim(embed);
      const other = await newUser(harness);
      const privately = await outcome(harness, await click(harness, other, paged.message?.id as string, more));
      expect(privately.type).toBe(4);
      expect(privately.data?.flags).toBe(EPHEMERAL);
    });

    it('Full paragraph shows the whole paragraphs privately', async () => {
      const para = customIds(first).find((id) => id.startsWith('ask:para:')) as string;
      const result = await outcome(harness, await click(harness, asker, first.message?.id as string, para));
      expect(result.type).toBe(4);
      expect(result.data?.flags).toBe(EPHEMERAL);
      const embeds = result.message?.embeds ?? [];
      expect(embeds.length).toBeGreaterThan(0);
      for (const embed of embeds) {
        expect(embed.title).toMatch(/ — paragraph \d+$/u);
        const text = shownQuote(embed);
        const corpus = ['000_93204e62e34d1ad1.txt', '001_f9e13c605d763562.txt', '002_7164e3e001d81504.txt', '003_4bbc032d74fe67a6.txt', '004_2fa897a6bb32e4bf.txt'].map((id) => corpusText(harness, id)).join('\n');
        expect(corpus).toContain(text.endsWith(ELLIPSIS) ? text.slice(0, -1) : text);
      }
    });

    it('Cite gives a plain-text citation, ready to paste, privately', async () => {
      const cite = customIds(first).find((id) => id.startsWith('ask:cite:')) as string;
      const result = await outcome(harness, await click(harness, asker, first.message?.id as string, cite));
      expect(result.data?.flags).toBe(EPHEMERAL);
      const content = result.message?.content ?? '';
      expect(content.startsWith('```text\n“')).toBe(true);
      expect(content).toMatch(/paragraph \d+, base library\./u);
      // The page shown is the second one now; its first quote is cited verbatim.
      const quotes = [...content.matchAll(/“([^”]*)” — /gu)].map((m) => m[1] as string);
      expect(quotes.length).toBeGreaterThan(0);
    });

    it('hide:true answers privately and offers Post to channel, which only the asker may use', async () => {
      const user = await newUser(harness);
      const hidden = await ask(user, 'What did Amnesty International say about revenge attacks?', [{ name: 'hide', type: BOOLEAN, value: true }]);
      expect(hidden.type).toBe(5);
      expect(hidden.data).toEqual({ flags: EPHEMERAL });
      const post = customIds(hidden).find((id) => id.startsWith('ask:post:')) as string;
      expect(post).toBeDefined();
      const stranger = await outcome(harness, await click(harness, await newUser(harness), hidden.message?.id as string, post));
      expect(stranger.data?.flags).toBe(EPHEMERAL);
      expect(stranger.message?.content).toContain('Only the person who asked');
      const posted = await outcome(harness, await click(harness, user, hidden.message?.id as string, post));
      expect(posted.type).toBe(4);
      expect(posted.data?.flags).toBeUndefined();
      expect(posted.message?.flags ?? 0).toBe(0);
      expect(posted.message?.embeds.map((e) => e.description)).toEqual(hidden.message?.embeds.map((e) => e.description));
      expect(customIds(posted).some((id) => id.startsWith('ask:post:'))).toBe(false);
    });

    it('target mentions exactly that user, and no one else can be pinged', async () => {
      const user = await newUser(harness);
      const target = await newUser(harness, 'target');
      const result = await ask(user, 'What did Human Rights Watch accuse the Iraqi military of?', [{ name: 'target', type: USER, value: target }], { users: { [target]: userObject(target) } });
      expect(result.message?.content.startsWith(`<@${target}> `)).toBe(true);
      expect(lastBody(result).allowed_mentions).toEqual({ parse: [], users: [target], roles: [], replied_user: false });
    });

    it('escapes @everyone, role mentions, masked links and spoilers in the echoed question', async () => {
      const user = await newUser(harness);
      const result = await ask(user, '@everyone <@&1234567890> [click me](https://evil.example) ||boo|| what happened in Mosul?');
      const body = lastBody(result);
      expect(body.allowed_mentions).toEqual({ parse: [], users: [], roles: [], replied_user: false });
      const content = result.message?.content ?? '';
      expect(content).toContain('\\@everyone \\<\\@&1234567890\\> \\[click me\\](https://evil.example) \\|\\|boo\\|\\|');
      expect(result.message?.mention_everyone).toBe(false);
    });

    it('says plainly when the library does not answer, naming the closest sources', async () => {
      const result = await ask(await newUser(harness), 'What is the capital of Australia?');
      const content = result.message?.content ?? '';
      expect(content).toContain('The library does not answer this question');
      expect(content).toMatch(/Closest sources searched: \*\*.+\*\*/u);
      expect(result.message?.embeds).toEqual([]);
    });

    it('says plainly when the library does not state what is asked, and labels the passages shown as related', async () => {
      const result = await ask(await newUser(harness), 'What did General Petraeus say about the militias in Mosul?');
      const content = result.message?.content ?? '';
      expect(content).toContain('**The library does not say this directly** (the library never mentions “petraeus”)');
      expect(content).toMatch(/Related passages 1–\d+ of \d+:/u);
      expect(content).not.toContain('Verbatim excerpts');
      for (const embed of result.message?.embeds ?? []) expectVerbatim(embed);
    });

    it('keeps every message within Discord limits', async () => {
      const result = await ask(await newUser(harness), 'What happened to civilians in Mosul?', [{ name: 'results', type: INTEGER, value: 5 }]);
      const message = result.message;
      expect(message?.embeds.length).toBe(5);
      expect((message?.content ?? '').length).toBeLessThanOrEqual(LIMITS.content);
      expect(message?.embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(LIMITS.embedsTotal);
      for (const embed of message?.embeds ?? []) {
        expect((embed.description ?? '').length).toBeLessThanOrEqual(LIMITS.embedDescription);
        for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
        expectVerbatim(embed);
      }
    });

    it('enforces a per-user cooldown with the time left', async () => {
      const user = await newUser(harness);
      await ask(user, 'What did the soldiers do?');
      const again = await ask(user, 'What did the militias do?');
      expect(again.type).toBe(4);
      expect(again.data?.flags).toBe(EPHEMERAL);
      expect(again.message?.content).toMatch(/^Please wait \d+ s before asking again\.$/u);
    });

    it('turns away a question with no words in it with a friendly private line', async () => {
      const result = await ask(await newUser(harness), '???');
      expect(result.data?.flags).toBe(EPHEMERAL);
      expect(result.message?.content).toContain('no words');
    });

    it('says an answer has expired when its buttons outlive it', async () => {
      const result = await outcome(harness, await click(harness, asker, first.message?.id as string, 'ask:more:gone:1'));
      expect(result.data?.flags).toBe(EPHEMERAL);
      expect(result.message?.content).toContain('expired');
    });
  });

  describe('/quote', () => {
    it('finds every occurrence of a wording, ignoring case and curly vs straight quotes', async () => {
      const result = await outcome(harness, await slash(harness, await newUser(harness), 'quote', [{ name: 'text', type: STRING, value: 'THE CITY’S CHILDREN' }]));
      expect(result.type).toBe(4);
      const content = result.message?.content ?? '';
      expect(content).toMatch(/occurrences? in \d+ documents?/u);
      for (const embed of result.message?.embeds ?? []) {
        const footer = /^(\S+) · characters (\d+)–(\d+)/u.exec(embed.footer?.text ?? '') as RegExpExecArray;
        const match = corpusText(harness, footer[1] as string).slice(Number(footer[2]), Number(footer[3]));
        expect(foldPhrase(match)).toBe(foldPhrase("the city's children"));
        expect(shownQuote(embed)).toContain(match);
      }
    });

    it('says so when the wording does not occur', async () => {
      const result = await outcome(harness, await slash(harness, await newUser(harness), 'quote', [{ name: 'text', type: STRING, value: 'kangaroo parliament' }]));
      expect(result.message?.content).toContain('does not occur in the library');
    });

    it('autocompletes sentences containing what is typed', async () => {
      const result = await outcome(harness, await autocomplete(harness, await newUser(harness), 'quote', [{ name: 'text', type: STRING, value: 'shia milit', focused: true }]));
      expect(result.type).toBe(8);
      const choices = (result.data?.choices ?? []) as { name: string; value: string }[];
      expect(choices.length).toBeGreaterThan(1);
      const library = foldPhrase(['000_93204e62e34d1ad1.txt', '001_f9e13c605d763562.txt', '002_7164e3e001d81504.txt', '003_4bbc032d74fe67a6.txt', '004_2fa897a6bb32e4bf.txt'].map((id) => corpusText(harness, id)).join('\n'));
      for (const choice of choices) {
        expect(choice.name.length).toBeLessThanOrEqual(100);
        expect(foldPhrase(choice.name)).toContain('shia milit');
        expect(library).toContain(foldPhrase(choice.value));
      }
    });
  });

  describe('/sources and /source', () => {
    it('/sources lists the documents', async () => {
      const result = await outcome(harness, await slash(harness, await newUser(harness), 'sources'));
      const embed = result.message?.embeds[0];
      expect(embed?.title).toBe('The library: 5 documents');
      expect(embed?.description?.split('\n')).toHaveLength(5);
      expect(embed?.description).toContain('Photo Evidence of Mass Torture and Executions in Iraq');
      expect(embed?.footer?.text).toContain('Page 1 of 1');
    });

    it('/source autocompletes titles as they are typed', async () => {
      const result = await outcome(harness, await autocomplete(harness, await newUser(harness), 'source', [{ name: 'document', type: STRING, value: 'photo evid', focused: true }]));
      expect(result.data?.choices).toEqual([{ name: 'Photo Evidence of Mass Torture and Executions in Iraq', value: 'base:002_7164e3e001d81504.txt' }]);
    });

    it("/source shows a document's details, or one paragraph verbatim", async () => {
      const user = await newUser(harness);
      const details = await outcome(harness, await slash(harness, user, 'source', [{ name: 'document', type: STRING, value: '002_7164e3e001d81504.txt' }]));
      const embed = details.message?.embeds[0];
      expect(embed?.title).toBe('Photo Evidence of Mass Torture and Executions in Iraq');
      expect(embed?.fields?.map((f) => f.name)).toEqual(['Publisher', 'Date', 'Author', 'Paragraphs', 'File']);
      const paragraph = await outcome(harness, await slash(harness, user, 'source', [{ name: 'document', type: STRING, value: '002_7164e3e001d81504.txt' }, { name: 'paragraph', type: INTEGER, value: 2 }]));
      const shown = shownQuote(paragraph.message?.embeds[0] as APIEmbed);
      expect(corpusText(harness, '002_7164e3e001d81504.txt')).toContain(shown);
      expect(paragraph.message?.embeds[0]?.title).toContain('paragraph 2');
      const missing = await outcome(harness, await slash(harness, user, 'source', [{ name: 'document', type: STRING, value: '002_7164e3e001d81504.txt' }, { name: 'paragraph', type: INTEGER, value: 999 }]));
      expect(missing.data?.flags).toBe(EPHEMERAL);
      expect(missing.message?.content).toMatch(/^That document has paragraphs 1 to \d+\.$/u);
    });
  });

  describe('Find sources (message context menu)', () => {
    it('answers privately with the passages that bear on a chat message', async () => {
      const user = await newUser(harness);
      const message = await harness.twin.simulateUserMessage({ channelId: CHANNEL_ID, userId: user, content: 'Iraqi soldiers tortured children who fled Mosul, apparently.' });
      const command = await harness.twin.prisma.applicationCommand.findFirst({ where: { name: 'Find sources' } });
      const interaction = await harness.twin.simulateInteraction({
        type: InteractionType.ApplicationCommand,
        channelId: CHANNEL_ID,
        userId: await newUser(harness, 'moderator'),
        data: { id: command?.id, name: 'Find sources', type: 3, target_id: message.id, resolved: { messages: { [message.id]: message } } },
      });
      const result = await outcome(harness, interaction);
      expect(result.type).toBe(5);
      expect(result.data).toEqual({ flags: EPHEMERAL });
      expect(result.message?.embeds.length).toBeGreaterThan(0);
      for (const embed of result.message?.embeds ?? []) expectVerbatim(embed);
    });
  });

  describe('/help', () => {
    it('explains the bot and the size of its library, privately', async () => {
      const result = await outcome(harness, await slash(harness, await newUser(harness), 'help'));
      expect(result.data?.flags).toBe(EPHEMERAL);
      const embed = result.message?.embeds[0];
      expect(embed?.description).toContain('/ask question');
      expect(embed?.description).toContain('How answers are chosen');
      expect(embed?.footer?.text).toMatch(/Library: 5 documents, \d+ passages/u);
    });
  });

  return {
    get harness() {
      return harness;
    },
    get cluster() {
      return cluster;
    },
    relays,
  };
}
