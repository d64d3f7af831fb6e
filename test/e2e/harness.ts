import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ChannelType, InteractionType, type APIMessage } from 'discord.js';
import { DigitalDiscord } from 'discord-digital-twin';
import { PROJECT_ROOT } from '../../src/config.js';

/** A twin of Discord, a recording proxy in front of its REST API, and the real bot process logged in to it. */

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
export const CHANNEL_ID = '1100000000000000001';
/** With `servers: 2`: the first server (A) has CHANNEL_ID, the second (B) this channel. */
export const GUILD_A = '1000000000000000001';
export const GUILD_B = '1000000000000000002';
export const CHANNEL_B = '1100000000000000002';
/** The direct-message channel between the bot and a user (dmSlash). */
export const DM_CHANNEL = '1100000000000000009';

/** Which server and channel an interaction comes from (default: the first server's channel). */
export interface Where {
  guildId: string;
  channelId: string;
}
export const BOT_ID = '1200000000000000001';
/** Shaped like a real token; its first part encodes the bot's id, as Discord's do. */
export const TOKEN = `${Buffer.from(BOT_ID).toString('base64url')}.GhJkLm.${'Zq9'.repeat(9)}x`;

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  /** When the request reached the proxy (Date.now() when its headers were read). */
  at: number;
  /** The status the proxy answered with itself (fault injection), if it did not forward the request. */
  injected?: number;
}

export interface InteractionOutcome {
  /** The interaction response type: 4 reply, 5 deferred, 7 update, 8 autocomplete. */
  type: number;
  data: Record<string, unknown> | null;
  message: APIMessage | null;
  /** What the bot sent to Discord for this interaction, in order. */
  requests: RecordedRequest[];
}

/** A canned reply the recording proxy gives instead of forwarding a request to the twin (fault injection). */
export interface InjectedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Forward the request to the twin first and then give this answer instead of the twin's (a lost response). */
  forwardFirst?: boolean;
}

export interface Harness {
  /** Set to make the proxy answer some requests itself (a 5xx, an expired interaction, …). */
  faults: { intercept: ((request: RecordedRequest) => InjectedResponse | null) | null };
  twin: DigitalDiscord;
  corpusDir: string;
  indexDir: string;
  /** WITNESS_SERVERS_DIR: one folder per server's own library. */
  serversDir: string;
  logs: string[];
  requests: RecordedRequest[];
  bot: ChildProcess | null;
  apiBase: string;
  filesBase: string;
  /** Attachments the bot can download from `filesBase`; a promise holds the download until it settles. */
  files: Map<string, Buffer | Promise<Buffer>>;
  env: Record<string, string>;
}

let userCounter = 0;

