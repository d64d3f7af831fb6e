import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChannelType, InteractionType, type APIMessage } from 'discord.js';
import { DigitalDiscord } from 'discord-digital-twin';
import { PROJECT_ROOT } from '../../src/config.js';

/** A twin of Discord, a recording proxy in front of its REST API, and the real bot process logged in to it. */

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
export const CHANNEL_ID = '1100000000000000001';
export const BOT_ID = '1200000000000000001';
/** Shaped like a real token; its first part encodes the bot's id, as Discord's do. */
export const TOKEN = `${Buffer.from(BOT_ID).toString('base64url')}.GhJkLm.${'Zq9'.repeat(9)}x`;

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
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
}

export interface Harness {
  /** Set to make the proxy answer some requests itself (a 5xx, an expired interaction, …). */
  faults: { intercept: ((request: RecordedRequest) => InjectedResponse | null) | null };
  twin: DigitalDiscord;
  corpusDir: string;
  indexDir: string;
  logs: string[];
  requests: RecordedRequest[];
  bot: ChildProcess | null;
  apiBase: string;
  filesBase: string;
  files: Map<string, Buffer>;
  env: Record<string, string>;
}

let userCounter = 0;

export async function startHarness(options: { extraDocuments?: Record<string, string>; env?: Record<string, string> } = {}): Promise<Harness> {
  const twin = new DigitalDiscord({
    botToken: TOKEN,
    botUser: { id: BOT_ID, username: 'Witness' },
    channels: [{ id: CHANNEL_ID, name: 'general', type: ChannelType.GuildText }],
    users: [{ username: 'alice' }],
  });
  await twin.start();
  const work = mkdtempSync(path.join(tmpdir(), 'witness-e2e-'));
  const corpusDir = path.join(work, 'corpus');
  const indexDir = path.join(work, 'index');
  cpSync(path.join(PROJECT_ROOT, 'corpus'), corpusDir, { recursive: true });
  for (const [name, text] of Object.entries(options.extraDocuments ?? {})) {
    writeFileSync(path.join(corpusDir, name), text);
  }
  const requests: RecordedRequest[] = [];
  const faults: Harness['faults'] = { intercept: null };
  const files = new Map<string, Buffer>();
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = req.url ?? '/';
      if (url.startsWith('/files/')) {
        const file = files.get(decodeURIComponent(url.slice('/files/'.length)));
        res.writeHead(file ? 200 : 404, { 'content-type': 'application/octet-stream' });
        res.end(file ?? '');
        return;
      }
      let parsed: unknown;
      try {
        parsed = body.length > 0 ? JSON.parse(body.toString('utf8')) : null;
      } catch {
        parsed = body.toString('utf8');
      }
      const recorded = { method: req.method ?? 'GET', path: url, body: parsed };
      requests.push(recorded);
      const injected = faults.intercept?.(recorded) ?? null;
      if (injected) {
        res.writeHead(injected.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(injected.body));
        return;
      }
      const headers = { ...req.headers, host: `127.0.0.1:${String(twin.port)}` };
      const upstream = http.request({ host: '127.0.0.1', port: twin.port, method: req.method, path: url, headers }, (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      });
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as { port: number }).port;
  twinProxies.set(twin, proxy);
  const env = {
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_BASE: `http://127.0.0.1:${String(port)}/api`,
    DISCORD_GUILD_ID: twin.guildId,
    WITNESS_CORPUS_DIR: corpusDir,
    WITNESS_INDEX_DIR: indexDir,
    WITNESS_LOG_LEVEL: 'info',
    WITNESS_COOLDOWN_SECONDS: '30',
    ...options.env,
  };
  return { faults, twin, corpusDir, indexDir, logs: [], requests, bot: null, apiBase: env.DISCORD_API_BASE, filesBase: `http://127.0.0.1:${String(port)}/files/`, files, env };
}

const twinProxies = new Map<DigitalDiscord, http.Server>();

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

/** Starts `src/bot.ts` (what `npm start` runs) and waits for its `ready` log line. */
export async function startBot(harness: Harness): Promise<Record<string, unknown>> {
  const child = spawn(TSX, ['src/bot.ts'], { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...harness.env } as NodeJS.ProcessEnv });
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
  if (proxy) await new Promise((resolve) => proxy.close(resolve));
  await harness.twin.stop();
  rmSync(path.dirname(harness.corpusDir), { recursive: true, force: true });
}

/** A new guild member (so per-user cooldowns never leak between tests). `permissions` null means all. */
export async function newUser(harness: Harness, name = 'user', permissions: string | null = null): Promise<string> {
  userCounter++;
  const id = String(1300000000000000000n + BigInt(userCounter));
  await harness.twin.prisma.user.create({ data: { id, username: `${name}${String(userCounter)}`, globalName: name, bot: false } });
  await harness.twin.prisma.guildMember.create({ data: { guildId: harness.twin.guildId, userId: id, ...(permissions === null ? {} : { permissions }) } });
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
export async function slash(harness: Harness, userId: string, name: string, options: CommandOption[] = [], resolved?: Record<string, unknown>): Promise<{ id: string; token: string }> {
  const command = await harness.twin.prisma.applicationCommand.findFirst({ where: { name } });
  return harness.twin.simulateInteraction({
    type: InteractionType.ApplicationCommand,
    channelId: CHANNEL_ID,
    userId,
    data: { id: command?.id ?? '1', name, type: 1, ...(options.length > 0 ? { options } : {}), ...(resolved ? { resolved } : {}) },
  });
}

export async function autocomplete(harness: Harness, userId: string, name: string, options: CommandOption[]): Promise<{ id: string; token: string }> {
  const command = await harness.twin.prisma.applicationCommand.findFirst({ where: { name } });
  return harness.twin.simulateInteraction({ type: InteractionType.ApplicationCommandAutocomplete, channelId: CHANNEL_ID, userId, data: { id: command?.id ?? '1', name, type: 1, options } });
}

export async function click(harness: Harness, userId: string, messageId: string, customId: string): Promise<{ id: string; token: string }> {
  return harness.twin.simulateButtonClick({ channelId: CHANNEL_ID, userId, messageId, customId });
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until the bot has answered an interaction: acknowledged, and, when deferred, edited
 * with the real reply. Returns the response type, its data, the resulting message and the
 * REST requests the bot made for this interaction.
 */
export async function outcome(harness: Harness, interaction: { id: string; token: string }, timeoutMs = 60_000): Promise<InteractionOutcome> {
  const deadline = Date.now() + timeoutMs;
  const channel = harness.twin.channel(CHANNEL_ID);
  for (;;) {
    const response = await channel.getInteractionResponse(interaction.id);
    const requests = harness.requests.filter((r) => r.path.includes(interaction.token));
    const edited = requests.some((r) => r.method === 'PATCH' || (r.method === 'POST' && r.path.includes('/webhooks/')));
    if (response?.acknowledged && (response.type !== 5 || edited)) {
      // Give a following edit or follow-up a moment to land.
      await sleep(150);
      const messages = await channel.getMessages();
      const messageId = (await channel.getInteractionResponse(interaction.id))?.messageId ?? null;
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

export function corpusText(harness: Harness, sourceId: string): string {
  return readFileSync(path.join(harness.corpusDir, sourceId), 'utf8');
}