export interface HarnessOptions {
  extraDocuments?: Record<string, string>;
  env?: Record<string, string>;
  /** Where the recording proxy accepts connections: its own thread (default) or the test's main thread. */
  proxyThread?: 'worker' | 'main';
  /** 2: a second server (GUILD_B with CHANNEL_B) beside the first. */
  servers?: 1 | 2;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const general = { id: CHANNEL_ID, name: 'general', type: ChannelType.GuildText };
  const twin = new DigitalDiscord({
    botToken: TOKEN,
    botUser: { id: BOT_ID, username: 'Witness' },
    ...(options.servers === 2
      ? { guilds: [{ id: GUILD_A, name: 'Server A', channels: [general] }, { id: GUILD_B, name: 'Server B', channels: [{ id: CHANNEL_B, name: 'general-b', type: ChannelType.GuildText }] }] }
      : { channels: [general] }),
    users: [{ username: 'alice' }],
  });
  await twin.start();
  const work = mkdtempSync(path.join(tmpdir(), 'witness-e2e-'));
  const corpusDir = path.join(work, 'corpus');
  const indexDir = path.join(work, 'index');
  const serversDir = path.join(work, 'servers');
  cpSync(path.join(PROJECT_ROOT, 'corpus'), corpusDir, { recursive: true });
  for (const [name, text] of Object.entries(options.extraDocuments ?? {})) {
    writeFileSync(path.join(corpusDir, name), text);
  }
  const requests: RecordedRequest[] = [];
  const faults: Harness['faults'] = { intercept: null };
  const files: Harness['files'] = new Map();
  // Connections to the twin are kept and reused, so a burst does not queue up new ones at its door.
  const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const forward = (incoming: IncomingRequest): Promise<OutgoingAnswer> =>
    new Promise((resolve) => {
      const headers = { ...incoming.headers, host: `127.0.0.1:${String(twin.port)}` };
      const upstream = http.request({ host: '127.0.0.1', port: twin.port, method: incoming.method, path: incoming.url, headers, agent: upstreamAgent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const out = Buffer.concat(chunks);
          const { 'transfer-encoding': _encoding, connection: _connection, 'keep-alive': _keepAlive, ...rest } = response.headers;
          resolve({ status: response.statusCode ?? 502, headers: { ...rest, 'content-length': String(out.length) }, body: out });
        });
      });
      upstream.on('error', () => resolve({ status: 502, headers: {}, body: Buffer.alloc(0) }));
      upstream.end(incoming.body);
    });
  const answer = async (incoming: IncomingRequest): Promise<OutgoingAnswer> => {
    const { url, body } = incoming;
    if (url.startsWith('/files/')) {
      const file = await files.get(decodeURIComponent(url.slice('/files/'.length)));
      return { status: file ? 200 : 404, headers: { 'content-type': 'application/octet-stream' }, body: file ?? Buffer.alloc(0) };
    }
    let parsed: unknown;
    try {
      parsed = body.length > 0 ? JSON.parse(body.toString('utf8')) : null;
    } catch {
      parsed = body.toString('utf8');
    }
    const recorded: RecordedRequest = { method: incoming.method, path: url, body: parsed, at: incoming.at };
    requests.push(recorded);
    const injected = faults.intercept?.(recorded) ?? null;
    if (injected) {
      recorded.injected = injected.status;
      // The request reached Discord, but its answer was lost on the way back.
      if (injected.forwardFirst) await forward(incoming);
      return { status: injected.status, headers: { 'content-type': 'application/json', ...injected.headers }, body: Buffer.from(JSON.stringify(injected.body)) };
    }
    return forward(incoming);
  };
  const proxy = await startProxy(options.proxyThread ?? 'worker', answer);
  const port = proxy.port;
  twinProxies.set(twin, { close: proxy.close, agent: upstreamAgent });
  const env = {
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_BASE: `http://127.0.0.1:${String(port)}/api`,
    DISCORD_GUILD_ID: twin.guildId,
    WITNESS_CORPUS_DIR: corpusDir,
    WITNESS_INDEX_DIR: indexDir,
    WITNESS_SERVERS_DIR: serversDir,
    WITNESS_LOG_LEVEL: 'info',
    WITNESS_COOLDOWN_SECONDS: '30',
    ...options.env,
  };
  return { faults, twin, corpusDir, indexDir, serversDir, logs: [], requests, bot: null, apiBase: env.DISCORD_API_BASE, filesBase: `http://127.0.0.1:${String(port)}/files/`, files, env };
}

const twinProxies = new Map<DigitalDiscord, { close(): Promise<void>; agent: http.Agent }>();

interface IncomingRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  at: number;
}

interface OutgoingAnswer {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

/**
 * The proxy's listening socket: in a worker thread by default (test/e2e/proxy-worker.mjs says
 * why), or on this thread (`main`, as before; kept to measure the difference).
 */
async function startProxy(thread: 'worker' | 'main', answer: (request: IncomingRequest) => Promise<OutgoingAnswer>): Promise<{ port: number; close(): Promise<void> }> {
  if (thread === 'main') {
    const server = http.createServer((req, res) => {
      const at = Date.now();
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void answer({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks), at }).then((out) => {
          res.writeHead(out.status, out.headers);
          res.end(out.body);
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as { port: number }).port,
      close: () => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(() => resolve()));
      },
    };
  }
  const worker = new Worker(new URL('./proxy-worker.mjs', import.meta.url));
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { port: number }) => resolve(message.port));
  });
  worker.on('message', (message: { id: number; method: string; url: string; headers: http.IncomingHttpHeaders; body: Uint8Array; at: number }) => {
    const body = Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength);
    void answer({ method: message.method, url: message.url, headers: message.headers, body, at: message.at }).then((out) => worker.postMessage({ id: message.id, status: out.status, headers: out.headers, body: out.body }));
  });
  return {
    port,
    close: async () => {
      worker.postMessage({ close: true });
      await new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        setTimeout(() => void worker.terminate(), 2000).unref();
      });
    },
  };
}

/** Runs a script the way npm does, with the harness's environment; resolves with its exit code and output. */
export function runScript(harness: Pick<Harness, 'env'>, script: string, env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [script], { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...harness.env, ...env } as NodeJS.ProcessEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** How to run the bot: by default `src/bot.ts` of this checkout through tsx. */
export interface BotCommand {
  executable: string;
  args: string[];
  cwd: string;
}

/** Starts the bot (`src/bot.ts`, what `npm start` runs, unless told otherwise) and waits for its `ready` log line. */
export async function startBot(harness: Harness, command: BotCommand = { executable: TSX, args: ['src/bot.ts'], cwd: PROJECT_ROOT }): Promise<Record<string, unknown>> {
  const child = spawn(command.executable, command.args, { cwd: command.cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...harness.env } as NodeJS.ProcessEnv });
  harness.bot = child;
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => harness.logs.push(...chunk.toString().split('\n').filter(Boolean)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot not ready in time:\n${harness.logs.join('\n')}`)), 240_000);
    child.stderr.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        harness.logs.push(line);
        if (line.includes('"event":"ready"')) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as Record<string, unknown>);
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited with ${String(code)} before ready:\n${harness.logs.join('\n')}`));
    });
  });
}

export function waitForExit(child: ChildProcess, timeoutMs = 30_000): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bot did not exit')), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

export async function stopHarness(harness: Harness): Promise<void> {
  if (harness.bot && harness.bot.exitCode === null) {
    harness.bot.kill('SIGTERM');
    await waitForExit(harness.bot).catch(() => harness.bot?.kill('SIGKILL'));
  }
  const proxy = twinProxies.get(harness.twin);
  if (proxy) {
    await proxy.close();
    proxy.agent.destroy();
    twinProxies.delete(harness.twin);
  }
  await harness.twin.stop();
  rmSync(path.dirname(harness.corpusDir), { recursive: true, force: true });
}

/** A new guild member (so per-user cooldowns never leak between tests). `permissions` null means all. */
export async function newUser(harness: Harness, name = 'user', permissions: string | null = null, guildIds: string[] = [harness.twin.guildId]): Promise<string> {
  userCounter++;
  const id = String(1300000000000000000n + BigInt(userCounter));
  await harness.twin.prisma.user.create({ data: { id, username: `${name}${String(userCounter)}`, globalName: name, bot: false } });
  for (const guildId of guildIds) await harness.twin.prisma.guildMember.create({ data: { guildId, userId: id, ...(permissions === null ? {} : { permissions }) } });
  return id;
}

export function userObject(id: string): Record<string, unknown> {
  return { id, username: `user${id.slice(-4)}`, discriminator: '0', avatar: null, global_name: null };
}

export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: CommandOption[];
}

/** A slash command as Discord sends it, including `resolved` data for user and attachment options. */
export async function slash(harness: Harness, userId: string, name: string, options: CommandOption[] = [], resolved?: Record<string, unknown>, where?: Where): Promise<{ id: string; token: string }> {
  const command = await harness.twin.prisma.applicationCommand.findFirst({ where: { name } });
  return harness.twin.simulateInteraction({
    type: InteractionType.ApplicationCommand,
    channelId: where?.channelId ?? CHANNEL_ID,
    ...(where ? { guildId: where.guildId } : {}),
    userId,
    data: { id: command?.id ?? '1', name, type: 1, ...(options.length > 0 ? { options } : {}), ...(resolved ? { resolved } : {}) },
  });
}

export async function autocomplete(harness: Harness, userId: string, name: string, options: CommandOption[], where?: Where): Promise<{ id: string; token: string }> {
  const command = await harness.twin.prisma.applicationCommand.findFirst({ where: { name } });
  return harness.twin.simulateInteraction({
    type: InteractionType.ApplicationCommandAutocomplete,
    channelId: where?.channelId ?? CHANNEL_ID,
    ...(where ? { guildId: where.guildId } : {}),
    userId,
    data: { id: command?.id ?? '1', name, type: 1, options },
  });
}

export async function click(harness: Harness, userId: string, messageId: string, customId: string, where?: Where): Promise<{ id: string; token: string }> {
  return harness.twin.simulateButtonClick({ channelId: where?.channelId ?? CHANNEL_ID, ...(where ? { guildId: where.guildId } : {}), userId, messageId, customId });
}

let dmCounter = 0;

/**
 * A slash command sent in a direct message with the bot, as Discord sends one: no server, the
 * user at the top level instead of a member, a DM channel. The twin only simulates commands in
 * servers, so the payload is pushed through its gateway here.
 */
export async function dmSlash(harness: Harness, userId: string, name: string, options: CommandOption[] = [], type: InteractionType = InteractionType.ApplicationCommand): Promise<{ id: string; token: string }> {
  const { prisma } = harness.twin;
  if (!(await prisma.channel.findUnique({ where: { id: DM_CHANNEL } }))) await prisma.channel.create({ data: { id: DM_CHANNEL, type: ChannelType.DM } });
  const command = await prisma.applicationCommand.findFirst({ where: { name } });
  dmCounter++;
  const id = String(1400000000000000000n + BigInt(dmCounter));
  const token = `test-interaction-token-${id}`;
  await prisma.interactionResponse.create({ data: { interactionId: id, interactionToken: token, applicationId: BOT_ID, channelId: DM_CHANNEL, type: 0, acknowledged: false } });
  const gateway = (harness.twin as unknown as { server: { gateway: { broadcast(event: string, data: unknown): void } } }).server.gateway;
  gateway.broadcast('INTERACTION_CREATE', {
    id,
    application_id: BOT_ID,
    type,
    data: { id: command?.id ?? '1', name, type: 1, ...(options.length > 0 ? { options } : {}) },
    channel_id: DM_CHANNEL,
    channel: { id: DM_CHANNEL, type: ChannelType.DM },
    user: userObject(userId),
    token,
    version: 1,
    app_permissions: '1099511627775',
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: {},
    context: 1,
    attachment_size_limit: 26214400,
  });
  return { id, token };
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 20 ms until it holds; throws `describe()` (or "timed out") after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 30_000, describe = (): string => 'timed out'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(describe());
    await sleep(20);
  }
}

/**
 * Waits until the bot has answered an interaction: acknowledged, and, when deferred, edited
 * with the real reply. Returns the response type, its data, the resulting message and the
 * REST requests the bot made for this interaction.
 */
/** /library add's progress messages (commands/library.ts, pageProgress). */
const PROGRESS = /^(?:Reading .+: page \d+ of \d+…|Reading the document into the library: .+ left…)$/u;

export async function outcome(harness: Harness, interaction: { id: string; token: string }, timeoutMs = 60_000, channelId = CHANNEL_ID): Promise<InteractionOutcome> {
  const deadline = Date.now() + timeoutMs;
  const channel = harness.twin.channel(channelId);
  for (;;) {
    const response = await channel.getInteractionResponse(interaction.id);
    // Requests the proxy answered itself (an injected 429 or 5xx) never reached the twin.
    const requests = harness.requests.filter((r) => r.path.includes(interaction.token) && r.injected === undefined);
    const edited = requests.some((r) => r.method === 'PATCH' || (r.method === 'POST' && r.path.includes('/webhooks/')));
    if (response?.acknowledged && (response.type !== 5 || edited)) {
      // Give a following edit or follow-up a moment to land.
      await sleep(150);
      const messages = await channel.getMessages();
      const messageId = (await channel.getInteractionResponse(interaction.id))?.messageId ?? null;
      const content = messages.find((m) => m.id === messageId)?.content ?? '';
      // A long /library add shows its progress first ("Reading x.pdf: page 1 of 2…"): the answer replaces it.
      if (PROGRESS.test(content) && Date.now() < deadline) {
        await sleep(100);
        continue;
      }
      return {
        type: response.type,
        data: response.data ? (JSON.parse(response.data) as Record<string, unknown>) : null,
        message: messages.find((m) => m.id === messageId) ?? null,
        requests: harness.requests.filter((r) => r.path.includes(interaction.token)),
      };
    }
    if (Date.now() > deadline) throw new Error(`no response to interaction ${interaction.id}:\n${harness.logs.slice(-20).join('\n')}`);
    await sleep(50);
  }
}

/**
 * A 429 as Discord sends it (developer docs, "Rate Limits"): `retry-after` in seconds, the
 * `x-ratelimit-*` headers and a JSON body with `retry_after` and `global`. A per-route limit
 * names its bucket and has `x-ratelimit-scope: user`; a global one carries `x-ratelimit-global`
 * and no bucket headers.
 */
export function rateLimitResponse(options: { retryAfterSeconds: number; global?: boolean; bucket?: string }): InjectedResponse {
  const retryAfter = options.retryAfterSeconds;
  const body = { message: 'You are being rate limited.', retry_after: retryAfter, global: options.global ?? false };
  if (options.global) {
    return { status: 429, headers: { 'retry-after': String(retryAfter), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' }, body };
  }
  return {
    status: 429,
    headers: {
      'retry-after': String(retryAfter),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': (Date.now() / 1000 + retryAfter).toFixed(3),
      'x-ratelimit-reset-after': retryAfter.toFixed(3),
      'x-ratelimit-bucket': options.bucket ?? 'abcd1234abcd1234abcd1234abcd1234',
      'x-ratelimit-scope': 'user',
    },
    body,
  };
}

/**
 * Makes the proxy answer the first `times` requests that `match` with `response()` (built
 * afresh each time), and forward everything else. Returns the requests it answered so far.
 * Set `harness.faults.intercept = null` to stop.
 */
export function injectTimes(harness: Harness, match: (request: RecordedRequest) => boolean, times: number, response: () => InjectedResponse): RecordedRequest[] {
  const answered: RecordedRequest[] = [];
  harness.faults.intercept = (request) => {
    if (answered.length >= times || !match(request)) return null;
    answered.push(request);
    return response();
  };
  return answered;
}

export function corpusText(harness: Harness, sourceId: string): string {
  return readFileSync(path.join(harness.corpusDir, sourceId), 'utf8');
}
